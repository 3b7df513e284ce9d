"""The postings layout (search.indexing.layout): every segment reindex writes carries, for every
term, exactly the documents, frequencies and positions of Whoosh's own postings, through full
rebuilds, incremental runs with deletes, and merges; searches give the same answers from it as
from Whoosh's postings; segments without it (older indexes) are read through Whoosh."""

from __future__ import annotations

import numpy as np
from whoosh.codec.whoosh3 import W3Codec

import search.indexing.reindex as reindex_module
from search.engine import SearchEngine
from search.indexing import layout_reader
from search.indexing.layout import WHOOSH_ONLY, LayoutCodec, term_key
from search.indexing.layout_reader import SegmentLayout
from search.indexing.reindex import reindex
from search.indexing.store import IndexStore, open_index
from search.postings import _read_all
from tests.conftest import FIXTURES, build_index
from tests.test_arrays import answers


def whoosh_postings(leaf, field, btext):
    """(docs, tf, positions) of one segment's term as Whoosh reads them."""
    fieldobj = leaf.schema[field]
    matcher = leaf._terms.matcher(field, btext, fieldobj.format)  # by bytes: numeric terms too
    positional = fieldobj.format.supports("positions")
    docs, tf, blocks = _read_all(matcher, positional)
    decode = fieldobj.format.decoder("positions") if positional else None
    positions = [tuple(decode(v)) for block in blocks for v in block] if positional else None
    return docs, tf, positions


def assert_layout_matches_whoosh(index) -> int:
    """Compares every term of every laid-out field of every segment; returns the terms compared."""
    compared = 0
    with open_index(IndexStore(index).current_dir()).searcher() as searcher:
        for leaf, _ in searcher.reader().leaf_readers():
            layout = SegmentLayout.open(leaf)
            assert layout is not None, f"segment {leaf.segment().segment_id()} has no layout"
            by_field: dict[str, list[bytes]] = {}
            for field, btext in leaf.all_terms():
                by_field.setdefault(field, []).append(btext)
            assert set(layout.fields) == set(by_field) - WHOOSH_ONLY
            for field, terms in by_field.items():
                laid = layout.field(field)
                if field in WHOOSH_ONLY:
                    assert laid is None
                    continue
                assert len(laid.keys) == len(terms)
                for btext in terms:
                    docs, tf, positions = laid.lookup(btext)
                    w_docs, w_tf, w_positions = whoosh_postings(leaf, field, btext)
                    assert np.array_equal(docs.astype(np.int64), w_docs), (field, btext)
                    assert np.array_equal(tf.astype(np.float32), w_tf), (field, btext)
                    if w_positions is not None:
                        assert [positions.of(i) for i in range(len(docs))] == w_positions, (field, btext)
                    else:
                        assert positions is None
                    compared += 1
                assert laid.lookup(b"a term in no document of this index") is None
    return compared


def answers_from_whoosh(index, monkeypatch) -> list:
    """The engine's answers with every segment read through Whoosh's postings."""
    with monkeypatch.context() as m:
        m.setattr(SegmentLayout, "open", classmethod(lambda cls, leaf: None))
        return answers(SearchEngine(index))


def test_every_term_of_a_full_rebuild_is_laid_out_as_whoosh_holds_it(tmp_path, monkeypatch):
    _, index = build_index(tmp_path, {"diplomacy": FIXTURES / "diplomacy"})
    assert assert_layout_matches_whoosh(index) > 1000
    assert answers(SearchEngine(index)) == answers_from_whoosh(index, monkeypatch)


def test_incremental_runs_with_deletes_and_merges_keep_the_layout_exact(tmp_path, monkeypatch):
    corpus, index = build_index(tmp_path, {"diplomacy": FIXTURES / "diplomacy"})
    store = IndexStore(index)
    files = sorted(p for p in corpus.rglob("*") if p.is_file())
    files[0].unlink()  # a deleted article: its postings stay, masked by the engine
    (corpus / "new.txt").write_text("Hội nghị an ninh mới\n\nHai bên bàn về hợp tác an ninh và kinh tế.\n", "utf-8")
    reindex(corpus, store)
    files[1].write_text(files[1].read_text("utf-8") + "\nHợp tác an ninh được nhắc lại.\n", "utf-8")
    (corpus / "other.txt").write_text("Cuba and Japan\n\nCuba and Japan discussed security cooperation.\n", "utf-8")
    reindex(corpus, store)
    with open_index(store.current_dir()).searcher() as searcher:
        segments = searcher.reader().segments()
        assert len(segments) == 3 and sum(seg.deleted_count() for seg in segments) == 2
    assert assert_layout_matches_whoosh(index) > 1000
    assert answers(SearchEngine(index)) == answers_from_whoosh(index, monkeypatch)

    # Merging drops the deleted documents and renumbers the rest: the merged segment's layout is
    # written from the postings Whoosh's merge feeds its field writer.
    writer = open_index(store.current_dir()).writer(codec=LayoutCodec())
    writer.commit(optimize=True)
    with open_index(store.current_dir()).searcher() as searcher:
        segments = searcher.reader().segments()
        assert len(segments) == 1 and segments[0].deleted_count() == 0
    assert assert_layout_matches_whoosh(index) > 1000
    # (not `before_merge`: without the deleted documents' postings, idf and the order change)
    assert answers(SearchEngine(index)) == answers_from_whoosh(index, monkeypatch)


def test_an_index_written_without_the_layout_is_read_through_whoosh(tmp_path, monkeypatch):
    _, index = build_index(tmp_path / "new", {"diplomacy": FIXTURES / "diplomacy"})
    expected = answers(SearchEngine(index))
    monkeypatch.setattr(reindex_module, "LayoutCodec", W3Codec)  # as before the layout existed
    _, old_index = build_index(tmp_path / "old", {"diplomacy": FIXTURES / "diplomacy"})
    monkeypatch.undo()
    with open_index(IndexStore(old_index).current_dir()).searcher() as searcher:
        assert all(SegmentLayout.open(leaf) is None for leaf, _ in searcher.reader().leaf_readers())
    assert answers(SearchEngine(old_index)) == expected


def test_a_term_is_found_only_when_key_and_check_both_agree(tmp_path, monkeypatch):
    """Two terms sharing a 64-bit key (about 1 in 10^7 at a million terms) must not share
    postings: the second, independent hash tells them apart."""
    _, index = build_index(tmp_path)
    with open_index(IndexStore(index).current_dir()).searcher() as searcher:
        leaf = searcher.reader().leaf_readers()[0][0]
        laid = SegmentLayout.open(leaf).field("body_fold")
        assert laid.lookup(b"hop") is not None
        key, check = term_key(b"hop")
        monkeypatch.setattr(layout_reader, "term_key", lambda btext: (key, check ^ 1))
        assert laid.lookup(b"another term, same key") is None


def test_positions_decoded_together_equal_those_decoded_one_by_one(tmp_path):
    _, index = build_index(tmp_path, {"diplomacy": FIXTURES / "diplomacy"})
    with open_index(IndexStore(index).current_dir()).searcher() as searcher:
        leaf = searcher.reader().leaf_readers()[0][0]
        laid = SegmentLayout.open(leaf).field("body_fold")
        docs, _, positions = laid.lookup(b"an")
        assert len(docs) > 5
        every = np.arange(len(docs))
        some = every[::2]
        assert positions.of_many(every) == [positions.of(i) for i in every.tolist()]
        assert positions.of_many(some) == [positions.of(i) for i in some.tolist()]
        assert positions.of_many(some[:0]) == []
