"""The `search` command: reindex, docs, show, query, serve."""

from __future__ import annotations

import argparse
import json
import sys

from search.backends.cli import (
    add_backend_options,
    backend_errors,
    explain,
    open_engine,
    reindex_opensearch_command,
)
from search.config import ENV_INDEX, ENV_SEEDS, Settings

EXIT_OK, EXIT_FAILED_FILES, EXIT_USAGE, EXIT_BUSY, EXIT_NOT_FOUND, EXIT_WRITE = 0, 1, 2, 3, 4, 5
EXIT_FAILED = EXIT_FAILED_FILES  # 1: the command could not do its work (some files, or a search in time)


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help()
        return EXIT_USAGE
    settings = Settings.resolve(getattr(args, "seeds", None), getattr(args, "index", None))
    try:
        return args.handler(args, settings)
    except KeyboardInterrupt:
        print("interrupted; the previous index is untouched", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="search", description="Search the party-diplomacy news archive.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def add(name, handler, help_text):
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.set_defaults(handler=handler)
        p.add_argument("--index", metavar="DIR", help=f"index directory (default: ${ENV_INDEX} or ./index)")
        return p

    p = add("reindex", _cmd_reindex, "Bring the index in line with the corpus directory.")
    p.add_argument("--seeds", metavar="DIR", help=f"corpus directory (default: ${ENV_SEEDS} or ./seeds)")
    p.add_argument("--full", action="store_true", help="rebuild from scratch instead of updating")
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    p.add_argument("--no-space-check", action="store_true",
                   help="skip the free-space estimate made before writing (a full disk is still reported)")
    p.add_argument("--follow-outside-links", action="store_true",
                   help="index files that symbolic links in the corpus point to outside it (refused by default)")

    add_backend_options(p, reindex=True)

    p = add("docs", _cmd_docs, "List every indexed document's metadata.")
    p.add_argument("--json", action="store_true", help="JSON, one array")
    add_backend_options(p)

    p = add("show", _cmd_show, "Show one document, with its body.")
    p.add_argument("id", help="document id (as listed by `search docs`)")
    p.add_argument("--json", action="store_true")
    add_backend_options(p)

    p = add("serve", _cmd_serve, "Serve the web UI and JSON API (waitress WSGI server).")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    p.add_argument("--threads", type=int, default=8, help="threads per worker process (default 8)")
    p.add_argument("--workers", type=int, default=None,
                   help="server processes sharing the index (default: one per core); 1 = a single process")
    p.add_argument("--connection-limit", type=int, default=1000,
                   help="open connections accepted at once (default 1000)")
    p.add_argument("--channel-timeout", type=int, default=30, help="close a connection idle this many s (default 30)")
    p.add_argument("--request-timeout", type=float, default=10.0,
                   help="close a connection whose request has not fully arrived this many s after its first byte "
                        "(default 10; stops slow clients from holding connections)")
    p.add_argument("--trusted-proxy", metavar="ADDR",
                   help="the reverse proxy's address (e.g. 127.0.0.1): take the client's address and scheme from "
                        "its X-Forwarded-For/-Proto/-Host headers, and ignore those headers from anyone else")
    add_backend_options(p)

    p = add("query", _cmd_query, "Search the index (the same search core as the web UI and API).")
    p.add_argument("q", nargs="?", default="", help='the query, e.g. \'hoang binh quan date:2020 -covid\'')
    from search.facets import FACETS

    examples = {"language": "a language code, e.g. vi", "outlet": "an outlet key, e.g. vna",
                "delegate": "a delegate's name in any spelling", "year": "YYYY or unknown", "month": "YYYY-MM"}
    for facet in FACETS:  # one option per facet, named as its URL parameter
        p.add_argument(f"--{facet.param}", dest=facet.name, action="append", default=[],
                       help=f"{facet.label.lower()}: {examples.get(facet.name, 'a value')} (repeatable: OR)")
    p.add_argument("--from", dest="date_from", help="from date: 2020, 2020-07 or 2020-07-14")
    p.add_argument("--to", dest="date_to", help="to date")
    p.add_argument("--sort", default="relevance", help="relevance (default), newest or oldest")
    p.add_argument("--page", default="1", help="page number (1-100)")
    p.add_argument("--as-typed", action="store_true", help="no automatic spelling correction")
    p.add_argument("--json", action="store_true", help="the API's JSON")
    add_backend_options(p)
    return parser


# --- reindex ---------------------------------------------------------------------------------
class _BarProgress:
    """A tqdm bar on stderr when it is a terminal; warnings always printed, one line each."""

    def __init__(self, enabled: bool):
        self.enabled = enabled
        self.bar = None

    def start(self, total, label):
        # No bar, no tqdm: importing it and the multiprocessing lock it makes for its first bar
        # cost ~0.15 s, a tenth of a reindex of ten changed files.
        if not self.enabled or not sys.stderr.isatty():
            return
        import threading

        from tqdm import tqdm

        tqdm.set_lock(threading.RLock())  # one process: a thread lock, not multiprocessing's
        self.bar = tqdm(total=total, desc=label, unit="doc", file=sys.stderr, dynamic_ncols=True, leave=False)

    def advance(self, n=1):
        if self.bar:
            self.bar.update(n)

    def warn(self, message):
        if self.bar is None:
            print(message, file=sys.stderr)
            return
        from tqdm import tqdm

        tqdm.write(message, file=sys.stderr)

    def finish(self):
        if self.bar:
            self.bar.close()
            self.bar = None


def _cmd_reindex(args, settings: Settings) -> int:
    from search.indexing.reindex import IndexWriteError, reindex
    from search.indexing.store import IndexStore, ReindexBusy

    if not settings.seeds_dir.is_dir():
        print(f"search reindex: corpus directory not found: {settings.seeds_dir} "
              f"(use --seeds DIR or ${ENV_SEEDS})", file=sys.stderr)
        return EXIT_NOT_FOUND
    progress = _BarProgress(enabled=not args.quiet and not args.json)
    if args.backend == "opensearch":
        try:
            report, where = reindex_opensearch_command(args, settings.seeds_dir, progress)
        except ReindexBusy as e:
            print(f"search reindex: {e}", file=sys.stderr)
            return EXIT_BUSY
        except backend_errors() as e:
            progress.finish()
            explain("reindex", e, args)
            return EXIT_FAILED
        _print_report(args, report, where, settings)
        return EXIT_OK if report.ok else EXIT_FAILED_FILES
    try:
        report = reindex(settings.seeds_dir, IndexStore(settings.index_dir), full=args.full, progress=progress,
                         check_space=not args.no_space_check, follow_outside_links=args.follow_outside_links)
    except ReindexBusy as e:
        print(f"search reindex: {e}", file=sys.stderr)
        return EXIT_BUSY
    except IndexWriteError as e:
        progress.finish()
        print(f"search reindex: {e}", file=sys.stderr)
        return EXIT_WRITE
    _print_report(args, report, settings.index_dir, settings)
    return EXIT_OK if report.ok else EXIT_FAILED_FILES


def _print_report(args, report, where, settings: Settings) -> None:
    if args.json:
        print(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
    else:
        print(f"{'full rebuild' if report.full else 'update'} of {where} "
              f"from {settings.seeds_dir}: {report.summary()}")
        if report.full and report.space_needed is not None:
            from search.indexing.reindex import _mb

            print(f"  disk: needed about {_mb(report.space_needed)} free, {_mb(report.space_free)} was free")
        for f in report.failed:
            print(f"  failed  {f.path}: {f.reason}")


# --- docs / show -----------------------------------------------------------------------------
def _open_index(settings: Settings):
    from search.indexing.store import IndexMissing, IndexStore

    try:
        return IndexStore(settings.index_dir).open()
    except IndexMissing as e:
        print(f"search: {e}", file=sys.stderr)
        return None


def _read_stored(command: str, args, settings: Settings, from_opensearch, from_whoosh):
    """What `from_opensearch(engine)` or `from_whoosh(searcher)` reads, from the backend the
    arguments name; an exit code (int) when the index cannot be read, after saying why."""
    if args.backend == "opensearch":
        try:
            return from_opensearch(open_engine(args, settings.index_dir))
        except backend_errors() as e:
            explain(command, e, args)
            return EXIT_FAILED
    ix = _open_index(settings)
    if ix is None:
        return EXIT_NOT_FOUND
    with ix.searcher() as s:
        return from_whoosh(s)


def _cmd_docs(args, settings: Settings) -> int:
    from search.indexing.schema import from_stored

    def from_whoosh(s):
        return sorted((from_stored(f) for f in s.all_stored_fields()), key=lambda a: a.path)

    articles = _read_stored("docs", args, settings, lambda engine: list(engine.all_articles()), from_whoosh)
    if isinstance(articles, int):
        return articles
    if args.json:
        print(json.dumps([a.metadata() for a in articles], ensure_ascii=False, indent=2))
        return EXIT_OK
    for a in articles:
        people = ", ".join(p.name for p in a.delegates) or "-"
        print(f"{a.id}  {a.date.iso or '?':10}  {a.language:3} {a.outlet:8} {a.title[:70]}")
        print(f"{'':18}{a.path}  delegates: {people}")
    print(f"{len(articles)} documents")
    return EXIT_OK


def _cmd_show(args, settings: Settings) -> int:
    from search.indexing.schema import from_stored

    def from_whoosh(s):
        fields = s.document(id=args.id)
        return from_stored(fields) if fields else None

    article = _read_stored("show", args, settings, lambda engine: engine.stored_article(args.id), from_whoosh)
    if isinstance(article, int):
        return article
    if article is None:
        print(f"search show: no document with id {args.id!r} (see `search docs`)", file=sys.stderr)
        return EXIT_NOT_FOUND
    if args.json:
        print(json.dumps(article.to_json(), ensure_ascii=False, indent=2))
        return EXIT_OK
    meta = article.metadata()
    print(article.title)
    for key in ("id", "path", "date", "date_precision", "outlet_name", "language", "author"):
        print(f"  {key}: {meta[key]}")
    print(f"  delegates: {', '.join(p.name for p in article.delegates) or '-'}")
    print()
    print(article.body)
    return EXIT_OK


# --- serve -----------------------------------------------------------------------------------
def _cmd_serve(args, settings: Settings) -> int:
    import logging

    from search.prefork import MAX_WORKERS, Supervisor, default_workers, listening_socket
    from search.server import ServerLimits, make_server
    from web import create_app

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if args.backend == "opensearch":
        try:
            engine = open_engine(args, settings.index_dir)
            where = f"OpenSearch {engine.settings.describe()}"
            engine.state()
        except backend_errors() as e:
            explain("serve", e, args)
            return EXIT_FAILED
        app = create_app({"ENGINE": engine})
    else:
        if not (settings.index_dir / "CURRENT").exists():
            print(f"search serve: no index at {settings.index_dir}; serving anyway, pages will say to run "
                  "`search reindex`", file=sys.stderr)
        app = create_app({"INDEX_DIR": str(settings.index_dir), "BACKGROUND_REOPEN": True})
        where = settings.index_dir
    limits = ServerLimits(connection_limit=args.connection_limit, channel_timeout=args.channel_timeout,
                          request_timeout=args.request_timeout)
    workers = default_workers() if args.workers is None else args.workers
    if not 1 <= workers <= MAX_WORKERS:
        print(f"search serve: --workers must be 1-{MAX_WORKERS}, not {workers}", file=sys.stderr)
        return EXIT_USAGE
    if workers == 1:
        server = make_server(app, args.host, args.port, args.threads, limits, trusted_proxy=args.trusted_proxy)
        print(f"Serving {where} on http://{args.host}:{args.port}/  (Ctrl-C to stop)", flush=True)
        try:
            server.run()
        finally:
            server.close()
        return EXIT_OK
    try:  # bound here, before the fork: every worker accepts on it
        sock = listening_socket(args.host, args.port, limits.backlog)
    except OSError as e:
        print(f"search serve: cannot listen on {args.host}:{args.port}: {e.strerror or e}", file=sys.stderr)
        return EXIT_FAILED

    def serve_child(sock):
        make_server(app, args.host, args.port, args.threads, limits, trusted_proxy=args.trusted_proxy,
                    sock=sock).run()

    print(f"Serving {where} on http://{args.host}:{args.port}/ with {workers} worker processes "
          "(Ctrl-C to stop)", flush=True)
    with sock:
        Supervisor(sock, workers, serve_child).run()
    return EXIT_OK


# --- query -----------------------------------------------------------------------------------
def _cmd_query(args, settings: Settings) -> int:
    from search.engine import SearchError, SearchRequest
    from search.facets import FACETS
    from search.indexing.store import IndexMissing
    from search.postings import SearchTimeout
    from search.request import MAX_PAGE, whole_number

    try:
        request = SearchRequest(q=args.q, date_from=args.date_from, date_to=args.date_to, sort=args.sort,
                                as_typed=args.as_typed,
                                page=whole_number(args.page, "page", 1, 1, MAX_PAGE),
                                **{f.name: getattr(args, f.name) for f in FACETS})
        result = open_engine(args, settings.index_dir).search(request)
    except backend_errors() as e:
        explain("query", e, args)
        return EXIT_FAILED
    except IndexMissing as e:
        print(f"search: {e}", file=sys.stderr)
        return EXIT_NOT_FOUND
    except SearchError as e:
        print(f"search query: {e}", file=sys.stderr)
        return EXIT_USAGE
    except SearchTimeout as e:
        print(f"search query: {e}", file=sys.stderr)
        return EXIT_FAILED  # nothing was wrong with how it was called
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return EXIT_OK
    _print_results(result)
    return EXIT_OK


def _print_results(result: dict) -> None:
    import re
    import textwrap

    bold = ("\033[1m", "\033[0m") if sys.stdout.isatty() else ("[", "]")
    for note in result["notes"]:
        print(f"note: {note}")
    if result.get("corrected"):
        print(f"showing results for: {result['corrected']['q']} (search instead for "
              f"{result['corrected']['original']!r} with --as-typed)")
    if result.get("without_diacritics"):
        print(f"{result['without_diacritics']['more']} more results without diacritics: "
              f"{result['without_diacritics']['q']}")
    if result["suggestion"]:
        print(f"did you mean: {result['suggestion']['q']} ({result['suggestion']['total']} results)")
    first = (result["page"] - 1) * result["page_size"]
    for n, h in enumerate(result["hits"], start=first + 1):
        people = ", ".join(d["name"] for d in h["delegates"])
        print(f"{n:3}. {h['title']}")
        print(f"     {h['date'] or 'undated'} ({h['date_precision']}) · {h['outlet_name']} · {h['language']}"
              + (f" · {people}" if people else "") + f" · id {h['id']}")
        snippet = re.sub(r"<mark>(.*?)</mark>", lambda m: bold[0] + m.group(1) + bold[1], h["snippet"]["text"]
                         if not h["snippet"]["matches"] else _unescape(h["snippet"]["html"]))
        for line in textwrap.wrap(snippet, 100):
            print(f"     {line}")
    print(f"{result['total']} results, page {result['page']} of {result['pages']} ({result['took_ms']} ms)")
    from search.facets import FACETS

    for spec in FACETS:
        facet = result["facets"].get(spec.name)
        if facet and facet["values"]:
            values = ", ".join(f"{v['label']} {v['count']}" for v in facet["values"])
            print(f"  {spec.label}: {values}{' …' if facet['truncated'] else ''}")


def _unescape(html: str) -> str:
    import html as html_lib

    return html_lib.unescape(html.replace("<mark>", "\x00").replace("</mark>", "\x01")) \
        .replace("\x00", "<mark>").replace("\x01", "</mark>")


if __name__ == "__main__":
    sys.exit(main())
