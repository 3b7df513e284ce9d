"""The JSON twins of the pages, under /api: the same engine calls, the same parameters."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request

from search.request import SearchError
from search.value_list import LISTED, value_list
from web.pages import facet_args
from web.requests import parse_request
from web.urls import toggle_url, url_with

bp = Blueprint("api", __name__, url_prefix="/api")


def engine():
    return current_app.extensions["engine"]


def bad_request(e: SearchError):
    return jsonify(error=str(e), parameter=e.parameter), 400


@bp.route("/search")
def search():
    try:
        result = engine().search(parse_request(request.args, request.query_string))
    except SearchError as e:
        return bad_request(e)
    if result["page"] > result["pages"]:
        return jsonify(error=f"page {result['page']} is past the last page ({result['pages']})",
                       parameter="page", last_page=result["pages"]), 404
    for name, facet in result["facets"].items():
        for v in facet["values"]:
            v["toggle_url"] = toggle_url(name, v["value"], path="/api/search")
            v["page_url"] = toggle_url(name, v["value"])
        if name in LISTED:
            facet["all_values_url"] = url_with(f"/api/facets/{name}")
    result["page_url"] = url_with(page=request.args.get("page"))
    return jsonify(result)


@bp.route("/facets/<name>")
def facet(name: str):
    """Every value of one facet for the search in the query string: ?contains= filters the
    values by name, ?vpage= pages through them."""
    if name not in LISTED:
        return jsonify(error=f"no value list for facet {name[:40]!r}; one of {', '.join(LISTED)}"), 404
    try:
        contains, vpage = facet_args()
        data = value_list(engine(), parse_request(request.args, request.query_string), name, contains, vpage)
    except SearchError as e:
        return bad_request(e)
    if data["page"] > data["pages"]:
        return jsonify(error=f"vpage {data['page']} is past the last page ({data['pages']})",
                       parameter="vpage", last_page=data["pages"]), 404
    for v in data["values"]:
        v["toggle_url"] = toggle_url(name, v["value"], path="/api/search")
        v["page_url"] = toggle_url(name, v["value"])
    data["page_url"] = url_with(f"/facets/{name}", contains=contains or None, vpage=request.args.get("vpage"))
    return jsonify(data)


@bp.route("/articles/<doc_id>")
def article(doc_id: str):
    data = engine().article(doc_id, request.args.get("q", "")[:1000])
    if data is None:
        return jsonify(error=f"no article with id {doc_id[:40]!r}"), 404
    return jsonify(data)


@bp.route("/overview")
def overview():
    """What the archive holds (the home page's JSON twin)."""
    return jsonify(engine().overview())
