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
loop over values, blocks or widths: from tables computed once (`_patterns`: per width and place
in the block, the word, the shift), each value's word and the next are gathered, shifted, joined
and masked, a dozen numpy calls for a whole run or for the few values a phrase asks for. A short
last block is decoded as a whole one, so a decoder reads up to `PAD` bytes past a run's end: the
file holding runs ends with `PAD` zero bytes. A one-block run of at most `SMALL` values is
decoded with Python's ints instead (fewer calls).
"""

from __future__ import annotations

import numpy as np

BLOCK = 128
PAD = BLOCK * 32 // 8 + 8  # the widest block and a word: what a decoder may read past a run's end
_EMPTY = np.zeros(0, dtype=np.int64)
SMALL = 64  # one-block runs this short are decoded with Python's ints (2.9 µs for 8 values, 9 for 64;
# numpy's dozen calls: 12 µs whatever the length, and most terms have a few postings)


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


def _patterns() -> tuple[np.ndarray, ...]:
    """Where value j of a width-w block lies in the block's 2·w words, for every w (row w): the
    word, the shift within it, the shift that brings the next word's bits in after it (for a
    value that straddles two words; for one that does not, those bits land above the mask), and
    each width's mask."""
    w = np.arange(33, dtype=np.int64)[:, None]
    first_bit = np.arange(BLOCK, dtype=np.int64)[None, :] * w
    shift = first_bit & 63
    back = np.where(shift > 0, 64 - shift, 63)  # (a shift of 64 is undefined; 63 lands above any mask)
    mask = np.left_shift(np.uint64(1), w[:, 0].astype(np.uint64)) - np.uint64(1)
    return first_bit >> 6, shift.astype(np.uint64), back.astype(np.uint64), mask


_WORD, _SHIFT, _BACK, _MASK = _patterns()


class Run:
    """A run of `n` packed values starting at `at` in `buf` (uint8, e.g. a memory map): decoded
    whole (`all`) or only the values asked for (`[indexes]`)."""

    __slots__ = ("buf", "n", "widths", "first_words", "data", "end")

    def __init__(self, buf: np.ndarray, at: int, n: int):
        self.buf, self.n = buf, n
        nb = (n + BLOCK - 1) // BLOCK
        self.data = at + nb  # where the first block starts
        if nb <= 1:  # most terms: plain ints, no arrays
            self.widths = w = int(buf[at]) if nb else 0
            self.first_words = None
            self.end = self.data + ((n * w + 7) >> 3)
            return
        self.widths = buf[at:at + nb].astype(np.int64)
        full = 2 * self.widths  # words of each block, were it whole (128·w bits)
        self.first_words = np.cumsum(full) - full
        last = n - BLOCK * (nb - 1)
        self.end = self.data + 8 * int(self.first_words[-1]) + ((last * int(self.widths[-1]) + 7) >> 3)

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
            words = np.frombuffer(self.buf, dtype="<u8", count=2 * w + 1, offset=self.data)
            word = _WORD[w]
            values = (words[word] >> _SHIFT[w]) | (words[word + 1] << _BACK[w])
            values &= _MASK[w]
            return values[:self.n].astype(np.int64)
        widths = self.widths
        word = self.first_words[:, None] + _WORD[widths]
        words = np.frombuffer(self.buf, dtype="<u8", count=int(word[-1, -1]) + 2, offset=self.data)
        values = words[word]  # (in place from here: each pass over the values costs)
        values >>= _SHIFT[widths]
        after = words[1:][word]
        after <<= _BACK[widths]
        values |= after
        values &= _MASK[widths][:, None]
        return values.ravel()[:self.n].view(np.int64)  # (values < 2**32)

    def __getitem__(self, index) -> np.ndarray:
        """The values at `index` (an array of positions in the run, or a slice), int64: only
        those are decoded."""
        if isinstance(index, slice):
            index = np.arange(*index.indices(self.n), dtype=np.int64)
        index = np.asarray(index, dtype=np.int64)
        if self.first_words is None or not len(index):
            return self.all()[index]
        block, j = index >> 7, index & (BLOCK - 1)
        w = self.widths[block]
        word = self.first_words[block] + _WORD[w, j]
        words = np.frombuffer(self.buf, dtype="<u8", count=int(word.max()) + 2, offset=self.data)
        values = words[word]
        values >>= _SHIFT[w, j]
        after = words[1:][word]
        after <<= _BACK[w, j]
        values |= after
        values &= _MASK[w]
        return values.view(np.int64)


def unpack(buf: np.ndarray, at: int, n: int) -> tuple[np.ndarray, int]:
    """(the `n` values of the run at `at`, int64; where the run ends). A one-block run (most
    terms' documents and frequencies) is decoded here without a `Run`: its few microseconds are
    a cold query's cost per term, field and segment."""
    if n > BLOCK:
        run = Run(buf, at, n)
        return run.all(), run.end
    if not n:
        return _EMPTY, at
    w = int(buf[at])
    start = at + 1
    end = start + ((n * w + 7) >> 3)
    if not w:
        return np.zeros(n, dtype=np.int64), end
    if n <= SMALL:
        packed = int.from_bytes(buf[start:end].tobytes(), "little")
        mask = (1 << w) - 1
        return np.array([packed >> (i * w) & mask for i in range(n)], dtype=np.int64), end
    words = np.frombuffer(buf, dtype="<u8", count=2 * w + 1, offset=start)
    word = _WORD[w]
    values = (words[word] >> _SHIFT[w]) | (words[word + 1] << _BACK[w])
    values &= _MASK[w]
    return values[:n].astype(np.int64), end
