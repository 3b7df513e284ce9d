"""Routes: pages and their JSON twins, error pages, security headers."""

from __future__ import annotations

import logging
from urllib.parse import urlencode

from flask import Blueprint, current_app, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from search.engine import SearchError
from search.indexing.store import IndexMissing
from search.postings import SearchTimeout
from web.labels import labels_for
from web.requests import parse_request
from web.timeline import timeline_svg

bp = Blueprint("pages", __name__)
log = logging.getLogger(__name__)
FACET_PARAMS = {"language": "lang", "outlet": "outlet", "delegate": "delegate", "year": "year", "month": "month"}
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
       "base-uri 'none'; frame-ancestors 'none'; form-action 'self'")


def engine():
    return current_app.extensions["engine"]


def wants_ui() -> str:
    return "vi" if request.args.get("ui") == "vi" else "en"


# --- URLs that keep the state in the query string ---------------------------------------------
def url_with(path: str = "/search", drop: tuple = (), **changes) -> str:
    """The current query string with `changes` applied (None removes); page resets unless given."""
    items = [(k, v) for k, v in request.args.items(multi=True) if k not in changes and k not in drop]
    if "page" not in changes:
        items = [(k, v) for k, v in items if k != "page"]
    for k, v in changes.items():
        if v is None:
            continue
        items.extend((k, x) for x in (v if isinstance(v, list) else [v]))
    query = urlencode(items)
    return path + ("?" + query if query else "")


def toggle_url(facet: str, value: str) -> str:
    """The link a facet value carries: select it if unselected, unselect it if selected."""
    param = FACET_PARAMS.get(facet, facet)
    current = request.args.getlist(param)
    values = [v for v in current if v != value] if value in current else current + [value]
    changes = {param: values or None}
    if facet == "year" and value in current:
        changes["month"] = None  # months belong to the year being removed
    return url_with(**changes)


def chip_url(chip: dict) -> str:
    if chip["facet"] in ("from", "to"):
        return url_with(**{chip["facet"]: None})
    return toggle_url(chip["facet"], chip["value"])


# --- pages ------------------------------------------------------------------------------------
@bp.route("/")
def home():
    overview = engine().overview()
    return render_template("home.html", overview=overview, L=labels_for(wants_ui()), ui=wants_ui(),
                           url_with=url_with)


@bp.route("/search")
def search_page():
    L = labels_for(wants_ui())
    try:
        search_request = parse_request(request.args, request.query_string)
        result = engine().search(search_request)
    except SearchError as e:
        return render_template("search.html", error=str(e), result=None, q=request.args.get("q", ""), L=L,
                               ui=wants_ui(), url_with=url_with), 400
    return render_template("search.html", result=result, q=search_request.q, L=L, ui=wants_ui(),
                           url_with=url_with, toggle_url=toggle_url, chip_url=chip_url,
                           timeline=timeline_svg(result["facets"], toggle_url, L), error=None)


@bp.route("/articles/<doc_id>")
def article_page(doc_id: str):
    q = request.args.get("q", "")[:1000]
    article = engine().article(doc_id, q)
    L = labels_for(wants_ui())
    if article is None:
        return render_template("error.html", status=404, message=L["not_found"], L=L, ui=wants_ui(),
                               url_with=url_with), 404
    back = url_with("/search", page=request.args.get("page"))  # the results this article was opened from
    return render_template("article.html", a=article, q=q, L=L, ui=wants_ui(), url_with=url_with, back=back)


# --- JSON twins -------------------------------------------------------------------------------
@bp.route("/api/search")
def api_search():
    try:
        result = engine().search(parse_request(request.args, request.query_string))
    except SearchError as e:
        return jsonify(error=str(e), parameter=e.parameter), 400
    for name, facet in result["facets"].items():
        for v in facet["values"]:
            page_url = toggle_url(name, v["value"])
            v["toggle_url"] = page_url.replace("/search", "/api/search", 1)
            v["page_url"] = page_url
    result["page_url"] = url_with(page=request.args.get("page"))
    return jsonify(result)


@bp.route("/api/articles/<doc_id>")
def api_article(doc_id: str):
    article = engine().article(doc_id, request.args.get("q", "")[:1000])
    if article is None:
        return jsonify(error=f"no article with id {doc_id[:40]!r}"), 404
    return jsonify(article)


# --- errors and headers -------------------------------------------------------------------------
def register_error_handlers(app) -> None:
    # 503: the request was fine, the server could not answer it (no index yet, or not in time).
    @app.errorhandler(IndexMissing)
    @app.errorhandler(SearchTimeout)
    def unavailable(e):
        if request.path.startswith("/api/"):
            return jsonify(error=str(e)), 503
        return render_template("error.html", status=503, message=str(e), L=labels_for(wants_ui()),
                               ui=wants_ui(), url_with=url_with), 503

    @app.errorhandler(HTTPException)
    def http_error(e):
        if request.path.startswith("/api/"):
            return jsonify(error=e.description or e.name), e.code
        return render_template("error.html", status=e.code, message=e.name, L=labels_for(wants_ui()),
                               ui=wants_ui(), url_with=url_with), e.code

    @app.errorhandler(Exception)
    def unexpected(e):
        log.exception("unhandled error on %s", request.path)
        if request.path.startswith("/api/"):
            return jsonify(error="internal error; it has been logged"), 500
        return render_template("error.html", status=500, message=labels_for(wants_ui())["error"],
                               L=labels_for(wants_ui()), ui=wants_ui(), url_with=url_with), 500


def security_headers(response):
    response.headers["Content-Security-Policy"] = CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["X-Frame-Options"] = "DENY"
    return response
