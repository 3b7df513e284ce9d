"""Whoosh searchers lent out one per search, so that searches on one generation run side by side.

A Whoosh searcher reads its files with seek + read on shared file objects: two threads using one
searcher at once would read each other's bytes. Instead of one lock around every search (which
made a slow query hold up every cheap one behind it, and a server use one core), each generation
keeps a small pool of searchers, each with its own open files; a search borrows one for its whole
run and gives it back. Searchers are opened only when all the open ones are busy, up to `size`;
past that a search waits for one, and that wait counts against its time limit.
"""

from __future__ import annotations

import dataclasses
import threading
import time
from contextlib import contextmanager

from search.postings import Deadline, SearchTimeout

POOL_SIZE = 8  # as many as `search serve` has threads by default: no search waits for a searcher


class ReaderPool:
    def __init__(self, index, first, size: int | None = None, weighting=None):
        self._index = index
        self._weighting = weighting
        self._free = [first]
        self._all = [first]
        self._size = max(1, size or POOL_SIZE)
        self._cond = threading.Condition()

    @contextmanager
    def lend(self, deadline: Deadline | None = None):
        """A searcher nobody else is using, for the length of the `with` block."""
        searcher = self._acquire(deadline or Deadline())
        try:
            yield searcher
        finally:
            with self._cond:
                self._free.append(searcher)
                self._cond.notify()

    def _acquire(self, deadline: Deadline):
        with self._cond:
            while True:
                if self._free:
                    return self._free.pop()
                if len(self._all) < self._size:
                    self._all.append(None)  # reserve the slot; open outside the lock
                    break
                remaining = None if deadline.at is None else deadline.at - time.perf_counter()
                if remaining is not None and remaining <= 0:
                    raise SearchTimeout("no index reader became free within the time limit")
                self._cond.wait(remaining)
        try:
            searcher = self._index.searcher(weighting=self._weighting) if self._weighting else self._index.searcher()
        except BaseException:
            with self._cond:
                self._all.remove(None)
                self._cond.notify()
            raise
        with self._cond:
            self._all[self._all.index(None)] = searcher
        return searcher

    @property
    def opened(self) -> int:
        with self._cond:
            return sum(1 for s in self._all if s is not None)


@contextmanager
def leased(gen, deadline: Deadline | None = None):
    """`gen` (an engine Generation) as seen through a borrowed searcher: its `searcher` and its
    `postings` read with files no other search is using; the cached arrays stay shared."""
    with gen.readers.lend(deadline) as searcher:
        yield dataclasses.replace(gen, searcher=searcher, postings=gen.postings.view(searcher))
