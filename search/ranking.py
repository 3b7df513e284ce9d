"""Execution and order: which live documents a plan matches, and the page of them to show.

Relevance is the executor's BM25F word scores; for the best RERANK_WINDOW, the bonus for adjacent
query words found as a phrase and for the query's words found close together. Date orders put
undated articles last.
"""

from __future__ import annotations

import numpy as np

from search.executor import PROXIMITY_WEIGHT, RERANK_WINDOW, Executor, Matches, Scored, top
from search.facets import FacetColumns
from search.marks import UNMARKED, UNMARKED_FIELD
from search.query_builder import QueryPlan


def evaluate(plan: QueryPlan, executor: Executor, facets: FacetColumns) -> Scored:
    """Which live documents match the plan, with their scores (all, unscored, for no text)."""
    if plan.query is None:
        return Scored(facets.live.copy(), np.zeros(facets.size))
    matched = executor.match(plan.query)
    live = facets.live[matched.docs]
    if not live.all():
        matched = Matches(matched.docs[live], matched.score[live])
    return matched.dense(facets.size)


def count(plan: QueryPlan, executor: Executor, facets: FacetColumns, narrowing) -> int:
    """How many live documents the plan matches within `narrowing` (results.Narrowing): what
    `evaluate` and the narrowed mask give, without scoring a document."""
    if plan.query is None:
        return int(narrowing.apply(facets.live).sum())
    mask = executor.mask(plan.query)
    mask &= facets.live
    return int(narrowing.apply(mask).sum())


def by_relevance(plan: QueryPlan, executor: Executor, matched: Scored, within: np.ndarray, first: int,
                 wanted: int) -> list[tuple[int, float]]:
    """(document, score) for ranks `first`..`wanted` among `within`: best word scores, then, for
    the best RERANK_WINDOW of them, the word-pair bonus and the bonus for the query's words
    (folded) found close together."""
    words = sorted(plan.words)
    boosts = plan.pair_boosts
    rerank = bool(boosts) or len(words) > 1
    docs, scores = top(matched, within, max(wanted, RERANK_WINDOW) if rerank else wanted)
    if rerank and len(docs):
        if boosts:
            scores = executor.rerank(docs, scores, boosts)
        if len(words) > 1:
            scores = scores + PROXIMITY_WEIGHT * scores.max() * executor.proximity(docs, words)
        order = np.lexsort((docs, -scores))
        docs, scores = docs[order], scores[order]
    return list(zip(docs[first:wanted].tolist(), scores[first:wanted].tolist(), strict=True))


def by_date(facets: FacetColumns, within: np.ndarray, sort: str, first: int, wanted: int) -> list[tuple[int, None]]:
    """Documents `first`..`wanted` among `within`, newest or oldest first; undated ones last."""
    docnums = np.nonzero(within)[0]
    dates = facets.date_sort[docnums]
    if sort == "oldest":
        key = np.where(dates > 0, dates, np.iinfo(np.int64).max)
        order = np.lexsort((docnums, key))
    else:
        order = np.lexsort((docnums, -dates))
    return [(int(d), None) for d in docnums[order][first:wanted]]


def unmarked_docs(postings, plan: QueryPlan) -> frozenset[int]:
    """The documents written without marks, where words typed with marks match folded; only
    looked up when the query has such words."""
    if not plan.spelled:
        return frozenset()
    return frozenset(postings.term(UNMARKED_FIELD, UNMARKED).docs.tolist())
