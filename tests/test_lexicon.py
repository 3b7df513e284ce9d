"""The lexicon of laid-out fields (search.indexing.lexicon) and stored fields in blocks
(search.indexing.stored_blocks), each written to a file and read back."""

from __future__ import annotations

import random

import numpy as np
from whoosh.filedb.structfile import StructFile

from search.indexing.lexicon import BLOCK, LexiconWriter, SegmentLexicon
from search.indexing.stored_blocks import BLOCK_BYTES, StoredBlocksColumn


def written_lexicon(path, fields: dict[str, list[tuple[bytes, int]]]) -> SegmentLexicon:
    writer = LexiconWriter(open(path, "wb"))
    for name, terms in fields.items():
        writer.start_field(name)
        for btext, df in terms:
            writer.add(btext, df)
    writer.close()
    return SegmentLexicon.read(np.memmap(path, dtype=np.uint8, mode="r"), str(path))


def test_every_term_is_found_with_its_frequency_and_absent_ones_are_not(tmp_path):
    rng = random.Random(3)
    words = {"hợp tác".encode(), b"a", b"ab", b"abc", b"x" * 300, b"x" * 301 + b"y", b"z" * 20}
    while len(words) < 5 * BLOCK + 3:  # blocks full and one partly
        words.add("".join(rng.choice("abcđơ") for _ in range(rng.randint(1, 12))).encode())
    terms = [(w, rng.choice((1, 2, 300, 70_000))) for w in sorted(words)]
    lexicon = written_lexicon(tmp_path / "lex", {"body": terms, "empty": [], "one": [(b"vi", 4)]})
    body = lexicon.fields["body"]
    for ordinal, (btext, df) in enumerate(terms):
        assert body.find(btext) == ordinal and body.doc_frequency(ordinal) == df
    for absent in (b"", b"\x00", b"aa\x00", b"x" * 299, b"x" * 302, b"\xff\xff", b"abcd" * 9):
        assert absent in words or body.find(absent) is None
    assert [t for _, t in body.terms_from()] == [t for t, _ in terms]
    for start in (b"", b"a", b"ab", b"b", b"c", b"x", b"\xc4", b"\xff"):
        assert [t for _, t in body.terms_from(start)] == [t for t, _ in terms if t >= start]
    assert list(lexicon.fields["empty"].terms_from()) == [] and lexicon.fields["empty"].find(b"a") is None
    assert lexicon.fields["one"].find(b"vi") == 0 and lexicon.fields["one"].doc_frequency(0) == 4


def test_terms_out_of_order_are_refused(tmp_path):
    writer = LexiconWriter(open(tmp_path / "lex", "wb"))
    writer.start_field("body")
    writer.add(b"b", 1)
    try:
        writer.add(b"a", 1)
    except ValueError as e:
        assert "out of order" in str(e)
    else:
        raise AssertionError("accepted terms out of order")


def test_stored_fields_in_blocks_read_back_in_any_order(tmp_path):
    rng = random.Random(5)
    docs = {n: {"id": f"{n:04d}", "record": "Hội nghị an ninh " * rng.randint(1, 400)}
            for n in range(300) if n % 7}  # every 7th document stores nothing
    docs[1]["record"] = "x" * (3 * BLOCK_BYTES)  # longer than a block
    column = StoredBlocksColumn()
    with open(tmp_path / "col", "wb") as raw:
        writer = column.writer(StructFile(raw))
        for n in sorted(docs):
            writer.add(n, docs[n])
        writer.finish(300)
    length = (tmp_path / "col").stat().st_size
    assert length < sum(len(d["record"]) for d in docs.values()) / 20  # repetitive: blocks share it
    with open(tmp_path / "col", "rb") as raw:
        reader = column.reader(StructFile(raw), 0, length, 300)
        order = list(range(300))
        rng.shuffle(order)
        for n in order:
            assert reader[n] == docs.get(n)
        assert list(reader) == [docs.get(n) for n in range(300)]
