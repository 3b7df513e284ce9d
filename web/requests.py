"""Turn a query string into a SearchRequest, validating every parameter (a 400 names it)."""

from __future__ import annotations

from urllib.parse import unquote_to_bytes

from werkzeug.datastructures import MultiDict

from search.facets import FACETS
from search.request import MAX_PAGE, MAX_PAGE_SIZE, PAGE_SIZE, SearchError, SearchRequest, whole_number

MAX_Q_CHARS = 1000
SINGLE = ("q", "sort", "page", "page_size", "from", "to", "mode", "ui", "as_typed")
MAX_VALUES = 20
MAX_VALUE_CHARS = 200


def parse_request(args: MultiDict, raw_query: bytes = b"") -> SearchRequest:
    """`args` as Werkzeug decoded them; `raw_query`, the query string as sent, is checked for bytes
    that are not UTF-8 (Werkzeug would quietly turn them into U+FFFD)."""
    _check_utf8(raw_query)
    for name in SINGLE:
        if len(args.getlist(name)) > 1:
            raise SearchError(f"parameter '{name}' was given more than once", name)
    q = args.get("q", "")
    if len(q) > MAX_Q_CHARS:
        raise SearchError(f"the query is {len(q)} characters long; the limit is {MAX_Q_CHARS}", "q")
    request = SearchRequest(q=q.strip())
    for facet in FACETS:
        values = [v.strip() for v in args.getlist(facet.param) if v.strip()]
        if len(values) > MAX_VALUES or any(len(v) > MAX_VALUE_CHARS for v in values):
            raise SearchError(f"too many or too long values for '{facet.param}'", facet.param)
        setattr(request, facet.name, list(dict.fromkeys(values)))
    request.sort = args.get("sort") or "relevance"
    request.page = whole_number(args.get("page"), "page", 1, 1, MAX_PAGE)
    request.page_size = whole_number(args.get("page_size"), "page_size", PAGE_SIZE, 1, MAX_PAGE_SIZE)
    request.date_from = args.get("from") or None
    request.date_to = args.get("to") or None
    request.mode = args.get("mode") or "all"
    request.ui = args.get("ui") if args.get("ui") in ("en", "vi", "zh", "ru") else "en"
    request.as_typed = args.get("as_typed", "") not in ("", "0")
    return request


def _check_utf8(raw_query: bytes) -> None:
    for pair in raw_query.split(b"&"):
        name, _, value = pair.partition(b"=")
        for part in (name, value):
            try:
                unquote_to_bytes(part.replace(b"+", b" ")).decode("utf-8")
            except UnicodeDecodeError:
                label = unquote_to_bytes(name).decode("utf-8", "replace")[:40]
                raise SearchError(f"parameter '{label}' is not valid UTF-8 text", label) from None
