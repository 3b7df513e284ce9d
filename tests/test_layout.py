"""The postings layout (search.indexing.layout): every segment reindex writes carries, for every
term, exactly the documents, frequencies and positions of Whoosh's own postings, through full
rebuilds, incremental runs with deletes, and merges; searches give the same answers from it as
from Whoosh's postings; segments without it (older indexes) are read through Whoosh."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from whoosh.codec.whoosh3 import W3Codec, W3FieldWriter, W3PostingsWriter, W3TermsReader
from whoosh.filedb.structfile import StructFile
from whoosh.query import Term

import search.indexing.layout as layout_module
import search.indexing.reindex as reindex_module
from search.engine import SearchEngine, SearchRequest
from search.indexing import layout_reader
from search.indexing.layout import FORMAT, WHOOSH_ONLY, LayoutFieldWriter, term_key
from search.indexing.layout_codec import STORED_BLOCKS, LayoutCodec, postings_length
from search.indexing.layout_reader import SegmentLayout
from search.indexing.lexicon import LEXICON_EXT
from search.indexing.reindex import reindex
from search.indexing.store import IndexOutdated, IndexStore, open_index
from search.postings import _read_all
from search.suggest import Vocabulary
from tests.conftest import FIXTURES, build_index
from tests.test_arrays import answers


def live_postings(index, read) -> dict:
    """{(field, term bytes): {article id: (frequency, positions)}} over the live documents of
    every laid-out field; `read(leaf, field, btext)` gives a segment's (docs, tf, positions)."""
    out: dict = {}
    with open_index(IndexStore(index).current_dir()).searcher() as searcher:
        for leaf, _ in searcher.reader().leaf_readers():
            ids = {n: leaf.stored_fields(n)["id"] for n in range(leaf.doc_count_all()) if not leaf.is_deleted(n)}
            for field, btext in leaf.all_terms():
                if field in WHOOSH_ONLY:
                    continue
                docs, tf, positions = read(leaf, field, btext)
                for i, (doc, w) in enumerate(zip(docs.tolist(), tf.tolist(), strict=True)):
                    if doc in ids:
                        out.setdefault((field, btext), {})[ids[doc]] = (w, positions[i] if positions else None)
    return out


def from_layout(leaf, field, btext):
    docs, tf, positions = SegmentLayout.open(leaf).field(field).lookup(btext)
    return docs, tf, positions.of_many(np.arange(len(docs))) if positions is not None else None


def from_whoosh(leaf, field, btext):
    """Whoosh's own postings (an index written with Whoosh's plain W3 codec)."""
    fieldobj = leaf.schema[field]
    matcher = leaf._terms.matcher(field, btext, fieldobj.format)  # by bytes: numeric terms too
    positional = fieldobj.format.supports("positions")
    docs, tf, blocks = _read_all(matcher, positional)
    if not positional:
        return docs, tf, None
    decode = fieldobj.format.decoder("positions")
    return docs, tf, [tuple(decode(v)) for block in blocks for v in block]


def build_with(codec, root: Path, steps=()) -> Path:
    """The seeds and the diplomacy fixtures indexed under `root` with `codec` (W3Codec: Whoosh's
    plain format, the reference), then each of `steps(corpus)` followed by an incremental run."""
    with pytest.MonkeyPatch.context() as m:
        m.setattr(reindex_module, "LayoutCodec", codec)
        corpus, index = build_index(root, {"diplomacy": FIXTURES / "diplomacy"})
        for step in steps:
            step(corpus)
            reindex(corpus, IndexStore(index))
    return index


def comparable(results: list) -> list:
    """Answers with equal-scoring hits in one order (ties go by document number, which two
    indexes of the same articles need not share)."""
    return [{**r, "hits": sorted(r["hits"], key=lambda h: (-round(h["score"] or 0, 9), h["id"]))} for r in results]


def assert_layout_matches_whoosh(index, reference) -> int:
    """Every term of every laid-out field, in every live document: the layout's postings are
    those a plain Whoosh index of the same articles holds. Returns the terms compared."""
    laid_out, expected = live_postings(index, from_layout), live_postings(reference, from_whoosh)
    assert laid_out == expected
    return len(expected)


def test_every_term_of_a_full_rebuild_is_laid_out_as_whoosh_holds_it(tmp_path):
    index, reference = build_with(LayoutCodec, tmp_path / "ours"), build_with(W3Codec, tmp_path / "whoosh")
    assert assert_layout_matches_whoosh(index, reference) > 1000
    assert comparable(answers(SearchEngine(index))) == comparable(answers(SearchEngine(reference)))


def test_every_field_is_laid_out_and_whoosh_reads_it_through_the_codec(tmp_path):
    """Whoosh's postings file and term dictionary hold nothing of today's segments: the layout has
    the postings, the lexicon the terms; Whoosh's own matchers and lookups by value read them."""
    index, reference = build_with(LayoutCodec, tmp_path / "ours"), build_with(W3Codec, tmp_path / "whoosh")
    with open_index(IndexStore(index).current_dir()).searcher() as ours, \
            open_index(IndexStore(reference).current_dir()).searcher() as theirs:
        leaf = ours.reader().leaf_readers()[0][0]
        assert postings_length(leaf._terms.term_info("body_fold", b"hop")) == 0
        assert postings_length(leaf._terms.term_info("id", next(leaf.lexicon("id")))) == 0
        assert not list(W3TermsReader_terms(leaf))
        for n in range(ours.doc_count_all()):  # lookups by value, as reindex and `search show` make them
            fields = ours.stored_fields(n)
            assert ours.document_number(id=fields["id"]) == n == ours.document_number(path=fields["path"])
            assert theirs.document(content_hash=fields["content_hash"])["id"] == fields["id"]
        for field, word in (("body_fold", "hop"), ("title", "hội"), ("language", "vi"), ("delegate", "hoangbinhquan")):
            assert ours.doc_frequency(field, word) == theirs.doc_frequency(field, word)
            mine = {ours.stored_fields(n)["id"] for n in ours.search(Term(field, word), limit=None).docs()}
            assert mine and mine == {theirs.stored_fields(n)["id"]
                                     for n in theirs.search(Term(field, word), limit=None).docs()}


def delete_one_add_one(corpus: Path) -> None:
    sorted(corpus.rglob("*.txt"))[0].unlink()  # its postings stay, masked by the engine
    (corpus / "new.txt").write_text("Hội nghị an ninh mới\n\nHai bên bàn về hợp tác an ninh và kinh tế.\n", "utf-8")


def change_one_add_one(corpus: Path) -> None:
    changed = sorted(corpus.rglob("*.txt"))[1]
    changed.write_text(changed.read_text("utf-8") + "\nHợp tác an ninh được nhắc lại.\n", "utf-8")
    (corpus / "other.txt").write_text("Cuba and Japan\n\nCuba and Japan discussed security cooperation.\n", "utf-8")


def test_incremental_runs_with_deletes_and_merges_keep_the_layout_exact(tmp_path):
    steps = (delete_one_add_one, change_one_add_one)
    index = build_with(LayoutCodec, tmp_path / "ours", steps)
    reference = build_with(W3Codec, tmp_path / "whoosh", steps)
    with open_index(IndexStore(index).current_dir()).searcher() as searcher:
        segments = searcher.reader().segments()
        assert len(segments) == 3 and sum(seg.deleted_count() for seg in segments) == 2
    assert assert_layout_matches_whoosh(index, reference) > 1000
    assert comparable(answers(SearchEngine(index))) == comparable(answers(SearchEngine(reference)))

    # Merging reads the old segments' postings back through Whoosh (from their layout), drops
    # the deleted documents, renumbers the rest, and lays out the merged segment.
    for ix, codec in ((index, LayoutCodec), (reference, W3Codec)):
        open_index(IndexStore(ix).current_dir()).writer(codec=codec()).commit(optimize=True)
    with open_index(IndexStore(index).current_dir()).searcher() as searcher:
        segments = searcher.reader().segments()
        assert len(segments) == 1 and segments[0].deleted_count() == 0
    assert assert_layout_matches_whoosh(index, reference) > 1000
    assert comparable(answers(SearchEngine(index))) == comparable(answers(SearchEngine(reference)))


def test_an_index_written_without_the_layout_is_read_through_whoosh(tmp_path):
    index, old_index = build_with(LayoutCodec, tmp_path / "ours"), build_with(W3Codec, tmp_path / "old")
    with open_index(IndexStore(old_index).current_dir()).searcher() as searcher:
        assert all(SegmentLayout.open(leaf) is None for leaf, _ in searcher.reader().leaf_readers())
    assert comparable(answers(SearchEngine(old_index))) == comparable(answers(SearchEngine(index)))


def test_a_layout_of_another_format_asks_for_a_rebuild(tmp_path, monkeypatch):
    """Whoosh's postings file does not hold the laid-out fields, so a layout this version cannot
    read leaves nothing to fall back on: the error says to rebuild."""
    _, index = build_index(tmp_path)
    monkeypatch.setattr(layout_reader, "READABLE", frozenset({99}))
    with pytest.raises(IndexOutdated, match="reindex --full"):
        SearchEngine(index).search(SearchRequest(q="hợp tác"))


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


def test_the_lexicon_answers_as_whoosh_term_dictionary(tmp_path):
    """Laid-out fields have no entry in Whoosh's term dictionary: their terms and document
    frequencies are in the segment's lexicon (search.indexing.lexicon), the rest of a term's
    statistics computed from the layout. Every question Whoosh's reader answers from it (the
    lexicon, prefixes, frequencies, term statistics for its scorer) gets Whoosh's own answer."""
    index, reference = build_with(LayoutCodec, tmp_path / "ours"), build_with(W3Codec, tmp_path / "whoosh")
    with open_index(IndexStore(index).current_dir()).searcher() as ours, \
            open_index(IndexStore(reference).current_dir()).searcher() as theirs:
        mine, whoosh = ours.reader(), theirs.reader()
        leaf = mine.leaf_readers()[0][0]
        assert leaf._terms._lexicon is not None
        assert not any(f == "body_fold" for f, _ in W3TermsReader_terms(leaf))
        compared = 0
        for field in sorted(set(leaf.indexed_field_names()) - WHOOSH_ONLY):
            terms = list(mine.lexicon(field))
            assert terms == list(whoosh.lexicon(field)), field
            for t in terms:
                a, b = mine.term_info(field, t), whoosh.term_info(field, t)
                assert (a.doc_frequency(), a.weight(), a.max_weight(), a.min_length(), a.max_length()) == \
                    (b.doc_frequency(), b.weight(), b.max_weight(), b.min_length(), b.max_length()), (field, t)
                assert mine.doc_frequency(field, t) == whoosh.doc_frequency(field, t)
                assert mine.frequency(field, t) == whoosh.frequency(field, t)
                assert (field, t) in mine
                compared += 1
            assert [(t, i.doc_frequency()) for (_, t), i in leaf._terms.items_from(field, b"")] == \
                [(t, leaf.doc_frequency(field, t)) for t in leaf.lexicon(field)]
        assert compared > 1000
        for field, prefix in (("body_fold", "ho"), ("title", "h"), ("body_fold", "zz"), ("body_fold", ""),
                              ("delegate", "hoang"), ("body", "\uffff")):
            assert list(mine.expand_prefix(field, prefix)) == list(whoosh.expand_prefix(field, prefix))
        assert mine.doc_frequency("body_fold", "no such word") == 0 and ("body_fold", b"no such word") not in mine
        words, reference_words = Vocabulary.build(mine), Vocabulary.build(whoosh)
        assert (words.counts, words.once) == (reference_words.counts, reference_words.once) and words.counts


def W3TermsReader_terms(leaf):
    """The terms Whoosh's own term dictionary holds in a segment (not the lexicon's)."""
    return W3TermsReader.terms(leaf._terms)


class _Format2FieldWriter(LayoutFieldWriter):
    """How a segment of layout format 2 was written: the laid-out fields' terms and statistics in
    Whoosh's term dictionary (their postings extent empty), no lexicon file."""

    def _create_file(self, ext):
        return StructFile(io.BytesIO()) if ext == LEXICON_EXT else super()._create_file(ext)

    def start_field(self, fieldname, fieldobj):
        super().start_field(fieldname, fieldobj)
        if self._field is not None:
            self._postwriter = _StatsOnlyPostingsWriter(self._postfile, blocklimit=self._codec._blocklimit)

    def start_term(self, btext):
        super().start_term(btext)
        if self._field is not None:
            W3FieldWriter.start_term(self, btext)

    def add(self, docnum, weight, vbytes, length):
        super().add(docnum, weight, vbytes, length)
        if self._field is not None:
            W3FieldWriter.add(self, docnum, weight, vbytes, length)

    def finish_term(self):
        super().finish_term()
        if self._field is not None:
            W3FieldWriter.finish_term(self)


class _StatsOnlyPostingsWriter(W3PostingsWriter):
    def _write_block(self, last=False):
        self._terminfo.add_block(self)
        self._blockcount += 1
        self._new_block()

    def finish_postings(self):
        if self._ids:
            self._write_block(last=True)
        terminfo, self._terminfo = self._terminfo, None
        terminfo.set_extent(self._postfile.tell(), 0)
        return terminfo


class Format2Codec(LayoutCodec):
    """The codec as it wrote segments before the lexicon and stored blocks (pickled by name with
    the segments of the test's index, hence module level)."""

    def __init__(self):
        super().__init__()
        self.stored_format = 1

    def field_writer(self, storage, segment):
        return _Format2FieldWriter(self, storage, segment)


def test_segments_of_the_previous_format_are_read_beside_new_ones_and_merged(tmp_path, monkeypatch):
    """An index written before the lexicon (format 2: Whoosh's term dictionary for every field,
    stored fields one document at a time) is searched as before; incremental runs add segments
    of today's format beside its own, and a merge rewrites them all in today's format."""
    with monkeypatch.context() as m:
        m.setattr(layout_module, "FORMAT", 2)
        old = build_with(Format2Codec, tmp_path / "old")
    with open_index(IndexStore(old).current_dir()).searcher() as searcher:
        for leaf, _ in searcher.reader().leaf_readers():
            assert SegmentLayout.open(leaf).format == 2 and leaf._terms._lexicon is None
            assert leaf.codec().stored_format == 1
    assert extend_then_merge(old, tmp_path, oldest=2) == STORED_BLOCKS


def test_segments_of_format_4_are_read_beside_packed_ones_and_merged_into_them(tmp_path, monkeypatch):
    """An index written before the records were bit-packed (format 4: whole bytes per value) is
    searched as it is; incremental runs add bit-packed segments beside it (format 5), and a merge
    rewrites it packed. Every term of every live document is Whoosh's at each step. (Runs longer
    than one 128-value block: tests/test_layout_bitpack.py; the fixtures have none.)"""
    with monkeypatch.context() as m:
        m.setattr(layout_module, "FORMAT", 4)
        old = build_with(LayoutCodec, tmp_path / "old")
    with open_index(IndexStore(old).current_dir()).searcher() as searcher:
        assert {SegmentLayout.open(leaf).format for leaf, _ in searcher.reader().leaf_readers()} == {4}
    assert FORMAT == 5
    extend_then_merge(old, tmp_path, oldest=4)


def extend_then_merge(old, tmp_path, oldest: int):
    """`old`, written in an older format (`oldest`), against plain Whoosh: as it is, after
    incremental runs (today's segments beside its own), and after a merge into one segment of
    today's format, whose stored-fields format is returned. Every term and answer is Whoosh's at each step."""
    steps = (delete_one_add_one, change_one_add_one)
    reference = build_with(W3Codec, tmp_path / "whoosh")
    assert assert_layout_matches_whoosh(old, reference) > 1000
    assert comparable(answers(SearchEngine(old))) == comparable(answers(SearchEngine(reference)))

    for step in steps:  # today's codec
        step(old.parent / "seeds")
        reindex(old.parent / "seeds", IndexStore(old))
    reference = build_with(W3Codec, tmp_path / "whoosh-after", steps)
    with open_index(IndexStore(old).current_dir()).searcher() as searcher:
        formats = sorted(SegmentLayout.open(leaf).format for leaf, _ in searcher.reader().leaf_readers())
        assert formats[0] == oldest and formats[-1] == FORMAT
    assert assert_layout_matches_whoosh(old, reference) > 1000
    assert comparable(answers(SearchEngine(old))) == comparable(answers(SearchEngine(reference)))

    for ix, codec in ((old, LayoutCodec), (reference, W3Codec)):
        open_index(IndexStore(ix).current_dir()).writer(codec=codec()).commit(optimize=True)
    with open_index(IndexStore(old).current_dir()).searcher() as searcher:
        (leaf, _), = searcher.reader().leaf_readers()
        assert SegmentLayout.open(leaf).format == FORMAT
        stored_format = leaf.codec().stored_format
    assert assert_layout_matches_whoosh(old, reference) > 1000
    assert comparable(answers(SearchEngine(old))) == comparable(answers(SearchEngine(reference)))
    return stored_format
