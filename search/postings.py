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
from itertools import chain
from math import log

import numpy as np
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher, _lenfield
from whoosh.matching.wrappers import WrappingMatcher
from whoosh.reading import TermNotFound
from whoosh.util.numeric import byte_to_length

from search.indexing.layout_reader import SegmentLayout, TermPositions

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
    # Word positions (fields with positions only), one source per segment: `positions[k]` holds
    # those of docs[part_starts[k]:part_starts[k + 1]], its `of(i)` those of the i-th of them.
    part_starts: np.ndarray = field(default_factory=lambda: EMPTY_DOCS)
    positions: tuple = ()
    nbytes: int = 0


@dataclass(frozen=True)
class BlockPositions:
    """One segment's positions of a term as Whoosh's postings blocks hold them (a segment without
    the layout): encoded, one bytes value per posting, decoded when a phrase asks. They arrive in
    the same read as the documents, so keeping them makes a phrase check free of further reads."""

    block_starts: np.ndarray  # where each block starts among the segment's postings of the term
    values: tuple  # per block, the encoded positions of each posting
    decode: object

    def of(self, i: int):
        b = int(np.searchsorted(self.block_starts, i, side="right")) - 1
        return self.decode(self.values[b][i - int(self.block_starts[b])])

    def of_many(self, postings: np.ndarray) -> list:
        return [self.of(i) for i in postings.tolist()]


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
        self._df: dict[tuple[str, str], int] = {}
        self._layouts: dict[str, SegmentLayout | None] = {}  # segment id → its postings layout
        self._lock = threading.Lock()

    def layout(self, leaf) -> SegmentLayout | None:
        """The memory-mapped postings layout of one segment (None: it has none, read Whoosh's)."""
        segid = leaf.segment().segment_id()
        if segid not in self._layouts:
            found = SegmentLayout.open(leaf)
            with self._lock:
                self._layouts.setdefault(segid, found)
        return self._layouts[segid]

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
            found = log(self.size / (self.doc_frequency(field, text) + 1)) + 1
            self.cache._idf[field, text] = found
        return found

    def doc_frequency(self, field: str, text: str) -> int:
        """Postings of the term in all segments, deleted documents included (Whoosh's count):
        counted from the layout when every segment has it for the field (a term asked about is
        read anyway, and Whoosh's lookup cost 0.2 ms a term), else asked of Whoosh."""
        found = self.cache._df.get((field, text))
        if found is None:
            if self._laid_out(field):
                found = len(self.term(field, text).docs)
            else:
                found = self.reader.doc_frequency(field, text)
            self.cache._df[field, text] = found
        return found

    def _laid_out(self, field: str) -> bool:
        for leaf, _ in self._leaves:
            layout = self.cache.layout(leaf)
            if layout is None or layout.field(field) is None:
                return False
        return True

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
        found, at = docs[present], at[present]
        part_of = np.searchsorted(p.part_starts, at, side="right") - 1
        out: dict[int, tuple] = {}
        for k in np.unique(part_of).tolist():  # one source (segment) at a time
            mine = part_of == k
            for chunk in range(0, int(mine.sum()), 4096):
                deadline.check()
                docs_k = found[mine][chunk:chunk + 4096]
                decoded = p.positions[k].of_many(at[mine][chunk:chunk + 4096] - p.part_starts[k])
                out.update(zip(docs_k.tolist(), decoded, strict=True))
        return out

    def positions_flat(self, field: str, text: str, docs: np.ndarray,
                       deadline: Deadline) -> tuple[np.ndarray, np.ndarray]:
        """The word positions of `text` in `docs` (ascending) as arrays: how many each document holds
        (0 where the word is absent), and all of them, document after document."""
        counts = np.zeros(len(docs), dtype=np.int64)
        p = self.term(field, text)
        if not len(p.docs) or not len(docs):
            return counts, EMPTY_DOCS
        if not p.positions:
            raise ValueError(f"field {field!r} has no word positions")
        at = np.minimum(np.searchsorted(p.docs, docs), len(p.docs) - 1)
        present = np.flatnonzero(p.docs[at] == docs)
        at = at[present]
        part_of = np.searchsorted(p.part_starts, at, side="right") - 1  # ascending: segments in order
        pieces = []
        for k in np.unique(part_of).tolist():  # one source (segment) at a time
            mine = np.flatnonzero(part_of == k)
            for chunk in range(0, len(mine), 4096):
                deadline.check()
                rows = mine[chunk:chunk + 4096]
                held, flat = _decode_positions(p.positions[k], at[rows] - p.part_starts[k])
                counts[present[rows]] = held
                pieces.append(flat)
        return counts, np.concatenate(pieces) if pieces else EMPTY_DOCS

    def cached(self, key: tuple, compute):
        """A derived result (a verified phrase, say) cached alongside the term arrays."""
        found = self.cache._get(key)
        if found is None:
            found = compute()
            self.cache._put(key, found, sum(a.nbytes for a in found if isinstance(a, np.ndarray)))
        return found

    def _read_term(self, field: str, text: str) -> TermPostings:
        """A term's postings over all segments: from each segment's layout (a slice of a memory
        map) where it has one, else decoded from Whoosh's postings."""
        fieldobj = self.cache.schema[field]
        btext = fieldobj.to_bytes(text)
        keep_positions = fieldobj.format.supports("positions")
        docs, tfs, starts, sources = [], [], [], []
        count = 0
        for leaf, base in self._leaves:
            layout = self.cache.layout(leaf)
            laid = layout.field(field) if layout is not None else None
            if laid is not None:
                found = laid.lookup(btext)
                if found is None:
                    continue
                d, w, positions = found
            else:
                matcher = _postings(leaf, field, text)
                if matcher is None:
                    continue
                d, w, blocks = _read_all(matcher, keep_positions)
                positions = _block_positions(blocks, fieldobj) if keep_positions else None
            if keep_positions and positions is not None:
                starts.append(count)
                sources.append(positions)
            docs.append(d + base)
            tfs.append(w)
            count += len(d)
        return _term_postings(docs, tfs, starts, sources)


def _decode_positions(source, postings: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(how many positions, all positions) of the `postings` (indexes) of one source: a layout's
    gaps summed in one pass with the running sum restarted at each posting, else decoded one by one."""
    if not isinstance(source, TermPositions):
        decoded = source.of_many(postings)
        held = np.fromiter(map(len, decoded), dtype=np.int64, count=len(decoded))
        return held, np.fromiter(chain.from_iterable(decoded), dtype=np.int64, count=int(held.sum()))
    starts = source.offsets[postings]
    held = source.offsets[postings + 1] - starts
    total = int(held.sum())
    if not total:
        return held, EMPTY_DOCS
    first = np.cumsum(held) - held  # where each posting's gaps start in the gathered run
    gathered = np.repeat(starts - first, held) + np.arange(total)
    running = np.cumsum(source.deltas[gathered], dtype=np.int64)
    before = np.where(first > 0, running[np.maximum(first - 1, 0)], 0)
    return held, running - np.repeat(before, held)


def _term_postings(docs: list, tfs: list, starts: list, sources: list) -> TermPostings:
    if not docs:
        return TermPostings(EMPTY_DOCS, EMPTY_TF)
    docs, tfs = np.concatenate(docs), np.concatenate(tfs)
    nbytes = docs.nbytes + tfs.nbytes + sum(_positions_bytes(s) for s in sources)
    return TermPostings(docs, tfs, np.array(starts, dtype=np.int64), tuple(sources), nbytes)


def _block_positions(blocks: list, fieldobj) -> BlockPositions:
    """A segment's positions blocks (from `_read_all`) as one source."""
    starts, count = [], 0
    for values in blocks:
        starts.append(count)
        count += len(values)
    return BlockPositions(np.array(starts, dtype=np.int64), tuple(blocks), fieldobj.format.decoder("positions"))


def _positions_bytes(source) -> int:
    """Memory a positions source holds beyond the shared map (for the cache's budget)."""
    if isinstance(source, BlockPositions):
        return 8 * len(source.block_starts) + sum(40 * len(v) + sum(map(len, v)) for v in source.values)
    return source.offsets.nbytes


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
