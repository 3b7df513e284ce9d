"""The web front end: an application factory, configuration passed in, no globals.

    create_app({"INDEX_DIR": "index"})

Every HTML page has a JSON twin: /search ↔ /api/search, /articles/<id> ↔ /api/articles/<id>.
"""

from __future__ import annotations

from flask import Flask

from search.engine import TIME_LIMIT, SearchEngine


def create_app(config: dict | None = None) -> Flask:
    app = Flask(__name__)
    app.config.from_mapping(INDEX_DIR="index", JSON_AS_ASCII=False, SEARCH_TIME_LIMIT=TIME_LIMIT)
    app.config.from_mapping(config or {})
    app.json.ensure_ascii = False
    app.extensions["engine"] = SearchEngine(app.config["INDEX_DIR"], time_limit=app.config["SEARCH_TIME_LIMIT"],
                                            background_reopen=app.config.get("BACKGROUND_REOPEN", False))

    from web import views
    from web.labels import date_display

    app.add_template_filter(date_display)

    app.register_blueprint(views.bp)
    views.register_error_handlers(app)
    app.after_request(views.security_headers)
    return app
