"""Searches on one index generation run side by side: a slow query beside cheap ones gets the 503
alone, and waiting for an index reader counts against a search's time limit."""

from __future__ import annotations

import threading
import time

import pytest

from search.engine import SearchEngine, SearchRequest
from search.executor import Executor
from search.postings import SearchTimeout
from tests.conftest import build_index
from web import create_app

SLOW_WORD = "chamchapchap"  # a made-up word whose evaluation the tests make slow
LIMIT = 2.0


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    return build_index(tmp_path_factory.mktemp("parallel"))[1]


@pytest.fixture
def slow_word(monkeypatch):
    """Evaluating SLOW_WORD takes as long as the search is allowed, checking its deadline as a long
    evaluation does between steps; every other word is evaluated as usual."""
    real = Executor.match

    def run(self, query):
        if any(getattr(t, "text", None) == SLOW_WORD for t in query.leaves() or [query]):
            while True:
                self.deadline.check()
                time.sleep(0.01)
        return real(self, query)

    monkeypatch.setattr(Executor, "match", run)


def test_slow_query_gets_the_503_and_the_cheap_ones_beside_it_answer(index, slow_word):
    app = create_app({"INDEX_DIR": str(index), "TESTING": True, "SEARCH_TIME_LIMIT": LIMIT})
    app.test_client().get("/api/search?q=warm")  # open the generation first
    slow = {}

    def run_slow():
        started = time.perf_counter()
        slow["status"] = app.test_client().get(f"/api/search?q={SLOW_WORD}").status_code
        slow["seconds"] = time.perf_counter() - started

    thread = threading.Thread(target=run_slow)
    thread.start()
    time.sleep(0.2)  # the slow one holds its reader
    cheap = []

    def run_cheap(q):
        client = app.test_client()
        for _ in range(3):
            started = time.perf_counter()
            status = client.get(f"/api/search?q={q}").status_code
            cheap.append((status, time.perf_counter() - started))

    others = [threading.Thread(target=run_cheap, args=(q,)) for q in ("kinh", "hoang binh quan", "hội nghị")]
    for t in others:
        t.start()
    for t in others:
        t.join()
    still_running = thread.is_alive()
    thread.join()
    assert [s for s, _ in cheap] == [200] * 9
    assert max(seconds for _, seconds in cheap) < LIMIT / 2, cheap
    assert still_running  # the cheap ones were answered while the slow one was still running
    assert slow["status"] == 503 and LIMIT <= slow["seconds"] < LIMIT + 1.0


def test_waiting_for_a_reader_counts_against_the_time_limit(index, monkeypatch):
    monkeypatch.setattr("search.readers.POOL_SIZE", 1)
    engine = SearchEngine(index, time_limit=0.5)
    engine.search(SearchRequest(q="kinh"))
    gen = engine.generation()
    with gen.readers.lend():  # another search holds the only reader
        started = time.perf_counter()
        with pytest.raises(SearchTimeout):
            engine.search(SearchRequest(q="kinh"))
        waited = time.perf_counter() - started
    assert 0.5 <= waited < 1.0
    assert engine.search(SearchRequest(q="kinh"))["total"] > 0  # and once it is back, searches go on


def test_readers_are_opened_only_when_all_are_busy(index):
    engine = SearchEngine(index)
    for _ in range(5):
        engine.search(SearchRequest(q="kinh"))
    gen = engine.generation()
    assert gen.readers.opened == 1
    with gen.readers.lend(), gen.readers.lend() as second:
        assert second is not gen.searcher
        assert engine.search(SearchRequest(q="kinh"))["total"] > 0
    assert gen.readers.opened == 3
