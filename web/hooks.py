"""What every request shares, wired once by `init_app` (as the Flask tutorial's `db.init_app`):
the template context, error pages (JSON under /api), security headers, the access log, the favicon."""

from __future__ import annotations

import logging
import sys
import time

from flask import current_app, g, jsonify, render_template, request, send_from_directory
from werkzeug.exceptions import HTTPException

from search.indexing.store import IndexMissing
from search.postings import SearchTimeout
from web.labels import count_phrase, date_display, http_error_title, labels_for, translate, value_label
from web.urls import link, toggle_url, url_with, wants_ui

log = logging.getLogger(__name__)
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
       "base-uri 'none'; frame-ancestors 'none'; form-action 'self'")
ACCESS_LOG = "web.access"


def init_app(app) -> None:
    app.context_processor(template_context)
    app.add_template_filter(date_display)
    app.add_template_global(value_label)
    app.add_template_global(count_phrase)
    register_error_handlers(app)
    app.before_request(_start_clock)
    app.after_request(security_headers)
    app.after_request(access_log)
    app.add_url_rule("/favicon.ico", "favicon", favicon)
    access = logging.getLogger(ACCESS_LOG)
    if not access.handlers:  # one line per request on stderr, whatever the root logger does
        handler = logging.StreamHandler(app.config.get("ACCESS_LOG_STREAM") or sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        access.addHandler(handler)
        access.setLevel(logging.INFO)
        access.propagate = False


def template_context() -> dict:
    """`L` (labels), `ui`, and the URL helpers, for every template."""
    ui = wants_ui()
    return {"L": labels_for(ui), "ui": ui, "url_with": url_with, "toggle_url": toggle_url, "link": link,
            "other_ui_url": url_with(request.path, ui=labels_for(ui)["other_ui"])}


def favicon():
    return send_from_directory(current_app.static_folder, "favicon.ico", mimetype="image/vnd.microsoft.icon",
                               max_age=86400)


def error_page(status: int, message: str):
    if request.path.startswith("/api/"):
        return jsonify(error=message), status
    ui = wants_ui()
    return render_template("error.html", status=status, message=translate(message, ui)), status


def register_error_handlers(app) -> None:
    # 503: the request was fine, the server could not answer it (no index yet, or not in time).
    @app.errorhandler(IndexMissing)
    @app.errorhandler(SearchTimeout)
    def unavailable(e):
        return error_page(503, str(e))

    @app.errorhandler(HTTPException)
    def http_error(e):
        if request.path.startswith("/api/"):
            return jsonify(error=e.description or e.name), e.code
        title = http_error_title(e.code, e.name, wants_ui())
        return render_template("error.html", status=e.code, title=title, message=title), e.code

    @app.errorhandler(Exception)
    def unexpected(e):
        log.exception("unhandled error on %s", request.path)
        if request.path.startswith("/api/"):
            return jsonify(error="internal error; it has been logged"), 500
        return error_page(500, labels_for(wants_ui())["error"])


# Every response carries these, waitress's own errors included (search/server.py).
SECURITY_HEADERS = {"Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff",
                    "Referrer-Policy": "same-origin", "X-Frame-Options": "DENY"}


def security_headers(response):
    response.headers.update(SECURITY_HEADERS)
    if not request.args.get("ui"):
        response.vary.add("Accept-Language")  # the UI language may come from the browser's
    return response


def _start_clock():
    g.request_started = time.perf_counter()


def access_log(response):
    """One line per request in the combined log format (as Apache and nginx write it)."""
    size = response.content_length if response.content_length is not None else response.calculate_content_length()
    line = '{host} - - [{time}] "{method} {path} {proto}" {status} {size} "{referer}" "{agent}"'.format(
        host=request.remote_addr or "-", time=time.strftime("%d/%b/%Y:%H:%M:%S %z"), method=request.method,
        path=_quote(request.full_path.rstrip("?") if request.query_string else request.path),
        proto=request.environ.get("SERVER_PROTOCOL", "HTTP/1.1"), status=response.status_code,
        size=size if size is not None else "-", referer=_quote(request.referrer or "-"),
        agent=_quote(request.user_agent.string or "-"))
    logging.getLogger(ACCESS_LOG).info(line)
    return response


def _quote(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")[:2000]
