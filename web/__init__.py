"""The web front end: an application factory, configuration passed in, no globals.

    create_app({"INDEX_DIR": "index"})

Pages (web/pages.py) and their JSON twins under /api (web/api.py) share one engine call each:
/search ↔ /api/search, /facets/<name> ↔ /api/facets/<name>, /articles/<id> ↔ /api/articles/<id>,
/ ↔ /api/overview. web/hooks.py wires what every request shares.
"""

from __future__ import annotations

from flask import Flask

from search.engine import TIME_LIMIT, SearchEngine


def create_app(config: dict | None = None) -> Flask:
    app = Flask(__name__)
    app.config.from_mapping(INDEX_DIR="index", JSON_AS_ASCII=False, SEARCH_TIME_LIMIT=TIME_LIMIT)
    app.config.from_mapping(config or {})
    app.json.ensure_ascii = False
    # ENGINE: an engine made elsewhere, e.g. search.backends.opensearch's (`search serve --backend opensearch`)
    app.extensions["engine"] = app.config.get("ENGINE") or SearchEngine(
        app.config["INDEX_DIR"], time_limit=app.config["SEARCH_TIME_LIMIT"],
        background_reopen=app.config.get("BACKGROUND_REOPEN", False))

    from web import api, hooks, pages

    app.register_blueprint(pages.bp)
    app.register_blueprint(api.bp)
    hooks.init_app(app)
    return app
