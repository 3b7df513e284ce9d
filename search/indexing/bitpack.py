"""Whole numbers ≥ 0 bit-packed in blocks of 128, each block in as few bits as its largest value
needs (the "frame of reference" packing of Lucene's and Tantivy's postings, without SIMD).

Why: the layout's postings (search.indexing.layout) held each value in 1, 2 or 4 whole bytes, so
a document gap of 300 took 16 bits and a frequency of 1 took 8. At 25,000 articles they were
33.1 MB, half the index; packed in blocks of 128 they are about 17.7 MB (measured on the speed
corpus: document gaps 13.7 → 6.7 MB, frequencies 7.2 → 3.0, position gaps 12.2 → 8.0).

A run of n values:

    widths  one byte per block of 128 (the last may be shorter): the bits of each of its values
    blocks  one after another, block i in ceil(len_i * widths[i] / 8) bytes, value j of the
            block at bits j*w .. j*w+w-1, least significant bit first (a block of width 0 is
            empty: all its values are 0)

A full block of width w is 16·w bytes, a whole number of 8-byte words, so every block of a run
starts on a word boundary from the run's first block, and value j of a width-w block sits in
the same word(s), at the same shift, in every such block. Decoding is numpy throughout, with no
loop over values or blocks: per width present in the run, its blocks' words are gathered by a
pattern computed once per width (`_pattern`), shifted, joined with the next word where a value
straddles two, and masked: about 5 ns a value (`np.frombuffer` of whole bytes: 0.2 ns; the
byte-aligned layout is still read for formats 2-4). A short last block is decoded as a whole
one, so a decoder reads up to `PAD` bytes past a run's end: the file holding runs ends with
`PAD` zero bytes.
"""

from __future__ import annotations

from functools import cache

import numpy as np

BLOCK = 128
PAD = BLOCK * 32 // 8  # the bytes of the widest block: what a decoder may read past a run's end
_EMPTY = np.zeros(0, dtype=np.int64)
_ZERO = np.zeros(1, dtype=np.int64)
SMALL = 8  # runs this short are decoded with Python's ints: fewer calls than numpy's


def pack(values: list[int]) -> bytes:
    """The run of `values` (whole numbers, 0 ≤ v < 2**32)."""
    widths = bytearray()
    blocks = []
    for i in range(0, len(values), BLOCK):
        block = values[i:i + BLOCK]
        top = max(block)
        if min(block) < 0 or top >= 2**32:
            raise ValueError("only whole numbers 0 ≤ v < 2**32 can be bit-packed")
        w = top.bit_length()
        widths.append(w)
        if w:
            acc, shift = 0, 0
            for v in block:
                acc |= v << shift
                shift += w
            blocks.append(acc.to_bytes((len(block) * w + 7) >> 3, "little"))
    return bytes(widths) + b"".join(blocks)


@cache
def _pattern(w: int) -> tuple:
    """Where each of a width-w block's 128 values lies in its 2·w words: (word, shift, the values
    that straddle into the next word, their shift there, the mask)."""
    first_bit = np.arange(BLOCK, dtype=np.int64) * w
    word, shift = first_bit >> 6, (first_bit & 63).astype(np.uint64)
    straddle = np.flatnonzero((first_bit & 63) + w > 64)
    return word, shift, straddle, np.uint64(64) - shift[straddle], np.uint64((1 << w) - 1)


def _decode(words: np.ndarray, first_words: np.ndarray, w: int) -> np.ndarray:
    """The values (uint64, one row of 128 per block) of the width-`w` blocks whose words start at
    `first_words` in `words`."""
    word, shift, straddle, back, mask = _pattern(w)
    base = first_words[:, None]
    values = words[base + word] >> shift
    if len(straddle):
        values[:, straddle] |= words[base + word[straddle] + 1] << back
    return values & mask


class Run:
    """A run of `n` packed values starting at `at` in `buf` (uint8, e.g. a memory map): decoded
    whole (`all`) or only the blocks that hold the values asked for (`[indexes]`)."""

    __slots__ = ("buf", "n", "widths", "first_words", "data", "end")

    def __init__(self, buf: np.ndarray, at: int, n: int):
        self.buf, self.n = buf, n
        nb = (n + BLOCK - 1) // BLOCK
        self.data = at + nb  # where the first block starts
        if nb == 1:  # most terms: plain ints, no arrays
            self.widths = w = int(buf[at])
            self.first_words = None
            self.end = self.data + ((n * w + 7) >> 3)
            return
        self.widths = buf[at:at + nb].astype(np.int64)
        full = 2 * self.widths  # words of each block, were it whole (128·w bits)
        self.first_words = np.cumsum(full) - full
        last = n - BLOCK * (nb - 1)
        self.end = self.data + (8 * int(self.first_words[-1]) + ((last * int(self.widths[-1]) + 7) >> 3) if nb else 0)

    def __len__(self) -> int:
        return self.n

    def all(self) -> np.ndarray:
        """Every value, int64."""
        if not self.n:
            return _EMPTY
        if self.first_words is None:
            w = self.widths
            if not w:
                return np.zeros(self.n, dtype=np.int64)
            if self.n <= SMALL:
                packed = int.from_bytes(self.buf[self.data:self.data + ((self.n * w + 7) >> 3)].tobytes(), "little")
                mask = (1 << w) - 1
                return np.array([packed >> (i * w) & mask for i in range(self.n)], dtype=np.int64)
            words = np.frombuffer(self.buf, dtype="<u8", count=2 * w, offset=self.data)
            return _decode(words, _ZERO, w)[0, :self.n].astype(np.int64)
        return self._blocks(np.arange(len(self.widths))).ravel()[:self.n].astype(np.int64)

    def __getitem__(self, index) -> np.ndarray:
        """The values at `index` (an array of positions in the run, or a slice), int64."""
        if isinstance(index, slice):
            index = np.arange(*index.indices(self.n), dtype=np.int64)
        index = np.asarray(index, dtype=np.int64)
        if self.first_words is None or not len(index):
            return self.all()[index]
        blocks = np.unique(index >> 7)
        decoded = self._blocks(blocks)
        return decoded[np.searchsorted(blocks, index >> 7), index & (BLOCK - 1)].astype(np.int64)

    def _blocks(self, blocks: np.ndarray) -> np.ndarray:
        """The values of `blocks` (block numbers), one row of 128 each, uint64 (past the run's end
        in its last block: whatever the bytes after it give)."""
        widths, first = self.widths[blocks], self.first_words[blocks]
        count = int((first + 2 * widths).max())
        if not count:
            return np.zeros((len(blocks), BLOCK), dtype=np.uint64)
        words = np.frombuffer(self.buf, dtype="<u8", count=count, offset=self.data)
        if len(blocks) == 1:
            w = int(widths[0])
            return _decode(words, first, w) if w else np.zeros((1, BLOCK), dtype=np.uint64)
        out = np.zeros((len(blocks), BLOCK), dtype=np.uint64)
        for w in np.unique(widths).tolist():
            if w:
                rows = np.flatnonzero(widths == w)
                out[rows] = _decode(words, first[rows], w)
        return out


def unpack(buf: np.ndarray, at: int, n: int) -> tuple[np.ndarray, int]:
    """(the `n` values of the run at `at`, int64; where the run ends)."""
    if not n:
        return _EMPTY, at
    run = Run(buf, at, n)
    return run.all(), run.end
