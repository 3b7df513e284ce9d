"""An incremental reindex extends the live generation's arrays by its new segment
(search.indexing.arrays.extend_arrays) instead of deriving them from every document: the result
must be the arrays a full derivation gives on the same generation, file for file and byte for byte,
through additions, changes, removals and a merge of segments."""

from __future__ import annotations

import shutil
from contextlib import closing
from pathlib import Path

import numpy as np
import pytest
from whoosh.reading import SegmentReader

import search.indexing.arrays as arrays
import search.indexing.reindex as reindex_module
from search.facets import FacetColumns
from search.indexing.reindex import reindex
from search.indexing.store import IndexStore, open_index
from tests.conftest import FIXTURES

PAGES = sorted((FIXTURES / "diplomacy").glob("d*"))


def derived_in_full(gen: Path, out: Path) -> Path:
    """The arrays a fresh derivation writes for generation `gen` (into `out`)."""
    with open_index(gen).searcher() as searcher:
        reader = searcher.reader()
        arrays.write_arrays(out, reader, FacetColumns(reader), arrays.length_codes(reader), arrays.people_forms(gen))
    return out / arrays.FOLDER


def assert_same_as_full_derivation(store: IndexStore, tmp: Path) -> None:
    gen = store.current_dir()
    written = gen / arrays.FOLDER
    tmp.mkdir()
    full = derived_in_full(gen, tmp)
    names = sorted(p.name for p in written.iterdir())
    assert names == sorted(p.name for p in full.iterdir())
    for name in names:
        if name.endswith(".npy"):
            a, b = np.load(written / name), np.load(full / name)
            assert a.dtype == b.dtype and np.array_equal(a, b), name
        else:
            assert (written / name).read_bytes() == (full / name).read_bytes(), name


@pytest.fixture
def extended(monkeypatch):
    """Records what each run's `extend_arrays` returned (None: derived in full)."""
    calls = []
    real = arrays.extend_arrays

    def spy(previous, reader):
        result = real(previous, reader)
        calls.append(result is not None)
        return result

    monkeypatch.setattr(arrays, "extend_arrays", spy)
    return calls


def test_incremental_arrays_equal_a_full_derivation(tmp_path, monkeypatch, extended):
    corpus, store = tmp_path / "corpus", IndexStore(tmp_path / "index")
    corpus.mkdir()
    first, later = PAGES[:12], PAGES[12:]
    for page in first:
        shutil.copy(page, corpus / page.name)
    reindex(corpus, store)
    assert extended == []  # a first build derives them
    assert_same_as_full_derivation(store, tmp_path / "check0")

    # Additions (new outlets, languages and delegates among them), changes that move a document
    # to other facet values (one page's text replaced by another's), and removals.
    for page in later[:6]:
        shutil.copy(page, corpus / page.name)
    shutil.copy(PAGES[-1], corpus / first[0].name)
    (corpus / first[1].name).write_text((corpus / first[1].name).read_text("utf-8") + "\nThêm một câu.\n", "utf-8")
    (corpus / first[2].name).unlink()
    (corpus / first[3].name).unlink()
    report = reindex(corpus, store)
    assert (report.added, report.updated, report.removed) == (6, 2, 2)
    assert extended == [True]
    assert_same_as_full_derivation(store, tmp_path / "check1")

    # Only removals: no new segment, only deletions in the old ones.
    (corpus / later[0].name).unlink()
    (corpus / first[4].name).unlink()
    assert reindex(corpus, store).removed == 2
    assert extended == [True, True]
    assert_same_as_full_derivation(store, tmp_path / "check2")

    # A page back again, a change, a new page: three segments now.
    shutil.copy(first[2], corpus / first[2].name)
    shutil.copy(PAGES[5], corpus / first[5].name)
    shutil.copy(later[6], corpus / later[6].name)
    reindex(corpus, store)
    assert extended == [True, True, True]
    assert_same_as_full_derivation(store, tmp_path / "check3")

    # A commit that merges segments renumbers documents: derived in full, and still the same.
    # (The first segment is kept, the others merged with the new documents.)
    def merge_all_but_the_first(writer, segments):
        for segment in segments[1:]:
            with closing(SegmentReader(writer.storage, writer.schema, segment)) as reader:
                writer.add_reader(reader)
        return segments[:1]

    monkeypatch.setattr(reindex_module, "merge_when_many", merge_all_but_the_first)
    for page in later[7:]:
        shutil.copy(page, corpus / page.name)
    reindex(corpus, store)
    assert extended == [True, True, True, False]
    assert_same_as_full_derivation(store, tmp_path / "check4")


def test_previous_generation_without_arrays_is_derived_in_full(tmp_path, extended):
    corpus, store = tmp_path / "corpus", IndexStore(tmp_path / "index")
    corpus.mkdir()
    for page in PAGES[:8]:
        shutil.copy(page, corpus / page.name)
    reindex(corpus, store)
    shutil.rmtree(store.current_dir() / arrays.FOLDER)  # as written by an older version
    shutil.copy(PAGES[9], corpus / PAGES[9].name)
    reindex(corpus, store)
    assert extended == [False]
    assert_same_as_full_derivation(store, tmp_path / "check")
