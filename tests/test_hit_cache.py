"""Hits are decoded once per index generation (search.results.ShownCache): the page is the same as
decoding every hit afresh, and the cache stays within its size, dropping the least recently shown."""

from __future__ import annotations

import pytest

from search.engine import SearchEngine, SearchRequest
from search.results import Shown, ShownCache, hits
from tests.conftest import build_index


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    return SearchEngine(build_index(tmp_path_factory.mktemp("hitcache"))[1], time_limit=None)


@pytest.mark.parametrize("q", ["hoang binh quan", "Hoàng Bình Quân", "kinh tế", "đảng cộng sản", '"hội nghị"', ""])
def test_cached_hits_are_the_hits_read_afresh(engine, q, monkeypatch):
    first = engine.search(SearchRequest(q=q))
    again = engine.search(SearchRequest(q=q))  # from the cache
    reads = []
    real = Shown.read.__func__
    monkeypatch.setattr(Shown, "read", classmethod(lambda cls, s, d: reads.append(d) or real(cls, s, d)))
    gen = engine.generation()
    monkeypatch.setattr(gen, "shown", ShownCache())  # empty: every hit read from the index again
    fresh = engine.search(SearchRequest(q=q))
    assert len(reads) == len(fresh["hits"]) > 0
    assert first["hits"] == again["hits"] == fresh["hits"]


def test_the_cache_keeps_within_its_size_and_drops_the_least_recently_shown(engine):
    gen = engine.generation()
    docnums = list(range(gen.searcher.doc_count_all()))
    sizes = {d: 2 * len(Shown.read(gen.searcher, d).flat) for d in docnums}
    budget = sizes[docnums[0]] + sizes[docnums[1]] + 1
    cache = ShownCache(max_chars=budget)
    a = cache.get(gen.searcher, docnums[0])
    cache.get(gen.searcher, docnums[1])
    assert cache.get(gen.searcher, docnums[0]) is a  # kept, and now the most recently shown
    cache.get(gen.searcher, docnums[2])  # over the budget: docnums[1] goes, not docnums[0]
    assert list(cache._docs) in ([docnums[0], docnums[2]], [docnums[2]])
    assert cache._chars <= max(budget, sizes[docnums[2]])
    assert cache._chars == sum(sizes[d] for d in cache._docs)


def test_hits_without_a_cache_read_from_the_searcher(engine):
    gen = engine.generation()
    with_cache = engine.search(SearchRequest(q="kinh tế"))["hits"]
    ranked = [(gen.searcher.document_number(id=h["id"]), h["score"]) for h in with_cache]
    from search.query_builder import QueryBuilder
    from search.querylang import parse

    plan = QueryBuilder(gen.searcher.reader(), gen.people, engine.registry).plan(parse("kinh tế"), "all")
    page = hits(gen.searcher, gen.people, ranked, plan)
    assert [h["snippet"] for h in page] == [h["snippet"] for h in with_cache]
