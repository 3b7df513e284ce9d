"""The lexicon of a segment's laid-out fields: its terms in order, front-coded in blocks, and each
term's document frequency. It replaces Whoosh's term dictionary for those fields.

Why: Whoosh keeps, per term, a 35-byte TermInfo (weights, lengths, ids, a pointer into its
postings file) in an on-disk hash table with 40 more bytes of slots, lengths and order: 75 bytes
before the term itself, 27% of a 25,000-article index. What is read of it for a laid-out field is
the lexicon (prefix queries, "did you mean", merges walking every term) and the document frequency
(idf, which words of a long query are rarest); the rest can be computed from the layout's record
when Whoosh asks (`search.indexing.layout_codec.LaidOutTermInfo`). Here a term costs its bytes
less the prefix it shares with the one before, two varints and its document frequency.

    .plx  MAGIC, header length (uint64), a JSON header, then per field:
            starts  uint32  where each block of `BLOCK` terms starts in `data`
            df      uint8/16/32 (the narrowest that holds them): each term's document frequency
            data    per term: varint bytes shared with the previous term of its block (0 for
                    the first), varint length of the rest, the rest

A term is found by a binary search on the first terms of the blocks, then a scan of one block.
"""

from __future__ import annotations

import json
from array import array
from collections.abc import Iterator

import numpy as np

LEXICON_EXT = ".plx"
LEXICON_MAGIC = b"PLEXICO1"
BLOCK = 16  # terms per block: a lookup decodes one block (about 150 bytes)


def _varint(value: int) -> bytes:
    out = bytearray()
    while value >= 0x80:
        out.append(value & 0x7F | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def _read_varint(blob: bytes, i: int) -> tuple[int, int]:
    byte = blob[i]
    if byte < 0x80:
        return byte, i + 1
    value = shift = 0
    while True:
        byte = blob[i]
        i += 1
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            return value, i
        shift += 7


class _FieldWriter:
    def __init__(self):
        self.starts = array("L")
        self.df = array("L")
        self.data = bytearray()
        self.previous = b""

    def add(self, btext: bytes, df: int) -> None:
        if self.df and btext <= self.previous:
            raise ValueError(f"terms out of order: {btext!r} after {self.previous!r}")
        if len(self.df) % BLOCK == 0:
            self.starts.append(len(self.data))
            shared = 0
        else:
            shared = _shared_prefix(self.previous, btext)
        self.data += _varint(shared) + _varint(len(btext) - shared) + btext[shared:]
        self.df.append(df)
        self.previous = btext


def _shared_prefix(a: bytes, b: bytes) -> int:
    n = min(len(a), len(b))
    i = 0
    while i < n and a[i] == b[i]:
        i += 1
    return i


class LexiconWriter:
    """Written by the segment's field writer, one field at a time, terms in Whoosh's order."""

    def __init__(self, file):
        self._file = file
        self._fields: dict[str, _FieldWriter] = {}
        self._field: _FieldWriter | None = None

    def start_field(self, name: str) -> None:
        self._field = self._fields.setdefault(name, _FieldWriter())

    def add(self, btext: bytes, df: int) -> None:
        self._field.add(btext, df)

    def close(self) -> None:
        header: dict = {"fields": {}}
        blobs: list[bytes] = []
        offset = 0
        for name, field in self._fields.items():
            df = np.asarray(field.df, dtype=np.uint32)
            top = int(df.max()) if len(df) else 0
            df = df.astype("<u1" if top < 2**8 else "<u2" if top < 2**16 else "<u4")
            entry = {"terms": len(df), "df_dtype": df.dtype.str}
            for part, blob in (("starts", np.asarray(field.starts, dtype="<u4").tobytes()),
                               ("df", df.tobytes()), ("data", bytes(field.data))):
                entry[part], entry[part + "_length"] = offset, len(blob)
                blobs.append(blob)
                offset += len(blob)
            header["fields"][name] = entry
        head = json.dumps(header).encode("utf-8")
        self._file.write(LEXICON_MAGIC + len(head).to_bytes(8, "little") + head)
        for blob in blobs:
            self._file.write(blob)
        self._file.close()


class FieldLexicon:
    """One field's terms (bytes, ascending) and document frequencies, read from a memory map."""

    def __init__(self, rows: np.ndarray, entry: dict):
        self.terms = entry["terms"]
        self.starts = _view(rows, entry["starts"], entry["starts_length"], "<u4")
        self.df = _view(rows, entry["df"], entry["df_length"], entry["df_dtype"])
        self.data = _view(rows, entry["data"], entry["data_length"], "<u1")

    def find(self, btext: bytes) -> int | None:
        """The term's ordinal, or None."""
        block = self._block_of(btext)
        if block < 0:
            return None
        for k, term in enumerate(self._block(block)):
            if term == btext:
                return block * BLOCK + k
            if term > btext:
                return None
        return None

    def doc_frequency(self, ordinal: int) -> int:
        return int(self.df[ordinal])

    def terms_from(self, start: bytes = b"") -> Iterator[tuple[int, bytes]]:
        """(ordinal, term) of every term ≥ `start`, in order."""
        block = max(self._block_of(start), 0)
        for b in range(block, len(self.starts)):
            for k, term in enumerate(self._block(b)):
                if term >= start:
                    yield b * BLOCK + k, term

    def _block_of(self, btext: bytes) -> int:
        """The last block whose first term is ≤ `btext` (-1: none is)."""
        lo, hi = 0, len(self.starts)
        while lo < hi:
            mid = (lo + hi) // 2
            if self._first(mid) <= btext:
                lo = mid + 1
            else:
                hi = mid
        return lo - 1

    def _first(self, block: int) -> bytes:
        at = int(self.starts[block])
        head = bytes(self.data[at:at + 16])
        _, i = _read_varint(head, 0)
        n, i = _read_varint(head, i)
        if i + n <= len(head):
            return head[i:i + n]
        return bytes(self.data[at + i:at + i + n])

    def _block(self, block: int) -> list[bytes]:
        start = int(self.starts[block])
        end = int(self.starts[block + 1]) if block + 1 < len(self.starts) else len(self.data)
        blob = bytes(self.data[start:end])
        out: list[bytes] = []
        previous, i = b"", 0
        for _ in range(min(BLOCK, self.terms - block * BLOCK)):
            shared, i = _read_varint(blob, i)
            n, i = _read_varint(blob, i)
            previous = previous[:shared] + blob[i:i + n]
            i += n
            out.append(previous)
        return out


class SegmentLexicon:
    def __init__(self, fields: dict[str, FieldLexicon]):
        self.fields = fields

    @classmethod
    def read(cls, mapped: np.ndarray, where: str) -> SegmentLexicon:
        if bytes(mapped[:len(LEXICON_MAGIC)]) != LEXICON_MAGIC:
            raise ValueError(f"{where}: not a lexicon")
        head_len = int.from_bytes(bytes(mapped[8:16]), "little")
        header = json.loads(bytes(mapped[16:16 + head_len]))
        rows = mapped[16 + head_len:]
        return cls({name: FieldLexicon(rows, entry) for name, entry in header["fields"].items()})


def _view(rows: np.ndarray, offset: int, length: int, dtype: str) -> np.ndarray:
    if not length:
        return np.zeros(0, dtype=dtype)
    return np.frombuffer(rows, dtype=dtype, count=length // np.dtype(dtype).itemsize, offset=offset)
