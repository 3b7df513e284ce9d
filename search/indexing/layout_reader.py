"""Reads the postings layout of search.indexing.layout: a memory map per segment file, a term
found by `np.searchsorted` on its sorted keys, its postings views of the map turned into arrays
by a running sum (microseconds, where Whoosh's blocks took milliseconds). The kernel reads the
pages a search touches, and processes serving the same generation share them.

`SegmentLayout.open` returns None for a segment without the layout (written before it existed):
the caller reads that segment's postings through Whoosh, as before. A layout of another format
raises IndexOutdated: Whoosh's postings file does not hold those fields, so only a rebuild helps.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from whoosh.filedb.compound import CompoundStorage
from whoosh.filedb.filestore import OverlayStorage
from whoosh.system import pack_uint

from search.indexing import layout
from search.indexing.bitpack import BLOCK, Run, unpack
from search.indexing.layout import (
    HAS_COUNTS,
    MAGIC,
    READABLE,
    RECORDS_EXT,
    SHORT_KEY_MASK,
    TABLE_COLUMNS,
    TABLES_EXT,
    TF_FLOAT,
    WIDTH_CODES,
    term_key,
)
from search.indexing.lexicon import LEXICON_EXT, SegmentLexicon
from search.indexing.store import IndexOutdated


@dataclass(frozen=True)
class TermPositions:
    """One term's word positions in one segment: posting i has its gaps at
    deltas[offsets[i]:offsets[i + 1]]."""

    deltas: np.ndarray | Run  # the term's gaps: a view of the map (1-4 bytes each), or (format 5)
    # their bit-packed run, which decodes only the blocks that hold the gaps indexed
    offsets: np.ndarray  # int64, one per posting + 1

    def of(self, i: int) -> tuple:
        return tuple(np.cumsum(self.deltas[self.offsets[i]:self.offsets[i + 1]], dtype=np.int64).tolist())

    def of_many(self, postings: np.ndarray) -> list[tuple]:
        """The positions of each of `postings` (indexes), decoded in one pass: the gaps gathered,
        summed, and the running sum restarted at each posting."""
        starts, ends = self.offsets[postings], self.offsets[postings + 1]
        counts = ends - starts
        if not counts.sum():
            return [() for _ in postings.tolist()]
        first = np.cumsum(counts) - counts  # where each posting's gaps start in the gathered run
        gathered = np.repeat(starts - first, counts) + np.arange(counts.sum())
        running = np.cumsum(self.deltas[gathered], dtype=np.int64)
        before = np.where(first > 0, running[np.maximum(first - 1, 0)], 0)
        flat = (running - np.repeat(before, counts)).tolist()
        return [tuple(flat[a:a + n]) for a, n in zip(first.tolist(), counts.tolist(), strict=True)]


@dataclass(frozen=True)
class FieldLayout:
    keys: np.ndarray  # uint64, sorted (format 5: uint32, the low 32 bits)
    checks: np.ndarray  # uint32: each key's second hash
    at: np.ndarray  # uint64: where each term's record starts in `records`
    count: np.ndarray  # uint32: each term's postings
    widths: np.ndarray  # uint8: the width codes of the record's parts (format 5: its flags)
    records: np.ndarray  # uint8, the segment's .pld
    positions: bool
    packed: bool = False  # format 5: the records bit-packed (search.indexing.bitpack)

    def lookup(self, btext: bytes):
        """(docs int64, tf float32, positions or None) of a term; None when absent."""
        found = self._record(btext)
        return None if found is None else (found[0], found[1], found[3])

    def whoosh_postings(self, btext: bytes, format_) -> tuple[list, list, list]:
        """(ids, weights, encoded values) of a term, as Whoosh's own postings held them, for a
        ListMatcher (Whoosh reading the layout: merges, its own searches)."""
        docs, tf, counts, positions = self._record(btext)
        if format_.supports("positions"):
            values = [format_.encode(list(p)) for p in positions.of_many(np.arange(len(docs)))]
        elif format_.supports("frequency"):
            values = [pack_uint(c) for c in counts.tolist()]
        else:
            values = [b""] * len(docs)
        return docs.tolist(), tf.tolist(), values

    def _record(self, btext: bytes):
        """(docs, tf, counts, positions or None) of a term; None when absent."""
        key, check = term_key(btext)
        if self.keys.dtype.itemsize == 4:  # format 5: the key's low 32 bits
            key &= SHORT_KEY_MASK
        i = int(np.searchsorted(self.keys, self.keys.dtype.type(key)))
        while i < len(self.keys) and self.keys[i] == key and self.checks[i] != check:
            i += 1  # another term with the same key
        if i >= len(self.keys) or self.keys[i] != key:
            return None
        n, at, widths = int(self.count[i]), int(self.at[i]), int(self.widths[i])
        if self.packed:
            return self._packed(n, at, widths)
        doc_gaps, at = self._part(at, widths & 3, n)
        tf, at = self._part(at, widths >> 2 & 3, n)
        docs = np.cumsum(doc_gaps, dtype=np.int64)
        counts = tf
        if widths >> 4 & 3:
            counts, at = self._part(at, (widths >> 4 & 3) - 1, n)
        positions = None
        if self.positions:
            offsets = np.zeros(n + 1, dtype=np.int64)
            np.cumsum(counts, out=offsets[1:])
            gaps, _ = self._part(at, widths >> 6 & 3, int(offsets[-1]))
            positions = TermPositions(gaps, offsets)
        return docs, tf.astype(np.float32), counts, positions

    def _packed(self, n: int, at: int, flags: int):
        """`_record` of format 5: runs of 128-value blocks, decoded by search.indexing.bitpack."""
        records = self.records
        docs, at = unpack(records, at, n)  # the gaps, summed in place
        np.cumsum(docs, out=docs)
        if flags & TF_FLOAT:
            tf = np.frombuffer(records, dtype="<f4", count=n, offset=at)
            at += 4 * n
        elif not records[at:at + (n + BLOCK - 1) // BLOCK].any():  # every weight 1 (most terms): widths 0
            tf = None
            at += (n + BLOCK - 1) // BLOCK
        else:
            tf, at = unpack(records, at, n)
            tf += 1
        counts = tf
        if flags & HAS_COUNTS:
            counts, at = unpack(records, at, n)
        elif tf is None:
            counts = np.ones(n, dtype=np.int64)
        positions = None
        if self.positions:
            offsets = np.zeros(n + 1, dtype=np.int64)
            np.cumsum(counts, out=offsets[1:])
            positions = TermPositions(Run(records, at, int(offsets[-1])), offsets)
        return docs, np.ones(n, dtype=np.float32) if tf is None else tf.astype(np.float32), counts, positions

    def _part(self, at: int, code: int, n: int) -> tuple[np.ndarray, int]:
        dtype = np.dtype(WIDTH_CODES[code])
        return np.frombuffer(self.records, dtype=dtype, count=n, offset=at), at + n * dtype.itemsize


class SegmentLayout:
    def __init__(self, fields: dict[str, FieldLayout], format_: int = layout.FORMAT):
        self.fields = fields
        self.format = format_

    def field(self, name: str) -> FieldLayout | None:
        """The field's layout; None when the segment keeps it in Whoosh's postings only."""
        return self.fields.get(name)

    @classmethod
    def open(cls, leaf) -> SegmentLayout | None:
        """The layout of one segment (a Whoosh SegmentReader), or None if it has none."""
        return cls.of(leaf._storage, leaf.segment())

    @classmethod
    def of(cls, storage, segment) -> SegmentLayout | None:
        """The layout of `segment`, whose files are in `storage` (as a segment reader sees it)."""
        files = _subfiles(storage, segment, (TABLES_EXT, RECORDS_EXT))
        if files is None or not all(ext in files for ext in (TABLES_EXT, RECORDS_EXT)):
            return None
        tables = _mapped(*files[TABLES_EXT])
        head_len = int.from_bytes(bytes(tables[8:16]), "little")
        header = json.loads(bytes(tables[16:16 + head_len])) if bytes(tables[:len(MAGIC)]) == MAGIC else {}
        if header.get("format") not in READABLE:
            readable = ", ".join(map(str, sorted(READABLE)))
            raise IndexOutdated(f"segment {segment.segment_id()} in {files[TABLES_EXT][0].parent} holds postings "
                                f"laid out by another version (format {header.get('format', 'unknown')}; this "
                                f"one reads {readable}): run `search reindex --full` to rebuild the index")
        rows = tables[16 + head_len:]
        records = _mapped(*files[RECORDS_EXT]).view(np.ndarray)  # (memmap's own indexing costs µs a call)
        fields = {}
        for name, f in header["fields"].items():
            n = f["terms"]
            dtypes = {column: f.get("dtypes", {}).get(column, widest) for column, widest in TABLE_COLUMNS}
            columns = {column: np.frombuffer(rows, dtype=dtype, count=n, offset=f[column]) if n
                       else np.zeros(0, dtype) for column, dtype in dtypes.items()}
            fields[name] = FieldLayout(**columns, records=records, positions=f["positions"],
                                       packed=header["format"] >= 5)
        return cls(fields, header["format"])


def segment_lexicon(storage, segment) -> SegmentLexicon | None:
    """The lexicon of a segment's laid-out fields (search.indexing.lexicon); None when Whoosh's
    term dictionary holds every field (no layout, or a layout of format 2)."""
    files = _subfiles(storage, segment, (LEXICON_EXT,))
    if not files:
        return None
    return SegmentLexicon.read(_mapped(*files[LEXICON_EXT]), f"segment {segment.segment_id()}")


def _mapped(path: Path, offset: int, length: int) -> np.ndarray:
    """`length` bytes of `path` from `offset`, memory-mapped (numpy aligns the map itself)."""
    if not length:
        return np.zeros(0, dtype=np.uint8)
    return np.memmap(path, dtype=np.uint8, mode="r", offset=offset, shape=(length,))


def _subfiles(storage, segment, extensions) -> dict[str, tuple[Path, int, int]] | None:
    """Where each of the segment's files with these `extensions` is: (file, byte offset, length).
    A compound segment packs them in its `.seg` file (at the offsets its directory records)."""
    if isinstance(storage, OverlayStorage) and isinstance(storage.a, CompoundStorage):
        folder = Path(storage.b.folder)
        seg_file = folder / segment.make_filename(segment.COMPOUND_EXT)
        out = {}
        for ext in extensions:
            info = storage.a._dir.get(segment.make_filename(ext))
            if info is not None:
                out[ext] = (seg_file, info["offset"], info["length"])
        return out
    folder = getattr(storage, "folder", None)
    if folder is None:
        return None
    out = {}
    for ext in extensions:
        path = Path(folder) / segment.make_filename(ext)
        if path.is_file():
            out[ext] = (path, 0, path.stat().st_size)
    return out
