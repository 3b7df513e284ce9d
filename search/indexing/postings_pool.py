"""The postings of a segment being written, grouped by term as they arrive.

Whoosh's writer (`whoosh.writing.PostingPool`) keeps one tuple per posting (field, term, document,
weight, encoded value), sorts them all when the segment is finished, and past `limitmb` sorts what
it holds, writes it to a temporary run with `marshal` and merges the runs posting by posting at the
end. Profiled on a full reindex of 24,984 text exports, that cost grew with the archive: each
writer worker's 12,500 documents came to ~3.6 million postings, spilled in three runs, and the
sorts, the runs and the merge took a third of the worker's time after the last document, so the
CPU per document rose from 8 ms (2,000 documents, no run) to 10 ms.

Here a posting is appended to its term's list (documents arrive in increasing order within a
segment, so each list is already in order), and only the terms are sorted when the segment is
finished. Past `limitmb` the terms held so far are written, sorted, as one run, and the runs are
merged term by term, not posting by posting. `iter_postings` yields exactly Whoosh's postings, in
Whoosh's order, so any field writer reads them as before (tests/test_postings_pool.py compares the
two pools).
"""

from __future__ import annotations

import heapq
import marshal
import os
import tempfile
from collections.abc import Iterator
from itertools import pairwise
from operator import itemgetter

# What a posting and a term cost in memory, roughly (a tuple of three, a float, an int, a list
# slot; a dict entry, the key tuple, the list): for `limitmb`, as Whoosh estimates its own.
POSTING_BYTES = 120
TERM_BYTES = 200


class TermGroupedPool:
    """A drop-in for Whoosh's PostingPool (`add`, `iter_postings`, `fieldnames`, `cleanup`)."""

    def __init__(self, tempdir: str | None = None, limitmb: int = 128):
        self.fieldnames: set[str] = set()
        self.limit = limitmb * 2**20
        self.tempdir = tempdir
        self.size = 0
        self.terms: dict[tuple[str, bytes], list] = {}
        self.runs: list[str] = []

    def add(self, item: tuple) -> None:
        fieldname, btext, docnum, weight, vbytes = item
        key = (fieldname, btext)
        postings = self.terms.get(key)
        if postings is None:
            self.terms[key] = postings = []
            self.fieldnames.add(fieldname)
            self.size += TERM_BYTES + len(btext)
        postings.append((docnum, weight, vbytes))
        self.size += POSTING_BYTES + (len(vbytes) if vbytes else 0)
        if self.size > self.limit:
            self.save()

    def save(self) -> None:
        """Write the terms held so far, sorted, as a run in a temporary file."""
        if not self.terms:
            return
        fd, path = tempfile.mkstemp(suffix=".terms", dir=self.tempdir)
        self.runs.append(path)
        with os.fdopen(fd, "wb") as f:
            for key in sorted(self.terms):
                marshal.dump((key, self.terms[key]), f)
        self.terms = {}
        self.size = 0

    def iter_postings(self) -> Iterator[tuple]:
        """(field, term bytes, document, weight, encoded value), sorted as Whoosh sorts them."""
        held = sorted(self.terms.items(), key=itemgetter(0))
        self.terms = {}
        if self.runs:
            # Runs were written in document order, so for a term in several runs, the earlier run's
            # postings come first; heapq.merge keeps that order for equal keys.
            grouped = _merge_same_terms(heapq.merge(*map(_read_run, self.runs), held, key=itemgetter(0)))
        else:
            grouped = held
        for (fieldname, btext), postings in grouped:
            if any(a[0] > b[0] for a, b in pairwise(postings)):  # never seen: documents arrive in order
                postings.sort(key=itemgetter(0))
            for docnum, weight, vbytes in postings:
                yield fieldname, btext, docnum, weight, vbytes
        self.cleanup()

    def cleanup(self) -> None:
        for path in self.runs:
            try:
                os.remove(path)
            except OSError:
                pass
        self.runs = []


def _read_run(path: str) -> Iterator[tuple]:
    with open(path, "rb") as f:
        while True:
            try:
                yield marshal.load(f)
            except EOFError:
                return


def _merge_same_terms(items: Iterator[tuple]) -> Iterator[tuple]:
    """Consecutive (key, postings) with the same key as one, their postings joined in order."""
    last_key, joined = None, None
    for key, postings in items:
        if key == last_key:
            joined.extend(postings)
            continue
        if joined is not None:
            yield last_key, joined
        last_key, joined = key, list(postings)
    if joined is not None:
        yield last_key, joined


def group_postings(writer, limitmb: int) -> None:
    """Make a fresh Whoosh SegmentWriter pool its postings by term (before any document is added)."""
    folder = getattr(writer._tempstorage, "folder", None)
    if folder:
        os.makedirs(folder, exist_ok=True)
    writer.pool = TermGroupedPool(folder, limitmb)
