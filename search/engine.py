"""The search core: one place that turns a request into hits, facets and messages, for the CLI,
the JSON API and the web pages alike. A query flows through one module per stage:

    search.request        the request, its limits and validation, and the filters it selects
    search.query_builder  the parsed query as a QueryPlan (a Whoosh query tree plus what ranking needs)
    search.ranking        execution (search.executor) and the order of the page asked for
    search.results        hits, facet counts and labels, filter chips
    search.suggest        "did you mean"

This module only opens index generations and runs those stages in order.
"""

from __future__ import annotations

import dataclasses
import logging
import re
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass

from whoosh.scoring import BM25F

from search.executor import Executor
from search.facets import FacetColumns
from search.indexing.arrays import DelegateNames, generation_arrays
from search.indexing.schema import from_stored
from search.indexing.store import IndexStore
from search.marks import strip_marks
from search.metadata.outlets import OutletRegistry
from search.metadata.people import PeopleRegistry, best_display_name
from search.postings import Deadline, PostingsCache, SearchTimeout
from search.query_builder import QueryBuilder, word_count
from search.querylang import ParsedQuery, parse
from search.ranking import by_date, by_relevance, evaluate, unmarked_docs
from search.ranking import count as count_matching
from search.readers import ReaderPool, leased
from search.request import (  # noqa: F401  (SearchError, SearchRequest and the limits are imported from here)
    MAX_PAGE,
    MAX_PAGE_SIZE,
    PAGE_SIZE,
    TIME_LIMIT,
    SearchError,
    SearchRequest,
    check_known_values,
    select,
    validate,
)
from search.results import (
    Labels,
    Narrowing,
    ShownCache,
    article_page,
    by_count,
    chips,
    facet_values,
    hits,
    role_year,
)
from search.suggest import VocabularyLoader, suggest
from search.timeline import timeline_for

log = logging.getLogger(__name__)


@dataclass
class Generation:
    """Everything cached for one published index generation."""

    name: str
    index: object
    searcher: object
    facets: FacetColumns
    postings: PostingsCache
    people: Mapping[str, str]  # delegate key → display name
    readers: ReaderPool  # searchers lent one per search (search.readers): searches run side by side
    vocabulary: VocabularyLoader  # the index's words, for "did you mean" (search.suggest), read when first needed
    shown: ShownCache  # documents shown as hits, decoded once per generation (search.results)


class SearchEngine:
    def __init__(self, index_dir, outlets: OutletRegistry | None = None, people: PeopleRegistry | None = None,
                 time_limit: float | None = TIME_LIMIT, background_reopen: bool = False):
        self.store = IndexStore(index_dir)
        self.time_limit = time_limit
        self.background_reopen = background_reopen  # for long-running servers
        self._opening: str | None = None
        self.outlets = outlets or OutletRegistry.load()
        self.registry = people or PeopleRegistry.load()
        self._generation: Generation | None = None
        self._open_lock = threading.Lock()

    # --- index generations ------------------------------------------------------------------
    def generation(self) -> Generation:
        """The live generation. When `search reindex` has published a new one, it is opened in
        the background while searches go on being answered from the current one, and replaces it
        when ready: no search waits for a new generation's arrays (seconds at 100,000 articles)."""
        name = self.store.current_name()
        gen = self._generation
        if gen is not None and gen.name == name:
            return gen
        if gen is not None and self.background_reopen:
            self._open_in_background(name)
            return gen
        with self._open_lock:
            gen = self._generation
            if gen is None or gen.name != self.store.current_name():
                gen = self._open()
                self._generation = gen
        return gen

    def _open_in_background(self, name: str) -> None:
        with self._open_lock:
            if self._opening == name:
                return
            self._opening = name

        def open_new():
            try:
                gen = self._open()
                with self._open_lock:
                    self._generation = gen
            except Exception:  # a generation replaced again while opening, say; the next search retries
                log.exception("could not open index generation %s", name)
            finally:
                with self._open_lock:
                    if self._opening == name:
                        self._opening = None

        threading.Thread(target=open_new, name=f"open-{name}", daemon=True).start()

    def _open(self) -> Generation:
        gen_dir = self.store.current_dir()
        index = self.store.open()
        searcher = index.searcher(weighting=BM25F())
        facets, lengths, names = generation_arrays(gen_dir, searcher)  # memory-mapped: milliseconds
        people = DelegateNames(names, self.registry, best_display_name)  # named when first shown
        threading.Thread(target=people.name_all, name=f"names-{gen_dir.name}", daemon=True).start()  # or sooner
        return Generation(gen_dir.name, index, searcher, facets, PostingsCache(searcher, length_codes=lengths),
                          people, ReaderPool(index, searcher, weighting=BM25F()), VocabularyLoader(index),
                          ShownCache())

    # --- searching ---------------------------------------------------------------------------
    def search(self, request: SearchRequest) -> dict:
        started = time.perf_counter()
        validate(request)
        gen = self.generation()
        check_known_values(request, gen.facets.columns, gen.people, self.outlets, self.registry)
        parsed = parse(request.q)
        notes = list(parsed.notes)
        selections = select(request, parsed, self.outlets, notes)
        deadline = Deadline.after(self.time_limit)
        try:
            with leased(gen, deadline) as own:  # waiting for a searcher counts against the limit
                result = self._answer(own, request, parsed, selections, notes, deadline)
        except SearchTimeout:
            raise SearchTimeout(f"the search was stopped after {self.time_limit:g} s; narrow it with fewer "
                                "common words, a phrase or a filter") from None
        result["took_ms"] = round((time.perf_counter() - started) * 1000, 1)
        return result

    def _answer(self, gen: Generation, request: SearchRequest, parsed: ParsedQuery, selections, notes: list[str],
                deadline: Deadline) -> dict:
        # 1. plan and run the words
        builder = QueryBuilder(gen.searcher.reader(), gen.people, self.registry)
        executor = Executor(gen.postings, deadline)
        parsed = builder.keep_rarest(parsed, notes)
        plan = builder.plan(parsed, request.mode)
        matched = evaluate(plan, executor, gen.facets)
        narrowing = Narrowing(gen.facets, selections)

        def count(query: ParsedQuery, seconds: float) -> int | None:
            """What `query` finds with these filters; None if that takes more than `seconds`."""
            probe = Executor(gen.postings, Deadline.after(max(seconds, 1e-6)))
            try:
                return count_matching(builder.plan(query, "all"), probe, gen.facets, narrowing)
            except SearchTimeout:
                return None

        # 2. nothing has every word: a misspelling surely meant (shown instead), or any of the words
        found, tried = None, False
        if plan.mode == "all" and plan.query is not None and not narrowing.apply(matched.mask).any():
            tried, found = True, suggest(parsed, 0, _vocabulary(gen, deadline), count)
            if found and found[0].confident and not request.as_typed:
                return self._corrected(gen, request, found[0].q, selections, notes, deadline)
            if not matched.mask.any() and word_count(parsed) > 1:
                any_plan = builder.plan(parsed, "any")
                any_matched = evaluate(any_plan, executor, gen.facets)
                if any_matched.mask.any():
                    notes.append("no article has all the words; showing articles with any of them")
                    plan, matched = any_plan, any_matched
        # 3. narrow by the filters, and order the page asked for
        final = narrowing.apply(matched.mask)
        total = int(final.sum())
        first = (request.page - 1) * request.page_size
        wanted = first + request.page_size
        ranked = []
        if first < total:
            ranked = by_relevance(plan, executor, matched, final, first, wanted) \
                if request.sort == "relevance" and plan.query is not None \
                else by_date(gen.facets, final, request.sort, first, wanted)
        # 4. results, facets and chips
        label = Labels(self.outlets, gen.people, self.registry, request.ui, year=role_year(selections))
        page = hits(gen.searcher, gen.people, ranked, plan, unmarked_docs(gen.postings, plan), label, gen.shown)
        result = {
            "query": request.q, "mode": plan.mode, "total": total, "page": request.page,
            "page_size": request.page_size, "pages": max(1, -(-total // request.page_size)),
            "sort": request.sort, "hits": page,
            "facets": facet_values(gen.facets, matched.mask, narrowing, selections, label, request.facet_limit,
                                   matched.matching()),
            "notes": notes, "filters": chips(selections, label), "suggestion": None, "corrected": None,
            "timeline": timeline_for(gen.facets, matched.mask, narrowing.by_facet, final, selections.as_dict()),
        }
        # 5. presentation: what the query finds typed without its marks; did you mean
        result["without_diacritics"] = None
        if plan.spelled:
            more = count_matching(builder.plan(parsed, plan.mode, ignore_marks=True), executor, gen.facets,
                                  narrowing) - total
            if more > 0:
                result["without_diacritics"] = {"q": strip_marks(request.q), "total": total + more, "more": more}
        if total < 3 and plan.query is not None:
            found = found if tried else suggest(parsed, total, _vocabulary(gen, deadline), count)
            if found and found[1] > total:
                result["suggestion"] = found[0].as_json(found[1])
                if total == 0 and found[0].confident and not request.as_typed:
                    return self._corrected(gen, request, found[0].q, selections, notes, deadline)
        return result

    def _corrected(self, gen, request: SearchRequest, q: str, selections, notes: list[str], deadline) -> dict:
        """The results of `q`, the confident correction of a query that found nothing."""
        parsed = parse(q)
        result = self._answer(gen, dataclasses.replace(request, q=q, as_typed=True), parsed, selections,
                              list(notes), deadline)
        # Shown as "Showing results for {q}; search instead for {original}" (a link with as_typed=1).
        result.update(query=request.q, corrected={"q": q, "original": request.q}, suggestion=None)
        return result

    def rank(self, q: str, limit: int = 100, mode: str = "any") -> list[str]:
        """Just the ranked ids for `q`, through the same query path as `search` (for evaluation)."""
        with leased(self.generation()) as gen:
            builder = QueryBuilder(gen.searcher.reader(), gen.people, self.registry)
            plan = builder.plan(builder.keep_rarest(parse(q), []), mode)
            if plan.query is None:
                return []
            executor = Executor(gen.postings)
            matched = evaluate(plan, executor, gen.facets)
            ranked = by_relevance(plan, executor, matched, matched.mask, 0, limit)
            return [gen.searcher.stored_fields(docnum)["id"] for docnum, _ in ranked]

    # --- articles ----------------------------------------------------------------------------
    def article(self, doc_id: str, q: str = "") -> dict | None:
        if not re.fullmatch(r"[0-9a-f]{16}", doc_id or ""):
            return None
        gen = self.generation()
        with leased(gen) as own:
            fields = own.searcher.document(id=doc_id)
        if not fields:
            return None
        return article_page(from_stored(fields), gen.people, q)

    def article_text(self, doc_id: str) -> str | None:
        """An article's title and whole body as plain text (the article page shows a bounded part)."""
        if not re.fullmatch(r"[0-9a-f]{16}", doc_id or ""):
            return None
        with leased(self.generation()) as own:
            fields = own.searcher.document(id=doc_id)
        if not fields:
            return None
        article = from_stored(fields)
        return f"{article.title}\n\n{article.body}\n"

    def overview(self) -> dict:
        """What the archive holds: counts by language and outlet, for the home page."""
        gen = self.generation()
        live = gen.facets.live
        label = Labels(self.outlets, gen.people)
        return {
            "documents": int(live.sum()),
            "language": by_count(gen.facets.counts("language", live), lambda v: label("language", v)),
            "outlet": by_count(gen.facets.counts("outlet", live), lambda v: label("outlet", v)),
            "generation": gen.name,
        }


def _vocabulary(gen: Generation, deadline: Deadline):
    """The generation's vocabulary, read in the background the first time a search needs it, waited
    for at most a second and half the time left, so that a search is never failed for it."""
    if deadline.at is None:
        return gen.vocabulary.get(None)
    return gen.vocabulary.get(min(1.0, max(0.0, deadline.at - time.perf_counter()) / 2))
