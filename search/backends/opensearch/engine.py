"""OpenSearchEngine: the SearchEngine interface (search, article, overview, rank) answered by an
OpenSearch cluster, with the same request validation, query plan, facet formatting, snippets and
JSON as the Whoosh path (search.engine). Only execution differs:

    words        the QueryPlan's tree as query DSL (translate.py), scored by Lucene's BM25
    filters      facet selections and dates in `post_filter`, so the aggregations see the text
                 matches before them
    facets       one `filter` aggregation per facet, holding every other facet's selection (the
                 disjunctive counts of search.results), a `terms` aggregation inside; months as a
                 `date_histogram` inside the one selected year
    order        relevance: the word-pair and proximity bonuses as rescores of the best
                 RESCORE_WINDOW (as the Whoosh path reranks its best 200); newest/oldest by
                 date_sort, undated last, then id
    timeline     search.timeline's periods from the results' dates (a terms aggregation on date_sort)
    snippets     search.results.hits on the stored record: the same highlighter
    deep paging  `iter_hits` walks every hit with `search_after`, past OpenSearch's 10,000 window
"""

from __future__ import annotations

import dataclasses
import json
import re
import threading
import time
from dataclasses import dataclass, field

import numpy as np
from opensearchpy.exceptions import ConnectionTimeout

from search.backends.opensearch.facets import (
    AggCounts,
    AggNarrowing,
    capped,
    every_bucket,
    every_filter,
    facet_aggs,
    filters_of,
    others,
)
from search.backends.opensearch.mapping import PERSON_SEPARATOR
from search.backends.opensearch.settings import OpenSearchSettings
from search.backends.opensearch.suggest import nearby_words
from search.backends.opensearch.translate import PrefixLexicon, to_dsl
from search.executor import PROXIMITY_FIELD, PROXIMITY_WEIGHT, PROXIMITY_WINDOW
from search.facets import FACETS, UNKNOWN
from search.indexing.schema import from_stored
from search.marks import UNMARKED, strip_marks
from search.metadata.outlets import OutletRegistry
from search.metadata.people import PeopleRegistry, best_display_name
from search.postings import SearchTimeout
from search.query_builder import QueryBuilder, QueryPlan, word_count
from search.querylang import parse
from search.request import TIME_LIMIT, SearchRequest, check_known_values, select, validate
from search.results import Labels, article_page, by_count, chips, facet_values, hits
from search.suggest import suggest
from search.timeline import date_timeline, window_from

RESCORE_WINDOW = 200
STATE_TTL = 10.0  # seconds the index's delegates and facet vocabularies are cached
MAX_DATES = 20000  # distinct dates of one result set on the timeline (55 years of days)
# "Did you mean" takes two round trips here (the nearby words, then the correction's count), where
# the Whoosh path reads memory in 30 ms (search.suggest.SUGGEST_BUDGET): bounded, but by this.
SUGGEST_BUDGET = 0.5


@dataclass
class IndexState:
    """What the query builder and validation need to know about the index, cached briefly."""

    index: str  # the concrete index behind the alias
    people: dict[str, str]  # delegate key → display name
    columns: dict  # facet name → object with `.values` (the values the index holds)
    documents: int
    every_date: np.ndarray  # date_sort of every dated document, sorted (the timeline's "all")
    read_at: float = field(default_factory=time.monotonic)


@dataclass
class _Values:
    values: list[str]


class _Records:
    """Stands in for a Whoosh searcher in search.results.hits: documents by their rank on the page."""

    def __init__(self, records: list[dict]):
        self.records = records

    def stored_fields(self, i: int) -> dict:
        return {"record": json.dumps(self.records[i], ensure_ascii=False)}


class OpenSearchEngine:
    def __init__(self, settings: OpenSearchSettings, outlets: OutletRegistry | None = None,
                 people: PeopleRegistry | None = None, time_limit: float | None = TIME_LIMIT, client=None):
        self.settings = settings
        self.client = client or settings.client()
        self.alias = settings.index
        self.time_limit = time_limit
        self.outlets = outlets or OutletRegistry.load()
        self.registry = people or PeopleRegistry.load()
        self._state: IndexState | None = None
        self._state_lock = threading.Lock()

    # --- what the index holds -----------------------------------------------------------------
    def state(self) -> IndexState:
        state = self._state
        if state is not None and time.monotonic() - state.read_at < STATE_TTL:
            return state
        with self._state_lock:
            if self._state is None or time.monotonic() - self._state.read_at >= STATE_TTL:
                self._state = self._read_state()
            return self._state

    def _read_state(self) -> IndexState:
        documents = self.client.count(index=self.alias)["count"]
        names: dict[str, list[str]] = {}
        # As the Whoosh path reads them from its manifest: every form a delegate is written in, once
        # per article, in the order of the articles' paths (so that ties pick the same display name).
        forms = sorted(self._all_terms("person"), key=lambda f: f[1])
        for value, _, count in forms:
            key, _, name = value.partition(PERSON_SEPARATOR)
            names.setdefault(key, []).extend([name] * count)
        people = {}
        for key, forms in names.items():
            entry = self.registry.canonical(forms[0])
            people[key] = entry.name if entry else best_display_name(forms)
        index = next(iter(self.client.indices.get_alias(name=self.alias)))
        columns = {name: _Values(sorted(every_bucket(self.client, self.alias, {"match_all": {}}, name, [])))
                   for name in ("language", "outlet")}
        dates = [(int(v), n) for v, _, n in self._all_terms("date_sort", first_path=False)]
        every_date = np.repeat(np.array([d for d, _ in dates], dtype=np.int64), [n for _, n in dates])
        return IndexState(index, people, columns, documents, np.sort(every_date))

    def _all_terms(self, fieldname: str, first_path: bool = True):
        """(value, first path holding it or None, number of documents) for every value of a field,
        paged with a composite aggregation."""
        after = None
        while True:
            comp = {"size": 1000, "sources": [{"v": {"terms": {"field": fieldname}}}]}
            if after:
                comp["after"] = after
            first = {"top_hits": {"size": 1, "sort": [{"path": "asc"}], "_source": ["path"]}}
            resp = self.client.search(index=self.alias, body={"size": 0, "aggs": {"c": {
                "composite": comp, "aggs": {"first": first} if first_path else {}}}})
            agg = resp["aggregations"]["c"]
            for b in agg["buckets"]:
                path = b["first"]["hits"]["hits"][0]["_source"]["path"] if first_path else None
                yield b["key"]["v"], path, b["doc_count"]
            after = agg.get("after_key")
            if not agg["buckets"] or not after:
                return

    # --- searching ----------------------------------------------------------------------------
    def search(self, request: SearchRequest) -> dict:
        started = time.perf_counter()
        validate(request)
        state = self.state()
        check_known_values(request, state.columns, state.people, self.outlets, self.registry)
        parsed = parse(request.q)
        notes = list(parsed.notes)
        sel = select(request, parsed, self.outlets, notes)
        builder = QueryBuilder(PrefixLexicon(self.client, self.alias), state.people, self.registry)
        parsed = builder.keep_rarest(parsed, notes)
        plan = builder.plan(parsed, request.mode)
        resp = self._run(plan, sel, request)
        # nothing has every word: a misspelling surely meant (shown instead), or any of the words
        found, tried = None, False
        if plan.mode == "all" and plan.query is not None and resp["hits"]["total"]["value"] == 0:
            tried, found = True, self._suggest(builder, parsed, 0, sel)
            if found and found[0].confident and not request.as_typed:
                return self._corrected(request, found[0].q, started)
            if _text_matches(resp) == 0 and word_count(parsed) > 1:
                any_plan = builder.plan(parsed, "any")
                any_resp = self._run(any_plan, sel, request)
                if _text_matches(any_resp):
                    notes.append("no article has all the words; showing articles with any of them")
                    plan, resp = any_plan, any_resp
        total = resp["hits"]["total"]["value"]
        label = Labels(self.outlets, state.people, self.registry, request.ui)
        page = resp["hits"]["hits"]
        records = [h["_source"]["record"] for h in page]
        scored = request.sort == "relevance" and plan.query is not None
        ranked = [(i, h["_score"] if scored else None) for i, h in enumerate(page)]
        # articles written without marks, where a word typed with marks is found (and marked) folded
        unmarked = frozenset(i for i, h in enumerate(page) if h["_source"].get("marks") == UNMARKED) \
            if plan.spelled else frozenset()
        year = sel.of("year")[0] if len(sel.of("year")) == 1 else None
        result = {
            "query": request.q, "mode": plan.mode, "total": total, "page": request.page,
            "page_size": request.page_size, "pages": max(1, -(-total // request.page_size)),
            "sort": request.sort, "hits": hits(_Records(records), state.people, ranked, plan, unmarked, label),
            "facets": facet_values(AggCounts(resp["aggregations"], year, self._past_cap(resp, plan, sel)), None,
                                   AggNarrowing, sel, label, request.facet_limit),
            "notes": notes, "filters": chips(sel, label), "suggestion": None, "corrected": None,
            "timeline": _timeline(resp["aggregations"], sel, state.every_date),
            "without_diacritics": None,
        }
        if plan.spelled:  # what the query finds typed without its marks
            folded = builder.plan(parsed, plan.mode, ignore_marks=True)
            query = {"bool": {"must": [to_dsl(folded.query)],
                              "filter": every_filter(filters_of(sel))}}
            more = self.client.count(index=self.alias, body={"query": query})["count"] - total
            if more > 0:
                result["without_diacritics"] = {"q": strip_marks(request.q), "total": total + more, "more": more}
        if total < 3 and plan.query is not None:  # did you mean
            found = found if tried else self._suggest(builder, parsed, total, sel)
            if found and found[1] > total:
                result["suggestion"] = found[0].as_json(found[1])
                if total == 0 and found[0].confident and not request.as_typed:
                    return self._corrected(request, found[0].q, started)
        result["took_ms"] = round((time.perf_counter() - started) * 1000, 1)
        return result

    def _suggest(self, builder: QueryBuilder, parsed, total: int, sel):
        """search.suggest, as on the Whoosh path, over the index's words near the query's
        (suggest.nearby_words), counting a corrected query's results with the same filters."""
        filters = every_filter(filters_of(sel))

        def count(query, seconds: float) -> int | None:
            body = {"query": {"bool": {"must": [to_dsl(builder.plan(query, "all").query)], "filter": filters}}}
            try:
                return self.client.count(index=self.alias, body=body, request_timeout=max(seconds, 0.05))["count"]
            except ConnectionTimeout:
                return None

        return suggest(parsed, total, nearby_words(self.client, self.alias, parsed), count, SUGGEST_BUDGET)

    def _corrected(self, request: SearchRequest, q: str, started: float) -> dict:
        """The results of `q`, the confident correction of a query that found nothing."""
        result = self.search(dataclasses.replace(request, q=q, as_typed=True))
        # Shown as "Showing results for {q}; search instead for {original}" (a link with as_typed=1).
        result.update(query=request.q, corrected={"q": q, "original": request.q}, suggestion=None,
                      took_ms=round((time.perf_counter() - started) * 1000, 1))
        return result

    def _run(self, plan: QueryPlan, sel, request: SearchRequest) -> dict:
        body = self.request_body(plan, sel, request)
        timeout = f"{int(self.time_limit * 1000)}ms" if self.time_limit else None
        resp = self.client.search(index=self.alias, body=body,
                                  params={"timeout": timeout} if timeout else None,
                                  request_timeout=(self.time_limit or 30) + 5)
        if resp.get("timed_out"):
            raise SearchTimeout(f"the search was stopped after {self.time_limit:g} s; narrow it with fewer "
                                "common words, a phrase or a filter")
        return resp

    def request_body(self, plan: QueryPlan, sel, request: SearchRequest) -> dict:
        filters = filters_of(sel)
        body: dict = {
            "query": to_dsl(plan.query),
            "track_total_hits": True,
            "from": (request.page - 1) * request.page_size,
            "size": request.page_size,
            "_source": ["record", "marks"],
            "aggs": {"matched": {"filter": {"match_all": {}}}},
        }
        all_filters = every_filter(filters)
        if all_filters:
            body["post_filter"] = {"bool": {"filter": all_filters}}
        body["aggs"].update(facet_aggs(sel, filters))
        # the timeline: the dates of the results, and the undated ones no date filter can reach
        body["aggs"]["tl_final"] = {"filter": {"bool": {"filter": all_filters}},
                                    "aggs": {"d": {"terms": {"field": "date_sort", "size": MAX_DATES}}}}
        undated = [f for facet, fs in filters.items() if facet not in ("year", "month", "dates") for f in fs]
        body["aggs"]["tl_undated"] = {"filter": {"bool": {"filter": undated,
                                                          "must_not": [{"exists": {"field": "date_sort"}}]}}}
        if request.sort == "relevance" and plan.query is not None:
            rescore = _rescore(plan)
            if rescore:
                body["rescore"] = rescore
        else:
            order = "asc" if request.sort == "oldest" else "desc"
            body["sort"] = [{"date_sort": {"order": order, "missing": "_last"}}, {"id": "asc"}]
        return body

    def _past_cap(self, resp: dict, plan: QueryPlan, sel) -> dict[str, dict[str, int]]:
        """Every value of each facet that has more than a terms aggregation returns (exact counts
        and number of values, as on the Whoosh path; facets.every_bucket)."""
        filters = filters_of(sel)
        columns = {spec.name: spec.column for spec in FACETS}
        return {name: every_bucket(self.client, self.alias, to_dsl(plan.query), columns[name], others(filters, name))
                for name in capped(resp["aggregations"])}

    def iter_hits(self, request: SearchRequest, batch: int = 500):
        """Every hit of `request`, in its order, as (id, score or None), with `search_after`: no
        from+size window, so this goes past OpenSearch's 10,000-hit limit (exports, audits).
        Relevance order here is the word scores alone (a rescore cannot be combined with search_after)."""
        validate(request)
        state = self.state()
        parsed = parse(request.q)
        sel = select(request, parsed, self.outlets, [])
        plan = QueryBuilder(PrefixLexicon(), state.people, self.registry).plan(parsed, request.mode)
        query = {"bool": {"must": [to_dsl(plan.query)], "filter": every_filter(filters_of(sel))}}
        if request.sort == "relevance" and plan.query is not None:
            sort = [{"_score": "desc"}, {"id": "asc"}]
        else:
            sort = [{"date_sort": {"order": "asc" if request.sort == "oldest" else "desc", "missing": "_last"}},
                    {"id": "asc"}]
        after = None
        while True:
            body = {"query": query, "size": batch, "sort": sort, "_source": False, "track_total_hits": False}
            if after:
                body["search_after"] = after
            page = self.client.search(index=self.alias, body=body)["hits"]["hits"]
            for h in page:
                yield h["_id"], h.get("_score")
            if len(page) < batch:
                return
            after = page[-1]["sort"]

    def rank(self, q: str, limit: int = 100, mode: str = "any") -> list[str]:
        """Just the ranked ids for `q`, as SearchEngine.rank (for evaluation and the parity test)."""
        state = self.state()
        plan = QueryBuilder(PrefixLexicon(), state.people, self.registry).plan(parse(q), mode)
        if plan.query is None:
            return []
        body = {"query": to_dsl(plan.query), "size": limit, "_source": False}
        rescore = _rescore(plan)
        if rescore:
            body["rescore"] = rescore
        return [h["_id"] for h in self.client.search(index=self.alias, body=body)["hits"]["hits"]]

    # --- articles -----------------------------------------------------------------------------
    def _article(self, doc_id: str):
        if not re.fullmatch(r"[0-9a-f]{16}", doc_id or ""):
            return None
        resp = self.client.search(index=self.alias, body={"query": {"ids": {"values": [doc_id]}},
                                                          "_source": ["record"], "size": 1})
        found = resp["hits"]["hits"]
        return from_stored({"record": json.dumps(found[0]["_source"]["record"])}) if found else None

    def stored_article(self, doc_id: str):
        """The Article as indexed (`search show`), or None."""
        return self._article(doc_id)

    def all_articles(self, batch: int = 500):
        """Every indexed Article in the order of their paths (`search docs`), walked with search_after."""
        after = None
        while True:
            body = {"query": {"match_all": {}}, "size": batch, "sort": [{"path": "asc"}, {"id": "asc"}],
                    "_source": ["record"], "track_total_hits": False}
            if after:
                body["search_after"] = after
            page = self.client.search(index=self.alias, body=body)["hits"]["hits"]
            for h in page:
                yield from_stored({"record": json.dumps(h["_source"]["record"])})
            if len(page) < batch:
                return
            after = page[-1]["sort"]

    def article(self, doc_id: str, q: str = "") -> dict | None:
        """As SearchEngine.article: the article's JSON with the query's words marked, bounded."""
        article = self._article(doc_id)
        if article is None:
            return None
        return article_page(article, self.state().people, q)

    def article_text(self, doc_id: str) -> str | None:
        article = self._article(doc_id)
        return f"{article.title}\n\n{article.body}\n" if article else None

    def overview(self) -> dict:
        state = self.state()
        label = Labels(self.outlets, state.people)
        counts = {name: every_bucket(self.client, self.alias, {"match_all": {}}, name, [])
                  for name in ("language", "outlet")}
        return {
            "documents": self.client.count(index=self.alias)["count"],
            "language": by_count(counts["language"], lambda v: label("language", v)),
            "outlet": by_count(counts["outlet"], lambda v: label("outlet", v)),
            "generation": state.index,
        }


def _timeline(aggs: dict, sel, every_date: np.ndarray) -> dict:
    """search.timeline's periods from two aggregations: the results' dates with their counts, and
    how many undated articles match. date_timeline reads arrays, so they are rebuilt as arrays."""
    buckets = aggs["tl_final"]["d"]["buckets"]
    dates = np.repeat(np.array([b["key"] for b in buckets], dtype=np.int64), [b["doc_count"] for b in buckets])
    undated = aggs["tl_undated"]["doc_count"]
    date_sort = np.concatenate([dates, np.zeros(undated, dtype=np.int64)])
    final = np.arange(len(date_sort)) < len(dates)
    return date_timeline(date_sort, ~final, final, None, window_from(sel.as_dict()), every_date=every_date)


def _text_matches(resp: dict) -> int:
    return resp["aggregations"]["matched"]["doc_count"]


def _rescore(plan: QueryPlan) -> list[dict]:
    """The Whoosh path's two bonuses, on the best RESCORE_WINDOW as it reranks its best 200:
    adjacent query words found as a phrase (the same phrase queries and boosts, added), then the
    query's words close together. The Whoosh path adds the best score times the share of the
    words' idf found within PROXIMITY_WINDOW body positions; here a document with all of them that
    close has its score doubled, which is that bonus for the documents at the top and leaves out
    partial shares (see docs/opensearch.md)."""
    out = []
    if plan.pair_boosts:
        out.append({"window_size": RESCORE_WINDOW, "query": {
            "rescore_query": {"bool": {"should": [to_dsl(p) for p in plan.pair_boosts]}},
            "query_weight": 1.0, "rescore_query_weight": 1.0, "score_mode": "total"}})
    words = sorted(plan.words)
    if 1 < len(words) <= PROXIMITY_WINDOW:
        near = {"span_near": {"clauses": [{"span_term": {PROXIMITY_FIELD: w}} for w in words],
                              "slop": PROXIMITY_WINDOW - len(words), "in_order": False}}
        out.append({"window_size": RESCORE_WINDOW, "query": {
            "rescore_query": {"constant_score": {"filter": near, "boost": 1.0 + PROXIMITY_WEIGHT}},
            "query_weight": 1.0, "rescore_query_weight": 1.0, "score_mode": "multiply"}})
    return out


__all__ = ["OpenSearchEngine", "UNKNOWN"]
