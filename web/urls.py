"""URLs that keep the state in the query string: the filters, the sort and the UI language travel
with every link, so no click loses what the user chose.

The UI language is `?ui=` when given, else the browser's Accept-Language; once a user chooses it
with `?ui=`, every link carries it.
"""

from __future__ import annotations

from urllib.parse import urlencode

from flask import request

from search.facets import FACETS
from web.labels import UI_LANGUAGES

FACET_PARAMS = {f.name: f.param for f in FACETS}  # facet → its URL parameter (language → lang)
FILTER_PARAMS = (*(f.param for f in FACETS), "from", "to")
# Parameters that are the state of one results page, not of the search.
PAGE_ONLY = ("page", "contains", "vpage")


def wants_ui() -> str:
    chosen = request.args.get("ui")
    if chosen in UI_LANGUAGES:
        return chosen
    return request.accept_languages.best_match(UI_LANGUAGES, default="en") or "en"


def link(path: str, **params) -> str:
    """A link to `path` with `params` (None dropped), keeping the chosen UI language."""
    items = [(k, v) for k, v in params.items() if v is not None]
    if request.args.get("ui") in UI_LANGUAGES and "ui" not in params:
        items.append(("ui", request.args["ui"]))
    query = urlencode(items)
    return path + ("?" + query if query else "")


def url_with(path: str = "/search", **changes) -> str:
    """The current query string with `changes` applied (None removes); the page resets unless given."""
    items = [(k, v) for k, v in request.args.items(multi=True) if k not in changes and k not in PAGE_ONLY]
    for k, v in changes.items():
        if v is None:
            continue
        items.extend((k, x) for x in (v if isinstance(v, list) else [v]))
    query = urlencode(items)
    return path + ("?" + query if query else "")


def search_state(exclude: tuple = ("q", "as_typed")) -> list[tuple[str, str]]:
    """The current search's parameters as (name, value) pairs, for hidden form fields: a refined
    query keeps the filters, the sort and the UI language."""
    return [(k, v) for k, v in request.args.items(multi=True) if k not in exclude and k not in PAGE_ONLY]


def toggle_url(facet: str, value: str, path: str = "/search") -> str:
    """The link a facet value carries: select it if unselected, unselect it if selected."""
    param = FACET_PARAMS.get(facet, facet)
    current = request.args.getlist(param)
    values = [v for v in current if v != value] if value in current else current + [value]
    changes = {param: values or None}
    if facet == "year" and value in current:
        changes["month"] = None  # months belong to the year being removed
    return url_with(path, **changes)


def without_clause(q: str, q_without: str) -> tuple[int, int]:
    """Where `q_without` cut a clause out of `q`: the (start, end) of the removed text."""
    start = 0
    while start < min(len(q), len(q_without)) and q[start] == q_without[start]:
        start += 1
    end = 0
    while end < min(len(q), len(q_without)) - start and q[-1 - end] == q_without[-1 - end]:
        end += 1
    return start, len(q) - end


def q_without_all(q: str, chips: list[dict]) -> str:
    """The query with every typed filter removed (each chip says its own cut; apply them all).

    >>> q = "medvedev lang:en outlet:vna"
    >>> q_without_all(q, [{"source": "query", "q_without": "medvedev lang:en"},
    ...                   {"source": "query", "q_without": "medvedev outlet:vna"}])
    'medvedev'
    """
    spans = [without_clause(q, c["q_without"]) for c in chips if c.get("source") == "query" and "q_without" in c]
    keep, last = [], 0
    for start, end in sorted(spans):  # cuts may share the space between two clauses
        keep.append(q[last:start] if start > last else "")
        last = max(last, end)
    keep.append(q[last:])
    return " ".join("".join(keep).split())
