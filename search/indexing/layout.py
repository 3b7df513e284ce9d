"""Postings laid out for the executor, written by Whoosh's own segment writer.

Why: the executor (search.executor) works on numpy arrays, and reading a term from Whoosh's
postings means unpickling and unzipping blocks of 128 postings in Python: 100-300 ms for a common
word in four fields, the whole of a cold query's cost. Here every segment also holds each term's
postings as a few small arrays, so a cold term is a binary search, slices of a memory map and a
running sum, all in numpy.

`LayoutFieldWriter` (used by `search.indexing.layout_codec.LayoutCodec`) copies each posting into
the layout as Whoosh writes it, and for a laid-out field writes neither Whoosh's postings nor its
term dictionary: the layout is the only copy of the postings (3 times smaller than Whoosh's pickled
blocks), and the terms with their document frequencies go to the segment's lexicon
(search.indexing.lexicon, `.plx`; format 3). Segments of format 2 kept Whoosh's term dictionary
for every field, and are still read that way. Every segment Whoosh writes goes through a field
writer (a new segment, the merge of several, a worker's share of a full rebuild), so merges lay
out their result too, and the layout's files are ordinary files of the segment: packed into its
compound `.seg` file, hard-linked into the next generation with it, deleted with it.

    .pld  one record per term, fields one after another (format 5):
            docs    the term's document numbers (segment-local), as gaps (the first from 0)
            tf      its frequency in each (Whoosh's weight), less one (flag TF_FLOAT: float32)
            counts  (flag HAS_COUNTS: some weight differs from it) the posting's frequency as
                    Whoosh encodes it: its number of positions, or of occurrences
            gaps    (fields with positions) the gaps between each posting's positions, the first
                    from 0, as Whoosh encodes them: `counts` (or `tf`) of them per posting
          each a run of whole numbers bit-packed in blocks of 128 (search.indexing.bitpack: a
          width byte per block, then each value in that many bits); the file ends with
          `bitpack.PAD` zero bytes. Formats 2-4 held each part in the narrowest of 1, 2 or 4
          bytes that holds that term's values (`tf` may be float32), and are still read: 33.1
          MB of postings at 25,000 articles in whole bytes, 18 bit-packed.
    .plt  a JSON header, then per field one table row per term, sorted by key:
            keys    uint64  hash of the term's bytes, for `np.searchsorted` (format 5: uint32,
                            its low 32 bits)
            checks  uint32  a second, independent hash: 96 bits (format 5: 64) must agree
            at      uint64  where the term's record starts in .pld  } (format 4: the narrowest
            count   uint32  its postings                           }  unsigned type that holds them)
            widths  uint8   the byte widths of docs, tf, counts, gaps (2 bits each, `WIDTH_CODES`);
                            format 5: the record's flags (TF_FLOAT, HAS_COUNTS)

Documents deleted later stay in the postings (as in Whoosh's): the engine masks them itself.
Segments without the layout (an index written before it existed) are read through Whoosh's
postings (search.postings). Segments of format 2 kept the fields looked up by value (id, path,
content_hash, date) in Whoosh's postings and term dictionary: 490 bytes an article there, about
180 laid out with their terms in the lexicon, so format 3 lays out every field (`WHOOSH_ONLY`
is empty; Whoosh's reader still serves the fields a segment holds in its own files).
"""

from __future__ import annotations

import hashlib
import json
import pickle
import sys
from array import array
from itertools import pairwise

import numpy as np
from whoosh.codec.whoosh3 import W3FieldWriter

from search.indexing import bitpack
from search.indexing.lexicon import LEXICON_EXT, LexiconWriter

# Changing the layout means a new FORMAT, and either a reader for the old one (READABLE) or a new
# ANALYSIS_VERSION (search.analysis) so that the next reindex rebuilds: a segment's laid-out fields
# have no other copy to fall back on. 3: the lexicon of laid-out fields is in `.plx`, not Whoosh's;
# every field laid out. 4: the tables' `at` and `count` columns narrowed (`dtypes` in the header).
# 5: the records bit-packed in blocks of 128 (`encode_packed`); the `widths` column holds flags.
FORMAT = 5
READABLE = frozenset({2, 3, 4, 5})
TABLES_EXT, RECORDS_EXT = ".plt", ".pld"
MAGIC = b"PLAYOUT2"
# Fields left to Whoosh's postings and term dictionary: none since format 3 (see above).
WHOOSH_ONLY: frozenset[str] = frozenset()
# Width code (2 bits) → dtype; code 3 is float32 for a frequency, unused elsewhere.
WIDTH_CODES = ("<u1", "<u2", "<u4", "<f4")
POSITIONS_COUNT_BYTES = 4  # Whoosh's Positions format: a uint count, then a pickled list of gaps
NARROWED = frozenset({"at", "count"})
# Format 5: the tables keep the key's low 32 bits (`term_key` & this), sorted by them; a term is
# still found only when 64 bits agree (key and check), and rows sharing a short key (about 10 a
# segment at 300,000 terms) are told apart by their checks as before. 4 bytes a term less.
SHORT_KEY_MASK = 2**32 - 1
TABLE_COLUMNS = (("keys", "<u8"), ("checks", "<u4"), ("at", "<u8"), ("count", "<u4"), ("widths", "<u1"))


def term_key(btext: bytes) -> tuple[int, int]:
    """A term's 64-bit key and 32-bit check, from one 12-byte hash (deterministic across
    processes, unlike `hash`). Terms sharing a key are told apart by the check (the reader looks
    at every row with the key); two sharing both: about 1 in 10^17 at a million terms."""
    digest = hashlib.blake2b(btext, digest_size=12).digest()
    return int.from_bytes(digest[:8], "little"), int.from_bytes(digest[8:], "little")


def narrow(values: np.ndarray, allow_float: bool = False) -> tuple[int, np.ndarray]:
    """(width code, values in the narrowest unsigned type that holds them exactly)."""
    if len(values) and (values.min() < 0 or not np.array_equal(values, np.floor(values))):
        if not allow_float:
            raise ValueError("negative or fractional values cannot be laid out")
        return 3, values.astype("<f4")
    top = values.max() if len(values) else 0
    code = 0 if top < 2**8 else 1 if top < 2**16 else 2
    return code, values.astype(WIDTH_CODES[code])


# Most terms have a handful of postings (55,700 terms for 576,000 postings on 2,000 text exports),
# and numpy's cost per call (~1-3 µs, a dozen calls a term) made laying them out cost more than
# the postings themselves: a third of a full reindex's writing. Lists this short are packed with
# Python's `array` instead, to the same bytes (tests/test_layout_pack.py compares the two).
SHORT = 64
_ARRAY_TYPES = ("B", "H", next(c for c in "IL" if array(c).itemsize == 4), "f")  # WIDTH_CODES, native order


def pack(values: list, allow_float: bool = False) -> tuple[int, bytes]:
    """(width code, bytes) of `narrow(values)`: whole numbers ≥ 0 in the narrowest of 1, 2 or 4
    bytes, little-endian; else (`allow_float`) float32."""
    if len(values) > SHORT:
        code, narrowed = narrow(np.asarray(values, dtype=np.float64 if allow_float else np.int64), allow_float)
        return code, narrowed.tobytes()
    if allow_float:
        if any(v < 0 or v != int(v) for v in values):
            return 3, _little_endian(array("f", values))
        values = [int(v) for v in values]
    elif values and min(values) < 0:
        raise ValueError("negative or fractional values cannot be laid out")
    top = max(values, default=0)
    code = 0 if top < 2**8 else 1 if top < 2**16 else 2
    return code, _little_endian(array(_ARRAY_TYPES[code], values))


def _little_endian(values: array) -> bytes:
    if sys.byteorder == "big":
        values.byteswap()
    return values.tobytes()


def encode_postings(docs: list[int], tf: list[float], counts: list[int], gaps: list[int] | None
                    ) -> tuple[int, bytes]:
    """One term's record in .pld and its widths byte (see the module's docstring): `docs` its
    document numbers, `tf` their weights, `counts` each posting's count as Whoosh encodes it,
    `gaps` (positional fields, else None) the gaps between each posting's positions."""
    doc_code, doc_bytes = pack([b - a for a, b in pairwise([0, *docs])])
    tf_code, tf_bytes = pack(tf, allow_float=True)
    parts = [doc_bytes, tf_bytes]
    count_code = gap_code = 0
    if tf_code == 3 or counts != tf:  # (whole-number floats equal their ints)
        count_code, count_bytes = pack(counts)
        count_code += 1  # 0 means "no counts: each posting's count is its frequency"
        parts.append(count_bytes)
    if gaps is not None:
        gap_code, gap_bytes = pack(gaps)
        parts.append(gap_bytes)
    return doc_code | tf_code << 2 | count_code << 4 | gap_code << 6, b"".join(parts)


# Format 5: a record is bit-packed (search.indexing.bitpack), each part a run of 128-value blocks;
# the table's `widths` byte holds these flags instead of byte widths.
TF_FLOAT = 1  # some weight is fractional (or < 1): `tf` is float32, `counts` follows
HAS_COUNTS = 2  # some posting's count differs from its weight: `counts` follows `tf`


def encode_packed(docs: list[int], tf: list[float], counts: list[int], gaps: list[int] | None
                  ) -> tuple[int, bytes]:
    """One term's record in .pld (format 5) and its flags: the runs of its document gaps (the first
    from 0), its weights less one (most are 1: blocks of width 0, no bytes) or, with `TF_FLOAT`,
    its weights as float32; with `HAS_COUNTS` each posting's count as Whoosh encodes it; for a
    positional field (`gaps` not None) the gaps between each posting's positions, `counts` (or
    `tf`) of them per posting."""
    parts = [bitpack.pack([b - a for a, b in pairwise([0, *docs])])]
    flags = 0
    if all(v >= 1 and v == int(v) for v in tf):
        parts.append(bitpack.pack([int(v) - 1 for v in tf]))
    else:
        flags |= TF_FLOAT
        parts.append(_little_endian(array("f", tf)))
    if flags & TF_FLOAT or counts != tf:  # (whole-number floats equal their ints)
        flags |= HAS_COUNTS
        parts.append(bitpack.pack(counts))
    if gaps is not None:
        parts.append(bitpack.pack(gaps))
    return flags, b"".join(parts)


class _FieldTable:
    """One field's table rows, in Whoosh's term order until the field is finished."""

    def __init__(self, positions: bool):
        self.positions = positions
        self.columns = {name: array({"<u8": "Q", "<u4": "L", "<u1": "B"}[dtype]) for name, dtype in TABLE_COLUMNS}

    def add(self, **row) -> None:
        for name, value in row.items():
            self.columns[name].append(value)


class LayoutFieldWriter(W3FieldWriter):
    def __init__(self, codec, storage, segment):
        super().__init__(codec, storage, segment)
        self._records = self._create_file(RECORDS_EXT)
        self._lexicon = LexiconWriter(self._create_file(LEXICON_EXT))
        self._written = 0  # bytes so far in .pld
        self._format_number = FORMAT  # (read here: tests write older formats by changing FORMAT)
        self._fields: dict[str, _FieldTable] = {}
        self._field: _FieldTable | None = None
        self._btext = b""
        self._docs: list[int] = []
        self._tf: list[float] = []
        self._counts: list[int] = []
        self._gaps: list[int] = []

    def start_field(self, fieldname, fieldobj):
        super().start_field(fieldname, fieldobj)
        self._field = None
        if fieldname not in WHOOSH_ONLY:
            self._field = self._fields[fieldname] = _FieldTable(fieldobj.format.supports("positions"))
            self._lexicon.start_field(fieldname)

    def start_term(self, btext):
        if self._field is None:
            super().start_term(btext)
            return
        self._btext = btext
        self._docs, self._tf, self._counts, self._gaps = [], [], [], []

    def add(self, docnum, weight, vbytes, length):
        if self._field is None:
            super().add(docnum, weight, vbytes, length)
            return
        self._docs.append(docnum)
        self._tf.append(weight)
        if self._field.positions:
            gaps = _position_gaps(vbytes)
            self._counts.append(len(gaps))
            self._gaps += gaps
        elif vbytes:  # Whoosh's Frequency format: the number of occurrences
            self._counts.append(self._format.decode_frequency(vbytes))
        else:  # Existence: one
            self._counts.append(1)

    def finish_term(self):
        if self._field is None:
            super().finish_term()
            return
        self._lexicon.add(self._btext, len(self._docs))
        encode = encode_packed if self._format_number >= 5 else encode_postings
        widths, record = encode(self._docs, self._tf, self._counts,
                                         self._gaps if self._field.positions else None)
        key, check = term_key(self._btext)
        self._field.add(keys=key, checks=check, at=self._written, count=len(self._docs), widths=widths)
        self._records.write(record)
        self._written += len(record)

    def close(self):
        tables = self._create_file(TABLES_EXT)
        header = {"format": self._format_number, "fields": {}}
        blobs: list[bytes] = []
        offset = 0
        for name, table in self._fields.items():
            keys = np.frombuffer(table.columns["keys"], dtype=np.uint64)
            if self._format_number >= 5:  # the key's low 32 bits: with the check, 64 must agree
                keys = (keys & np.uint64(SHORT_KEY_MASK)).astype("<u4")
            table.columns["keys"] = keys
            order = np.argsort(keys, kind="stable")
            entry = {"terms": len(order), "positions": table.positions}
            entry["dtypes"] = {}
            for column, widest in TABLE_COLUMNS:
                values = np.asarray(table.columns[column], dtype=table.columns[column].dtype
                                    if column == "keys" else widest)[order]
                if column in NARROWED:  # format 4: `at` and `count` in the narrowest type that holds them
                    values = _narrowest(values)
                entry["dtypes"][column] = values.dtype.str
                blobs.append(values.tobytes())
                entry[column] = offset
                offset += len(blobs[-1])
            header["fields"][name] = entry
        head = json.dumps(header).encode("utf-8")
        tables.write(MAGIC + len(head).to_bytes(8, "little") + head)
        for blob in blobs:
            tables.write(blob)
        tables.close()
        if self._format_number >= 5:
            self._records.write(bytes(bitpack.PAD))  # what a decoder may read past the last record
        self._records.close()
        self._lexicon.close()
        super().close()


def _narrowest(values: np.ndarray) -> np.ndarray:
    """Unsigned `values` in the narrowest of 1, 2, 4 or 8 bytes that holds them."""
    top = int(values.max()) if len(values) else 0
    for dtype in ("<u1", "<u2", "<u4"):
        if top < 2 ** (8 * np.dtype(dtype).itemsize):
            return values.astype(dtype)
    return values.astype("<u8")


def _position_gaps(vbytes: bytes) -> list[int]:
    """The gaps between a posting's positions, from Whoosh's Positions encoding (its
    `decode_positions` without the running sum)."""
    data = vbytes[POSITIONS_COUNT_BYTES:]
    return pickle.loads(data if data.endswith(b".") else data + b".")
