"""Every value of one facet for a search, not only the top few: for a facet's own page and its
JSON twin, with paging and a filter on the values' names.

Counts are the search's own disjunctive counts (the facet's own selection left out), so a value's
count is the number of results selecting it would give.
"""

from __future__ import annotations

import dataclasses

from search.analysis.vietnamese import fold_accents

LISTED = ("outlet", "language", "delegate", "year")
PAGE_SIZE = 50
MAX_CONTAINS = 100
EVERY_VALUE = 10**9


def value_list(engine, request, facet: str, contains: str = "", page: int = 1, page_size: int | None = None) -> dict:
    """{facet, values (this page), total_values, matching, page, pages, contains}.

    `contains` keeps the values whose label or value holds it, ignoring case and accents
    (`hoang` finds Hoàng Bình Quân). Raises ValueError naming the facet when it has no list."""
    if facet not in LISTED:
        raise ValueError(f"no value list for facet {facet!r}; one of {', '.join(LISTED)}")
    page_size = page_size or PAGE_SIZE
    everything = dataclasses.replace(request, page=1, page_size=1, facet_limit=EVERY_VALUE)
    result = engine.search(everything)
    values = result["facets"][facet]["values"]
    if facet == "year":
        values = sorted(values, key=lambda v: (v["value"] == "unknown", v["value"]), reverse=False)
    wanted = _folded(contains.strip()[:MAX_CONTAINS])
    matching = [v for v in values if not wanted or wanted in _folded(v["label"]) or wanted in _folded(v["value"])]
    pages = max(1, -(-len(matching) // page_size))
    first = (page - 1) * page_size
    return {"facet": facet, "contains": contains, "total_values": len(values), "matching": len(matching),
            "page": page, "page_size": page_size, "pages": pages, "values": matching[first:first + page_size],
            "search_total": result["total"], "filters": result["filters"], "query": result["query"]}


def _folded(text: str) -> str:
    return " ".join(fold_accents(text).casefold().split())
