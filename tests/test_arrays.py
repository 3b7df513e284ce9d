"""A generation's arrays (search.indexing.arrays): written by reindex, memory-mapped on open, and
giving exactly the answers derived from Whoosh's own files."""

from __future__ import annotations

import shutil

import numpy as np

from search.engine import SearchEngine, SearchRequest
from search.indexing.arrays import FOLDER
from search.indexing.reindex import reindex
from search.indexing.store import IndexStore
from tests.conftest import FIXTURES, build_index

QUERIES = ["hoang binh quan", "hội nghị an ninh", '"hợp tác an ninh"', "Song Tao", "kinh te", "", "Cuba OR Japan"]


def answers(engine):
    out = []
    for q in QUERIES:
        for kw in ({}, {"language": ["vi"]}, {"sort": "newest"}, {"sort": "oldest"}):
            result = engine.search(SearchRequest(q=q, page_size=50, **kw))
            result.pop("took_ms")
            out.append(result)
    return out


def test_arrays_are_written_by_reindex_and_give_the_same_answers(tmp_path):
    corpus, index = build_index(tmp_path, {"diplomacy": FIXTURES / "diplomacy"})
    gen = IndexStore(index).current_dir()
    assert (gen / FOLDER / "meta.json").is_file()
    mapped = SearchEngine(index)
    assert isinstance(mapped.generation().facets.live, np.memmap)
    from_mapped = answers(mapped)
    shutil.rmtree(gen / FOLDER)  # as an index written by an older version: derived from Whoosh
    derived = SearchEngine(index)
    assert not isinstance(derived.generation().facets.live, np.memmap)
    assert answers(derived) == from_mapped
    assert (gen / FOLDER / "meta.json").is_file()  # and written for the next opener


def test_a_new_generation_never_reuses_the_previous_ones_arrays(tmp_path):
    corpus, index = build_index(tmp_path)
    store = IndexStore(index)
    first = store.current_dir()
    (corpus / "extra.txt").write_text("Hội nghị mới\n\nHội nghị bàn về hợp tác kinh tế.\n", "utf-8")
    reindex(corpus, store)
    second = store.current_dir()
    assert second != first and (second / FOLDER).is_dir()
    assert not (second / FOLDER / "live.npy").samefile(first / FOLDER / "live.npy")
    engine = SearchEngine(index)
    assert engine.generation().facets.size == len(np.load(second / FOLDER / "live.npy"))
    assert engine.search(SearchRequest(q="hội nghị mới"))["total"] >= 1


def test_stale_arrays_are_ignored(tmp_path):
    _, index = build_index(tmp_path)
    gen = IndexStore(index).current_dir()
    meta = gen / FOLDER / "meta.json"
    meta.write_text(meta.read_text("utf-8").replace('"docs": ', '"docs": 1'), "utf-8")
    engine = SearchEngine(index)
    assert not isinstance(engine.generation().facets.live, np.memmap)
    assert engine.search(SearchRequest(q="kinh"))["total"] >= 0


def test_damaged_arrays_are_derived_again(tmp_path):
    _, index = build_index(tmp_path)
    gen = IndexStore(index).current_dir()
    (gen / FOLDER / "live.npy").unlink()
    engine = SearchEngine(index)
    assert not isinstance(engine.generation().facets.live, np.memmap)
    assert engine.search(SearchRequest(q="kinh"))["total"] >= 1


def test_delegate_names_are_those_the_registry_and_spellings_give(tmp_path):
    from search.indexing.arrays import people_forms
    from search.metadata.people import best_display_name

    _, index = build_index(tmp_path, {"diplomacy": FIXTURES / "diplomacy"})
    engine = SearchEngine(index)
    people = engine.generation().people
    forms = people_forms(IndexStore(index).current_dir())
    assert forms and set(people) == set(forms)
    for key, spellings in forms.items():
        entry = engine.registry.canonical(spellings[0])
        assert people[key] == (entry.name if entry else best_display_name(spellings))
    assert "no-such-person" not in people and people.get("no-such-person", "x") == "x"
