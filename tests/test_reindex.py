"""`search reindex` through the real command line and the real index on disk."""

from __future__ import annotations

import json
import os
import signal
import time

import pytest

from search.indexing.reindex import reindex
from search.indexing.store import IndexStore, ReindexBusy
from tests.conftest import SEED, build_index, reindex_child, run_cli, wait_for


def docs(index):
    proc = run_cli("docs", "--json", "--index", str(index), check=True)
    return {d["path"]: d for d in json.loads(proc.stdout)}


def search_titles(index, q):
    proc = run_cli("query", q, "--json", "--index", str(index), check=True)
    return [h["title"] for h in json.loads(proc.stdout)["hits"]]


def test_first_reindex_indexes_every_seed_and_prints_summary(corpus):
    seeds, index = corpus
    proc = run_cli("reindex", "--seeds", str(seeds), "--index", str(index))
    assert proc.returncode == 0, proc.stderr
    assert "added 5, updated 0, removed 0, unchanged 0, failed 0" in proc.stdout
    listed = docs(index)
    assert sorted(listed) == sorted(SEED.values())
    meta = listed[SEED["002"]]
    assert set(meta) >= {"id", "path", "title", "date", "date_precision", "outlet", "language", "author",
                         "delegates"}
    assert (meta["date"], meta["date_precision"], meta["outlet"], meta["language"]) == \
        ("2020-07-14", "day", "idcpc", "en")


def test_show_prints_one_document_with_body(corpus):
    seeds, index = corpus
    run_cli("reindex", "--seeds", str(seeds), "--index", str(index), check=True)
    doc_id = docs(index)[SEED["001"]]["id"]
    shown = json.loads(run_cli("show", doc_id, "--json", "--index", str(index), check=True).stdout)
    assert shown["id"] == doc_id and shown["author"] == "Thư Kỳ"
    assert shown["body"].endswith("ghi nhận những đề xuất của ta.")
    missing = run_cli("show", "0000000000000000", "--index", str(index))
    assert missing.returncode == 4 and "no document with id" in missing.stderr


def test_incremental_add_update_remove_unchanged(corpus):
    seeds, index = corpus
    run_cli("reindex", "--seeds", str(seeds), "--index", str(index), check=True)
    (seeds / SEED["004"]).unlink()
    changed = seeds / SEED["000"]
    changed.write_text(changed.read_text("utf-8").replace("virtual international", "online global"), "utf-8")
    sub = seeds / "2021" / "new.txt"
    sub.parent.mkdir()
    sub.write_text(" date 2021-03-01 Zanzibar delegation visits Hanoi\nHanoi (VNA) – A Zanzibar delegation"
                   " visited Hanoi on March 1.\n", "utf-8")
    proc = run_cli("reindex", "--seeds", str(seeds), "--index", str(index))
    assert proc.returncode == 0, proc.stderr
    assert "added 1, updated 1, removed 1, unchanged 3, failed 0" in proc.stdout
    listed = docs(index)
    assert SEED["004"] not in listed and "2021/new.txt" in listed
    assert listed["2021/new.txt"]["outlet"] == "vna"
    assert search_titles(index, "Zanzibar") == ["Zanzibar delegation visits Hanoi"]
    assert search_titles(index, "Directive") == []  # only seed 004 said it: gone with the file
    # The updated document replaced the old one: one copy, new text.
    assert len([t for t in search_titles(index, "online") if t.startswith("Vietnam attends")]) == 1
    # Nothing to do: no new generation.
    before = IndexStore(index).current_name()
    assert "unchanged 5" in run_cli("reindex", "--seeds", str(seeds), "--index", str(index), check=True).stdout
    assert IndexStore(index).current_name() == before


def test_full_rebuild(corpus):
    seeds, index = corpus
    run_cli("reindex", "--seeds", str(seeds), "--index", str(index), check=True)
    proc = run_cli("reindex", "--full", "--seeds", str(seeds), "--index", str(index), check=True)
    assert "full rebuild" in proc.stdout and "added 5" in proc.stdout
    assert len(docs(index)) == 5


def test_environment_variables_point_elsewhere(corpus):
    seeds, index = corpus
    env = {"SEARCH_SEEDS": str(seeds), "SEARCH_INDEX": str(index)}
    assert run_cli("reindex", env=env).returncode == 0
    assert (index / "CURRENT").exists()
    assert len(json.loads(run_cli("docs", "--json", env=env, check=True).stdout)) == 5


def test_broken_file_is_reported_and_the_others_indexed(corpus):
    seeds, index = corpus
    (seeds / "broken.txt").write_bytes(b"Title\n\n\xff\xfe\xfa not utf-8 \xc3")
    (seeds / "empty.html").write_bytes(b"")
    (seeds / "notes.pdf").write_bytes(b"%PDF-1.4")
    proc = run_cli("reindex", "--seeds", str(seeds), "--index", str(index))
    assert proc.returncode == 1  # something failed, and the exit status says so
    assert "failed 2" in proc.stdout
    assert "broken.txt: not valid UTF-8 (byte 0xff at offset 7)" in proc.stdout + proc.stderr
    assert "empty.html: empty file" in proc.stdout + proc.stderr
    assert "skipped notes.pdf" in proc.stderr
    assert len(docs(index)) == 5


def test_previously_indexed_file_that_breaks_keeps_its_indexed_version(corpus):
    seeds, index = corpus
    run_cli("reindex", "--seeds", str(seeds), "--index", str(index), check=True)
    (seeds / SEED["002"]).write_bytes(b"\x00\x01binary")
    proc = run_cli("reindex", "--seeds", str(seeds), "--index", str(index))
    assert proc.returncode == 1 and "binary file" in proc.stdout
    assert SEED["002"] in docs(index)  # nothing lost


def test_crash_mid_reindex_leaves_previous_index_and_next_run_succeeds(corpus):
    seeds, index = corpus
    store = IndexStore(index)
    reindex(seeds, store)
    before = store.current_name()
    (seeds / "extra.txt").write_text("Extra title\n\nExtra story about Kazakhstan.\n", "utf-8")
    (seeds / SEED["003"]).unlink()

    def crash(rel):
        raise RuntimeError("simulated crash")

    with pytest.raises(RuntimeError):
        reindex(seeds, store, on_document=crash)
    assert store.current_name() == before
    assert len(docs(index)) == 5 and SEED["003"] in docs(index)
    report = reindex(seeds, store)
    assert (report.added, report.removed, report.unchanged) == (1, 1, 4)
    assert "extra.txt" in docs(index)
    assert len([p for p in index.iterdir() if p.name.startswith("gen-")]) <= 2  # leftovers cleaned


def test_kill_9_mid_reindex_leaves_previous_index_searchable(corpus):
    seeds, index = corpus
    run_cli("reindex", "--seeds", str(seeds), "--index", str(index), check=True)
    store = IndexStore(index)
    before = store.current_name()
    child = reindex_child(seeds, index, delay=5)
    # Wait until it is building its new generation, then kill it without warning.
    assert wait_for(lambda: len([p for p in index.iterdir() if p.name.startswith("gen-")]) > 1)
    time.sleep(0.5)
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    assert store.current_name() == before
    assert search_titles(index, "Medvedev")
    # The lock died with the process, and the next run succeeds and cleans up.
    proc = run_cli("reindex", "--seeds", str(seeds), "--index", str(index))
    assert proc.returncode == 0, proc.stderr
    assert len(docs(index)) == 5


def test_second_reindex_refuses_while_one_runs(corpus):
    seeds, index = corpus
    run_cli("reindex", "--seeds", str(seeds), "--index", str(index), check=True)
    child = reindex_child(seeds, index, delay=2)
    try:
        assert wait_for(lambda: f"pid {child.pid}" in (index / "reindex.lock").read_text())
        proc = run_cli("reindex", "--seeds", str(seeds), "--index", str(index))
        assert proc.returncode == 3
        assert "another reindex is running" in proc.stderr and f"pid {child.pid}" in proc.stderr
        with pytest.raises(ReindexBusy):
            reindex(seeds, IndexStore(index))
    finally:
        child.kill()
        child.wait()


def test_missing_corpus_directory_is_a_clear_error(tmp_path):
    proc = run_cli("reindex", "--seeds", str(tmp_path / "nope"), "--index", str(tmp_path / "ix"))
    assert proc.returncode == 4 and "corpus directory not found" in proc.stderr


def test_docs_without_index_says_to_reindex(tmp_path):
    proc = run_cli("docs", "--index", str(tmp_path / "none"))
    assert proc.returncode == 4 and "run `search reindex` first" in proc.stderr


def test_hostile_names_and_pages_never_stop_a_reindex(corpus):
    seeds, index = corpus
    os.symlink("loop.txt", seeds / "loop.txt")
    (seeds / "scripts.html").write_text("<html><body><script>x()</script></body></html>", "utf-8")
    (seeds / "nested.html").write_text("<title>Nested</title>" + "<div>" * 3000 + "Deep story." + "</div>" * 3000,
                                       "utf-8")
    with open(os.path.join(os.fsencode(seeds), b"bad\xffname.txt"), "wb") as f:
        f.write(b"Title of a badly named file\n\nA story about a party congress.\n")
    proc = run_cli("reindex", "--seeds", str(seeds), "--index", str(index))
    assert proc.returncode == 1, proc.stderr
    out = proc.stdout + proc.stderr
    assert "loop.txt: cannot read: Too many levels of symbolic links" in out
    assert "scripts.html: no title" in out
    listed = docs(index)
    assert "bad\\xffname.txt" in listed  # indexed, its name shown with the bad byte escaped
    assert "nested.html" in listed and len(listed) == 7


def test_broken_file_is_not_reread_until_it_changes(corpus):
    """Every reindex reports it, but only a changed file is read and parsed again."""
    from search.ingest.loader import Ingestor

    class CountingIngestor(Ingestor):
        reads: list[str] = []

        def read(self, file):
            self.reads.append(file.rel)
            return super().read(file)

    seeds, index = corpus
    store = IndexStore(index)
    broken = seeds / "broken.txt"
    broken.write_bytes(bytes(range(256)) * 4)  # binary: refused (one bad byte in text no longer is)
    first = reindex(seeds, store, ingestor=CountingIngestor())
    assert [f.path for f in first.failed] == ["broken.txt"] and "broken.txt" in CountingIngestor.reads
    CountingIngestor.reads = []
    second = reindex(seeds, store, ingestor=CountingIngestor())
    assert [(f.path, f.reason) for f in second.failed] == [(f.path, f.reason) for f in first.failed]
    assert CountingIngestor.reads == []  # nothing was read: nothing changed
    broken.write_text("Fixed title\n\nA story about the Lao People's Revolutionary Party.\n", "utf-8")
    third = reindex(seeds, store, ingestor=CountingIngestor())
    assert not third.failed and third.added == 1 and CountingIngestor.reads == ["broken.txt"]


def test_small_updates_add_segments_until_the_limit_then_merge(corpus, monkeypatch):
    from search.indexing import reindex as reindex_module
    from search.indexing.store import open_index

    seeds, index = corpus
    store = IndexStore(index)
    reindex(seeds, store)
    monkeypatch.setattr(reindex_module, "SEGMENT_LIMIT", 6)
    page = seeds / SEED["000"]
    counts = []
    for n in range(6):
        page.write_text(page.read_text("utf-8") + f"\nUpdate {n}.\n", "utf-8")
        report = reindex(seeds, store)
        assert report.updated == 1
        counts.append(len(open_index(store.current_dir())._segments()))
    # One new segment per small update (Whoosh's own policy would merge at five), merged at the limit.
    assert counts[:5] == [2, 3, 4, 5, 6] and counts[5] < 6
    assert len(docs(index)) == 5 and "Update 5." in run_cli("show", docs(index)[SEED["000"]]["id"],
                                                             "--index", str(index), check=True).stdout


def test_an_index_from_another_analyzer_version_is_refused_by_name_then_rebuilt(tmp_path):
    """An index built before an analyzer change (its schema may name classes since renamed) is not
    opened: the message says to reindex, and the next reindex rebuilds it."""
    corpus, index = build_index(tmp_path)
    store = IndexStore(index)
    manifest_path = store.current_dir() / "manifest.json"
    data = json.loads(manifest_path.read_text("utf-8"))
    data["analysis"]["version"] = 4
    manifest_path.write_text(json.dumps(data), "utf-8")

    refused = run_cli("query", "hoà bình", "--index", str(index))
    assert refused.returncode != 0
    assert "run `search reindex`" in refused.stderr and "Traceback" not in refused.stderr

    rebuilt = run_cli("reindex", "--seeds", str(corpus), "--index", str(index), "--json", check=True)
    assert json.loads(rebuilt.stdout)["full"] is True
    assert run_cli("query", "hoà bình", "--index", str(index), check=True).returncode == 0
