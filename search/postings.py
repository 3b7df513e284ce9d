"""A term's postings as numpy arrays, read from Whoosh's own postings file and cached per index
generation.

Why: Whoosh's matchers walk every posting through several layers of Python objects. At 100,000
articles a common word has tens of thousands of postings, and a query is an Or over six fields per
word, so matching and scoring that way took 0.5-2 s a query. Here a term is read a block (up to
128 postings) at a time into two arrays, document numbers and term frequencies, and the query is
evaluated on arrays (`search.executor`). Generations never change once published, so a term's
arrays are cached until the generation is replaced, within a memory budget.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from math import log

import numpy as np
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher, _lenfield
from whoosh.matching.wrappers import WrappingMatcher
from whoosh.reading import TermNotFound
from whoosh.util.numeric import byte_to_length

CACHE_BYTES = 256 * 1024 * 1024  # term arrays kept per generation; the least recently used go first
EMPTY_DOCS = np.zeros(0, dtype=np.int64)
EMPTY_TF = np.zeros(0, dtype=np.float32)
# Whoosh keeps a field's length per document as one byte on a log scale; this table decodes it.
LENGTH_OF_BYTE = np.array([byte_to_length(b) for b in range(256)], dtype=np.float32)


class SearchTimeout(RuntimeError):
    """A search ran past its time limit (see `Deadline`)."""


@dataclass
class Deadline:
    """The time a search must finish by; checked between steps, so one step may overrun a little."""

    at: float | None = None

    @classmethod
    def after(cls, seconds: float | None) -> Deadline:
        return cls(time.perf_counter() + seconds if seconds else None)

    def check(self) -> None:
        if self.at is not None and time.perf_counter() > self.at:
            raise SearchTimeout("the search took too long")


@dataclass(frozen=True)
class TermPostings:
    docs: np.ndarray  # document numbers, ascending (int64)
    tf: np.ndarray  # term frequency in each of those documents (float32)
    # Where each postings block starts in `docs` (fields with positions only).
    block_starts: np.ndarray = field(default_factory=lambda: EMPTY_DOCS)
    # Each block's encoded word positions, one bytes value per posting (fields with positions
    # only). They arrive in the same read as the documents, so keeping them makes a phrase check
    # free of further reads.
    positions: tuple = ()
    nbytes: int = 0


class PostingsCache:
    """Postings, field lengths and term statistics of one index generation, shared by every search
    on it. Reading goes through a `PostingsView` on a searcher the search has borrowed
    (`search.readers`): Whoosh reads its files with seek + read, so a searcher serves one search
    at a time, while the arrays read are immutable and shared. The lock guards only the cache's
    own bookkeeping, never a read from disk."""

    def __init__(self, searcher, max_bytes: int = CACHE_BYTES, length_codes: dict | None = None):
        self.size = searcher.reader().doc_count_all()
        self.length_codes = length_codes or {}  # field → one-byte length codes (search.indexing.arrays)
        self.schema = searcher.schema
        self.max_bytes = max_bytes
        self._entries: OrderedDict[tuple, tuple[object, int]] = OrderedDict()  # key → (value, bytes)
        self._bytes = 0
        self._lengths: dict[str, np.ndarray] = {}
        self._idf: dict[tuple[str, str], float] = {}  # Whoosh looks df up in every segment each time
        self._avg: dict[str, float] = {}
        self._lock = threading.Lock()

    def view(self, searcher) -> PostingsView:
        """This cache, reading what it lacks through `searcher` (which the caller owns)."""
        return PostingsView(self, searcher)

    def _get(self, key):
        with self._lock:
            found = self._entries.get(key)
            if found is None:
                return None
            self._entries.move_to_end(key)
            return found[0]

    def _put(self, key, value, nbytes: int) -> None:
        with self._lock:
            if key in self._entries:
                return
            self._entries[key] = (value, nbytes)
            self._bytes += nbytes
            while self._bytes > self.max_bytes and len(self._entries) > 1:
                _, (_, old_bytes) = self._entries.popitem(last=False)
                self._bytes -= old_bytes


class PostingsView:
    """One search's access to a generation's postings: cached arrays first, else read through
    this search's own searcher. Two searches reading the same term at once both read it; the
    first to finish is cached."""

    def __init__(self, cache: PostingsCache, searcher):
        self.cache = cache
        self.size = cache.size
        self.searcher = searcher
        self.reader = searcher.reader()
        self._leaves = self.reader.leaf_readers()

    # --- statistics, as Whoosh's BM25F computes them ---------------------------------------------
    def idf(self, field: str, text: str) -> float:
        found = self.cache._idf.get((field, text))
        if found is None:
            found = log(self.size / (self.reader.doc_frequency(field, text) + 1)) + 1
            self.cache._idf[field, text] = found
        return found

    def avg_length(self, field: str) -> float:
        found = self.cache._avg.get(field)
        if found is None:
            found = self.cache._avg[field] = self.searcher.avg_field_length(field) or 1.0
        return found

    def scorable(self, field: str) -> bool:
        return bool(self.cache.schema[field].scorable)

    def lengths(self, field: str) -> np.ndarray:
        """Every document's length in `field` (as Whoosh stores it: one byte, log scale)."""
        found = self.cache._lengths.get(field)
        if found is None and field in self.cache.length_codes:
            found = self.cache._lengths[field] = LENGTH_OF_BYTE[self.cache.length_codes[field]]
        if found is None:
            parts = []
            for leaf, _ in self._leaves:
                n = leaf.doc_count_all()
                codes = leaf._perdoc._cached_reader(_lenfield(field), LENGTHS_COLUMN)
                parts.append(LENGTH_OF_BYTE[_length_bytes(codes, n)])
            found = np.concatenate(parts) if parts else np.zeros(0, dtype=np.float32)
            self.cache._lengths[field] = found
        return found

    # --- postings ---------------------------------------------------------------------------------
    def term(self, field: str, text: str) -> TermPostings:
        key = ("term", field, text)
        found = self.cache._get(key)
        if found is None:
            found = self._read_term(field, text)
            self.cache._put(key, found, found.nbytes)
        return found

    def positions(self, field: str, text: str, docs: np.ndarray, deadline: Deadline) -> dict[int, tuple]:
        """The word positions of `text` in each of `docs` (ascending) that contains it."""
        p = self.term(field, text)
        if not len(p.docs) or not len(docs):
            return {}
        if not p.positions:
            raise ValueError(f"field {field!r} has no word positions")
        at = np.minimum(np.searchsorted(p.docs, docs), len(p.docs) - 1)
        present = p.docs[at] == docs
        out: dict[int, tuple] = {}
        block_of = np.searchsorted(p.block_starts, at[present], side="right") - 1
        decode = self.cache.schema[field].format.decoder("positions")
        for n, (doc, i, b) in enumerate(zip(docs[present].tolist(), at[present].tolist(), block_of.tolist(),
                                            strict=True)):
            if n % 256 == 0:
                deadline.check()
            out[doc] = decode(p.positions[b][i - int(p.block_starts[b])])
        return out

    def cached(self, key: tuple, compute):
        """A derived result (a verified phrase, say) cached alongside the term arrays."""
        found = self.cache._get(key)
        if found is None:
            found = compute()
            self.cache._put(key, found, sum(a.nbytes for a in found if isinstance(a, np.ndarray)))
        return found

    def _read_term(self, field: str, text: str) -> TermPostings:
        docs, tfs, starts, positions = [], [], [], []
        count = 0
        keep_positions = self.cache.schema[field].format.supports("positions")
        for leaf, base in self._leaves:
            matcher = _postings(leaf, field, text)
            if matcher is None:
                continue
            d, w, block_positions = _read_all(matcher, keep_positions)
            docs.append(d + base)
            tfs.append(w)
            for values in block_positions:
                starts.append(count)
                count += len(values)
            positions += block_positions
        if not docs:
            return TermPostings(EMPTY_DOCS, EMPTY_TF)
        docs, tfs = np.concatenate(docs), np.concatenate(tfs)
        nbytes = docs.nbytes + tfs.nbytes + 8 * len(starts) + sum(40 * len(v) + sum(map(len, v)) for v in positions)
        return TermPostings(docs, tfs, np.array(starts, dtype=np.int64), tuple(positions), nbytes)


def _length_bytes(codes, n: int) -> np.ndarray:
    """One segment's length column (a byte per document) as an array: read in one piece from the
    column file (0.25 s a field at 100,000 documents, one at a time)."""
    out = np.zeros(n, dtype=np.uint8)
    if codes is None:
        return out
    if getattr(codes, "_fixedlen", None) == 1 and hasattr(codes, "_dbfile"):
        count = min(codes._count, n)
        out[:count] = np.frombuffer(codes._dbfile.get(codes._basepos, count), dtype=np.uint8)
    else:
        out[:] = [codes[i] for i in range(n)]
    return out


def _postings(leaf, field: str, text: str):
    """The raw postings matcher of one segment, without Whoosh's deleted-document filter (the
    engine masks deleted documents itself); None when the segment lacks the term."""
    try:
        matcher = leaf.postings(field, text)
    except TermNotFound:
        return None
    while isinstance(matcher, WrappingMatcher):
        matcher = matcher.child
    return matcher


def _read_all(matcher, keep_positions: bool) -> tuple[np.ndarray, np.ndarray, list]:
    """All (document, frequency) pairs of one segment's postings, read a block at a time, and
    each block's encoded positions (if kept)."""
    if not isinstance(matcher, W3LeafMatcher) or matcher._byteids:
        raise TypeError(f"unsupported postings format {type(matcher).__name__}; the index needs Whoosh's W3 codec")
    doc_blocks, weight_blocks, positions = [], [], []
    while matcher.is_active():
        if matcher._data is None:
            matcher._read_data()
        # Document numbers are delta-coded within a block (the first is absolute).
        doc_blocks.append(np.cumsum(np.asarray(matcher._data[0], dtype=np.int64)))
        weights = matcher._data[1]
        n = matcher._blocklength
        if weights is None:
            weight_blocks.append(np.ones(n, dtype=np.float32))
        elif isinstance(weights, float):
            weight_blocks.append(np.full(n, weights, dtype=np.float32))
        else:
            weight_blocks.append(np.asarray(weights, dtype=np.float32))
        if keep_positions:
            matcher._read_values()
            positions.append(matcher._values)
        if matcher._lastblock:
            break
        matcher._next_block()
    if not doc_blocks:
        return EMPTY_DOCS, EMPTY_TF, []
    return np.concatenate(doc_blocks), np.concatenate(weight_blocks), positions
