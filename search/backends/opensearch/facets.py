"""Facets on OpenSearch: the filters of a search, the disjunctive facet aggregations, and every
value of a facet past the `terms` aggregation's cap.

Disjunctive counts (search.results): each facet is counted with every *other* facet's selection
applied, so a value's count is what selecting it would give. Here: one `filter` aggregation per
facet holding the other facets' filters, a `terms` aggregation inside (months: a
`date_histogram` on `month_start` inside the one selected year); the search's own filters go in
`post_filter`, after the aggregations.

A `terms` aggregation returns at most MAX_BUCKETS values. When a facet has more (it says so with
`sum_other_doc_count`), `every_bucket` walks all its values with a `composite` aggregation, page
by page with its `after` key, under the same query and filters: the counts and the number of
distinct values are then exact, as on the Whoosh path, however many there are ("All values"
pages, 50 at a time with a filter box: search.value_list).
"""

from __future__ import annotations

from search.facets import FACETS

MAX_BUCKETS = 10000  # values per facet from one terms aggregation (OpenSearch allows 65,535 buckets in all)
COMPOSITE_PAGE = 5000  # values per request when walking every value of a facet


def filters_of(sel) -> dict[str, list[dict]]:
    """Each facet's selection as a filter (values of one facet OR-ed), and the date range."""
    out: dict[str, list[dict]] = {}
    for spec in FACETS:
        values = sel.of(spec.name)
        if values:
            out[spec.name] = [{"terms": {spec.column: values}}]
    if sel.date_from or sel.date_to:
        rng = {}  # undated articles have no date_sort, so any range leaves them out
        if sel.date_from:
            rng["gte"] = sel.date_from
        if sel.date_to:
            rng["lte"] = sel.date_to
        out["dates"] = [{"range": {"date_sort": rng}}]
    return out


def every_filter(filters: dict[str, list[dict]]) -> list[dict]:
    return [f for fs in filters.values() for f in fs]


def others(filters: dict[str, list[dict]], facet: str) -> list[dict]:
    """The filters of every facet but `facet` (and the dates): what its counts are counted under."""
    return [f for name, fs in filters.items() if name != facet for f in fs]


def facet_aggs(sel, filters: dict[str, list[dict]]) -> dict:
    """`f_<facet>` aggregations: each facet counted under the other facets' filters."""
    aggs = {}
    for spec in FACETS:
        name = spec.name
        if name == "month" and len(sel.of("year")) != 1:
            continue  # months are shown inside one selected year
        if name == "month":
            inner = {"date_histogram": {"field": "month_start", "calendar_interval": "month",
                                        "format": "yyyy-MM", "min_doc_count": 1}}
        else:
            inner = {"terms": {"field": spec.column, "size": MAX_BUCKETS}}
        rest = others(filters, name)
        aggs["f_" + name] = {"filter": {"bool": {"filter": rest}} if rest else {"match_all": {}},
                             "aggs": {"v": inner}}
    return aggs


def capped(aggs: dict) -> list[str]:
    """The facets whose terms aggregation left values out."""
    return [spec.name for spec in FACETS
            if spec.name != "month" and aggs.get("f_" + spec.name, {}).get("v", {}).get("sum_other_doc_count")]


def every_bucket(client, index: str, query: dict, field: str, filters: list[dict]) -> dict[str, int]:
    """value → documents for every value of `field` among the documents matching `query` and
    `filters`, walked with a composite aggregation (COMPOSITE_PAGE values a request)."""
    counts: dict[str, int] = {}
    after = None
    while True:
        composite = {"size": COMPOSITE_PAGE, "sources": [{"v": {"terms": {"field": field}}}]}
        if after:
            composite["after"] = after
        resp = client.search(index=index, body={"size": 0, "track_total_hits": False,
                                                "query": {"bool": {"must": [query], "filter": filters}},
                                                "aggs": {"c": {"composite": composite}}})
        agg = resp["aggregations"]["c"]
        counts.update((b["key"]["v"], b["doc_count"]) for b in agg["buckets"])
        after = agg.get("after_key")
        if len(agg["buckets"]) < COMPOSITE_PAGE or not after:
            return counts


class AggCounts:
    """Facet counts read from the aggregations, shaped for search.results.facet_values:
    `counts(name, key)` with the key that AggNarrowing.apply hands back (the facet's name).
    `complete` holds every value of a facet whose terms aggregation was capped."""

    def __init__(self, aggs: dict, year: str | None, complete: dict[str, dict[str, int]] | None = None):
        self.by_facet: dict[str, dict[str, int]] = {}
        for spec in FACETS:
            agg = aggs.get("f_" + spec.name)
            if agg is None:
                continue
            buckets = agg["v"]["buckets"]
            if spec.name == "month":
                counts = {b["key_as_string"]: b["doc_count"] for b in buckets if b["doc_count"]}
                counts = {k: v for k, v in counts.items() if k.startswith(f"{year}-")}
            else:
                counts = {b["key"]: b["doc_count"] for b in buckets}
            self.by_facet[spec.name] = (complete or {}).get(spec.name, counts)

    def counts(self, name: str, key: str) -> dict[str, int]:
        return self.by_facet.get(key, {})


class AggNarrowing:
    """Stands in for search.facets.Narrowing: the counts are already narrowed per facet."""

    @staticmethod
    def apply(mask, except_facet: str | None = None):
        return except_facet
