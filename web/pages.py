"""The HTML pages. Each has a JSON twin in web/api.py, computed by the same engine call."""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, render_template, request

from search.request import SearchError
from search.value_list import LISTED, value_list
from web.labels import count_phrase, labels_for, translate
from web.requests import parse_request
from web.results_view import bar_url, chips, clear_all_url, pager, timeline_path
from web.timeline import timeline_svg
from web.urls import search_state, url_with, wants_ui

bp = Blueprint("pages", __name__)
SIDEBAR_FACETS = ("outlet", "language", "delegate")


def engine():
    return current_app.extensions["engine"]


@bp.route("/")
def home():
    return render_template("home.html", overview=engine().overview(), json_url="/api/overview")


@bp.route("/search")
def search_page():
    ui = wants_ui()
    try:
        search_request = parse_request(request.args, request.query_string)
        search_request.ui = ui
        result = engine().search(search_request)
    except SearchError as e:
        return render_template("search.html", error=translate(str(e), ui), result=None,
                               q=request.args.get("q", ""), json_url=url_with("/api/search")), 400
    if result["page"] > result["pages"]:
        return past_last_page(result)
    share = request.args.get("share") == "1"
    timeline = result.get("timeline") or {}
    return render_template(
        "search.html", result=result, q=search_request.q, error=None,
        chips=chips(result, ui), clear_all=clear_all_url(result), pager=pager(result),
        total_text=count_phrase(result["total"], ui),
        notes=[translate(n, ui) for n in result["notes"]], facets=SIDEBAR_FACETS,
        timeline=timeline_svg(timeline, bar_url, labels_for(ui), ui, share=share), timeline_data=timeline,
        timeline_path=timeline_path(result, ui), share=share, state=search_state(),
        date_state=search_state(exclude=("q", "from", "to", "year", "month")),
        json_url=url_with("/api/search", page=request.args.get("page")))


def past_last_page(result: dict):
    """A page number past the last: a 404 page that says so and links to the first and last pages."""
    L = labels_for(wants_ui())
    message = L["past_last"].format(page=result["page"], pages=result["pages"])
    links = [(L["first_page"], url_with(page="1")),
             (L["last_page"].format(pages=result["pages"]), url_with(page=str(result["pages"])))]
    return render_template("error.html", status=404, title=L["not_found_page"], message=message, links=links,
                           json_url=url_with("/api/search", page=str(result["page"]))), 404


@bp.route("/facets/<name>")
def facet_page(name: str):
    """Every value of one facet for the current search, with paging and a box to filter the values."""
    if name not in LISTED:
        abort(404)
    ui = wants_ui()
    try:
        search_request = parse_request(request.args, request.query_string)
        search_request.ui = ui
        contains, vpage = facet_args()
        data = value_list(engine(), search_request, name, contains, vpage)
    except SearchError as e:
        return render_template("search.html", error=translate(str(e), ui), result=None,
                               q=request.args.get("q", "")), 400
    if data["page"] > data["pages"]:
        abort(404)
    vpages = pager({"pages": data["pages"], "page": data["page"], "cap": data["pages"]},
                   lambda n: url_with(f"/facets/{name}", contains=contains or None, vpage=str(n)))
    return render_template("facet.html", data=data, name=name, q=search_request.q, contains=contains,
                           vpages=vpages, state=search_state(exclude=()),
                           back=url_with("/search"),
                           json_url=url_with(f"/api/facets/{name}", contains=contains or None,
                                             vpage=request.args.get("vpage")))


def facet_args() -> tuple[str, int]:
    contains = request.args.get("contains", "")
    if len(contains) > 100:
        raise SearchError("'contains' is longer than 100 characters", "contains")
    raw = request.args.get("vpage") or "1"
    if not raw.isascii() or not raw.isdigit() or not 1 <= int(raw) <= 10_000:
        raise SearchError("'vpage' must be a whole number from 1 to 10000", "vpage")
    return contains, int(raw)


@bp.route("/articles/<doc_id>.txt")
def article_text(doc_id: str):
    """The whole text, as plain text: the article page shows a bounded part of a very long one."""
    text = engine().article_text(doc_id)
    if text is None:
        return Response(f"no article with id {doc_id[:40]!r}\n", 404, mimetype="text/plain")
    return Response(text, mimetype="text/plain")


@bp.route("/articles/<doc_id>")
def article_page(doc_id: str):
    q = request.args.get("q", "")[:1000]
    article = engine().article(doc_id, q)
    L = labels_for(wants_ui())
    if article is None:
        return render_template("error.html", status=404, title=L["not_found"], message=L["not_found"]), 404
    back = url_with("/search", page=request.args.get("page"))  # the results this article was opened from
    return render_template("article.html", a=article, q=q, back=back, json_url=f"/api/articles/{doc_id}")
