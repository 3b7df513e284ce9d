"""The bit-packing of the layout's records (search.indexing.bitpack, format 5): every run decodes
to the values packed, whole or by index, whatever its length, widths and place in the file; a
term's record (documents, weights, counts, positions) reads back as it was written."""

from __future__ import annotations

import random

import numpy as np
import pytest

from search.indexing import bitpack
from search.indexing.layout import HAS_COUNTS, TF_FLOAT, encode_packed
from search.indexing.layout_reader import FieldLayout


def mapped(blob: bytes, skew: int = 0) -> np.ndarray:
    """`blob` as the reader sees a .pld: after `skew` other bytes, followed by the file's padding."""
    return np.frombuffer(bytes(range(skew)) + blob + bytes(bitpack.PAD), dtype=np.uint8)


@pytest.mark.parametrize("size", [1, 2, bitpack.SMALL, bitpack.SMALL + 1, 127, 128, 129, 256, 1000])
def test_runs_decode_to_the_values_packed(size):
    rng = random.Random(size)
    for top in (1, 2, 3, 255, 256, 70_000, 2**31, 2**32 - 1):
        values = [rng.randrange(top) for _ in range(size)]
        skew = rng.randrange(9)  # records start anywhere: no alignment is assumed
        buf = mapped(bitpack.pack(values) + bitpack.pack([7, 8]), skew)
        decoded, end = bitpack.unpack(buf, skew, size)
        assert decoded.dtype == np.int64 and decoded.tolist() == values
        assert bitpack.unpack(buf, end, 2)[0].tolist() == [7, 8]  # the next run starts where this one ends


def test_blocks_take_the_bits_of_their_largest_value():
    assert bitpack.pack([]) == b""
    assert bitpack.pack([0] * 128 + [1]) == bytes([0, 1, 1])  # a block of zeros costs its width byte
    assert bitpack.pack([5, 2]) == bytes([3, 5 | 2 << 3])
    assert len(bitpack.pack([300] * 128 + [1] * 128)) == 2 + 128 * 9 // 8 + 128 // 8
    with pytest.raises(ValueError):
        bitpack.pack([1, -1])
    with pytest.raises(ValueError):
        bitpack.pack([2**32])


def test_values_by_index_decode_only_their_blocks_and_equal_the_whole():
    rng = random.Random(7)
    values = [rng.choice([0, 1, 3, 40, 900, 70_000]) * rng.randrange(2) for _ in range(1500)]
    values[256:384] = [0] * 128  # a block of width 0 among others
    run = bitpack.Run(mapped(bitpack.pack(values), 3), 3, len(values))
    whole = run.all()
    for _ in range(50):
        index = np.sort(np.asarray(rng.sample(range(len(values)), rng.randrange(1, 40))))
        assert run[index].tolist() == whole[index].tolist() == [values[i] for i in index]
    assert run[130:140].tolist() == values[130:140] and run[5:5].tolist() == []


@pytest.mark.parametrize("positions", [False, True])
def test_a_terms_record_reads_back_as_written(positions):
    rng = random.Random(3)
    for n in (1, 5, 130, 600):
        docs = sorted(rng.sample(range(5000), n))
        tf = [float(rng.choice([1, 1, 1, 2, 7])) for _ in docs]
        counts = [int(v) for v in tf]
        gaps = [rng.randrange(1, 400) for _ in range(sum(counts))] if positions else None
        flags, record = encode_packed(docs, tf, counts, gaps)
        assert flags == 0  # whole weights ≥ 1, counts equal to them
        got_docs, got_tf, got_counts, got_positions = record_of(record, n, flags, positions)
        assert got_docs.tolist() == docs and got_tf.tolist() == tf and got_counts.tolist() == counts
        if positions:
            flat = [p for i in range(n) for p in got_positions.of(i)]
            expected = [int(v) for c in np.split(np.asarray(gaps), np.cumsum(counts)[:-1]) for v in np.cumsum(c)]
            assert flat == expected
            some = np.asarray(sorted(rng.sample(range(n), min(n, 9))))
            assert got_positions.of_many(some) == [got_positions.of(i) for i in some.tolist()]


def test_fractional_weights_and_counts_that_differ_are_kept():
    flags, record = encode_packed([2, 9], [0.5, 3.0], [1, 3], None)
    assert flags == TF_FLOAT | HAS_COUNTS
    docs, tf, counts, _ = record_of(record, 2, flags, False)
    assert docs.tolist() == [2, 9] and tf.tolist() == [0.5, 3.0] and counts.tolist() == [1, 3]
    flags, record = encode_packed([4], [2.0], [5], None)  # a count other than the weight
    assert flags == HAS_COUNTS
    assert [a.tolist() for a in record_of(record, 1, flags, False)[:3]] == [[4], [2.0], [5]]


def record_of(record: bytes, n: int, flags: int, positions: bool):
    """A record read back through the format 5 reader of a one-term field."""
    field = FieldLayout(keys=np.zeros(1, np.uint64), checks=np.zeros(1, np.uint32), at=np.zeros(1, np.uint64),
                        count=np.asarray([n], np.uint32), widths=np.asarray([flags], np.uint8),
                        records=mapped(record), positions=positions, packed=True)
    return field._packed(n, 0, flags)
