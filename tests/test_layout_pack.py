"""The postings layout's packing of one term (search.indexing.layout.pack / encode_postings): short
lists go through Python's `array`, long ones through numpy (`narrow`), and both give the bytes
the layout's reader expects, whatever the values' size or kind."""

from __future__ import annotations

import random

import numpy as np
import pytest

from search.indexing.layout import SHORT, WIDTH_CODES, encode_postings, narrow, pack


def numpy_pack(values, allow_float=False) -> tuple[int, bytes]:
    code, narrowed = narrow(np.asarray(values, dtype=np.float64 if allow_float else np.int64), allow_float)
    return code, narrowed.tobytes()


@pytest.mark.parametrize("values, code", [
    ([], 0), ([0], 0), ([255], 0), ([256], 1), ([3, 65535], 1), ([65536], 2), ([2**32 - 1], 2),
])
def test_whole_numbers_take_the_narrowest_width(values, code):
    assert pack(values) == (code, np.asarray(values, dtype=WIDTH_CODES[code]).tobytes())


def test_fractional_weights_are_float32_and_refused_elsewhere():
    assert pack([1.0, 2.5], allow_float=True) == (3, np.asarray([1.0, 2.5], dtype="<f4").tobytes())
    assert pack([3.0, 300.0], allow_float=True) == (1, np.asarray([3, 300], dtype="<u2").tobytes())
    with pytest.raises(ValueError):
        pack([1, -2])
    with pytest.raises(ValueError):
        pack([-1] * (SHORT + 1))


@pytest.mark.parametrize("size", [1, 2, SHORT - 1, SHORT, SHORT + 1, 500])
def test_short_and_long_lists_pack_as_numpy_does(size):
    rng = random.Random(size)
    for _ in range(200):
        top = rng.choice([10, 300, 70_000, 2**31])
        whole = [rng.randrange(top) for _ in range(size)]
        assert pack(whole) == numpy_pack(whole)
        weights = [float(v) for v in whole] if rng.random() < 0.7 else [rng.random() * top for _ in range(size)]
        assert pack(weights, allow_float=True) == numpy_pack(weights, allow_float=True)


def test_a_terms_record_holds_counts_only_when_they_differ_from_the_frequencies():
    widths, record = encode_postings([3, 7, 300], [1.0, 2.0, 1.0], [1, 2, 1], [4, 1, 2, 9])
    # gaps between documents 3, 4, 293: two bytes each; frequencies one byte; no counts; positions one byte
    assert widths == 1 | 0 << 2 | 0 << 4 | 0 << 6
    assert record == (np.asarray([3, 4, 293], "<u2").tobytes() + bytes([1, 2, 1]) + bytes([4, 1, 2, 9]))
    widths, record = encode_postings([0], [0.5], [1], None)  # a fractional weight: its count is kept
    assert widths == 0 | 3 << 2 | 1 << 4
    assert record == bytes([0]) + np.asarray([0.5], "<f4").tobytes() + bytes([1])
