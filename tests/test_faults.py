"""Faults of the machine and hostile corpora: a write error (file-size limit, full disk) during a
reindex, and symbolic links that lead out of the corpus."""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
import textwrap

import pytest

from tests.conftest import ROOT, SEEDS, run_cli
from tests.test_crashes import _write_generated

EXIT_WRITE = 5


def _generations(index) -> list[str]:
    return sorted(p.name for p in index.iterdir() if p.name.startswith("gen-"))


def _total(index, q: str) -> int:
    return json.loads(run_cli("query", q, "--json", "--index", str(index), check=True).stdout)["total"]


def _count(index) -> int:
    return len(json.loads(run_cli("docs", "--json", "--index", str(index), check=True).stdout))


def _reindex_with_file_size_limit(corpus, index, limit: int, *extra) -> subprocess.CompletedProcess:
    """`search reindex` in a child whose files may not grow past `limit` bytes (RLIMIT_FSIZE, with
    SIGXFSZ ignored so that a write fails with EFBIG): a write error without root or a full disk."""
    code = textwrap.dedent(f"""
        import resource, signal, sys
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, ({limit}, {limit}))
        from search.cli import main
        sys.exit(main(["reindex", "--seeds", {str(corpus)!r}, "--index", {str(index)!r}, "-q", *{list(extra)!r}]))
    """)
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300)


def _assert_one_clear_message(proc, index) -> None:
    assert proc.returncode == EXIT_WRITE, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr and "writer is closed" not in proc.stderr, proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, proc.stderr
    assert str(index) in lines[0] and "needs about" in lines[0] or "writes about" in lines[0], lines[0]
    assert "previous" in lines[0] or "current index" in lines[0], lines[0]


def test_write_error_in_full_and_incremental_reindex_keeps_the_live_index(tmp_path):
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    shutil.copytree(SEEDS, corpus)
    rng = random.Random(7)
    _write_generated(corpus, 120, rng)
    run_cli("reindex", "--seeds", str(corpus), "--index", str(index), check=True)
    live, gens, before = (index / "CURRENT").read_text(), _generations(index), _count(index)
    assert before == 125

    # A full rebuild whose files may not pass 200 KB: the writer workers (or the parent) fail.
    proc = _reindex_with_file_size_limit(corpus, index, 200_000, "--full")
    _assert_one_clear_message(proc, index)
    assert "ulimit -f" in proc.stderr
    assert (index / "CURRENT").read_text() == live and _generations(index) == gens  # half-built one removed
    assert _count(index) == before  # the previous generation still answers

    # An incremental run that fails while writing: the same, with the cause, not "writer is closed".
    _write_generated(corpus, 200, rng, start=120)
    proc = _reindex_with_file_size_limit(corpus, index, 100_000)
    _assert_one_clear_message(proc, index)
    assert (index / "CURRENT").read_text() == live and _generations(index) == gens
    assert not [p for p in index.rglob("*.tmp")], list(index.rglob("*.tmp"))

    # Nothing to do by hand: the next run works; a full rebuild says how much space it counted on.
    proc = run_cli("reindex", "--seeds", str(corpus), "--index", str(index))
    assert proc.returncode == 0, proc.stderr
    proc = run_cli("reindex", "--full", "--seeds", str(corpus), "--index", str(index))
    assert proc.returncode == 0 and "disk: needed about" in proc.stdout, proc.stdout + proc.stderr
    assert _count(index) == 325


@pytest.fixture
def small_disk(tmp_path):
    """A 3 MB tmpfs mounted for the test (needs root; the test is skipped without it)."""
    if os.geteuid() != 0:
        pytest.skip("mounting a small filesystem needs root; the RLIMIT_FSIZE test covers write errors")
    mnt = tmp_path / "small"
    mnt.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(mnt)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode()[:200]}")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], check=False)


def test_full_disk_on_a_small_filesystem(tmp_path, small_disk):
    corpus, index = tmp_path / "corpus", small_disk / "index"
    shutil.copytree(SEEDS, corpus)
    run_cli("reindex", "--seeds", str(corpus), "--index", str(index), check=True)
    live, gens = (index / "CURRENT").read_text(), _generations(index)

    # Too much for the disk: the estimate refuses before writing anything …
    _write_generated(corpus, 600, random.Random(3))
    proc = run_cli("reindex", "--full", "--seeds", str(corpus), "--index", str(index))
    assert proc.returncode == EXIT_WRITE, proc.stdout + proc.stderr
    assert "not enough free space" in proc.stderr and str(index) in proc.stderr and "needs about" in proc.stderr
    assert _generations(index) == gens

    # … and without the estimate the disk really fills: ENOSPC, one message, nothing left behind.
    proc = run_cli("reindex", "--full", "--no-space-check", "--seeds", str(corpus), "--index", str(index))
    assert proc.returncode == EXIT_WRITE, proc.stdout + proc.stderr
    assert "disk is full" in proc.stderr and str(index) in proc.stderr and "needs about" in proc.stderr
    assert "Traceback" not in proc.stderr, proc.stderr
    assert (index / "CURRENT").read_text() == live and _generations(index) == gens
    assert _total(index, "Hoàng Bình Quân") > 0

    # A half-built generation left by a killed run fills the disk to the last byte: the lock file
    # cannot even be written, yet the next reindex removes it and works.
    shutil.rmtree(corpus / "generated")
    stale = index / "gen-000099"
    stale.mkdir()
    fd = os.open(stale / "big.seg", os.O_WRONLY | os.O_CREAT)
    try:
        while os.write(fd, b"\0" * 4096):
            pass
    except OSError:
        pass
    finally:
        os.close(fd)
    assert shutil.disk_usage(small_disk).free < 4096
    (index / "reindex.lock").write_bytes(b"")
    proc = run_cli("reindex", "--full", "--seeds", str(corpus), "--index", str(index))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert not stale.exists()
    assert _total(index, "Hoàng Bình Quân") > 0


def test_symlink_out_of_the_corpus_is_refused_and_named(tmp_path):
    corpus, index, outside = tmp_path / "corpus", tmp_path / "index", tmp_path / "outside"
    shutil.copytree(SEEDS, corpus)
    outside.mkdir()
    secret = outside / "secret.txt"
    secret.write_text(" date 2020-07-14 Secret payroll\nThe payroll of the secret ministry.\n", "utf-8")
    os.symlink(secret, corpus / "leak.txt")
    os.symlink("../outside/secret.txt", corpus / "relative-leak.txt")
    (corpus / "sub").mkdir()
    os.symlink("../" + sorted(SEEDS.glob("*.txt"))[0].name, corpus / "sub" / "inside.txt")  # stays inside

    proc = run_cli("reindex", "--seeds", str(corpus), "--index", str(index), "--json")
    report = json.loads(proc.stdout)
    skipped = {s["path"]: s["reason"] for s in report["skipped"]}
    for name in ("leak.txt", "relative-leak.txt"):
        assert "outside the corpus folder" in skipped[name] and str(secret) in skipped[name], skipped
    assert "sub/inside.txt" not in skipped and report["added"] == 6
    assert _total(index, "payroll") == 0

    # The operator may allow it explicitly.
    proc = run_cli("reindex", "--follow-outside-links", "--seeds", str(corpus), "--index", str(index))
    assert proc.returncode == 0, proc.stderr
    assert _total(index, "payroll") == 2


def test_an_index_folder_that_cannot_be_made_is_one_message_not_a_traceback(tmp_path):
    """The lock file is the first thing a reindex writes: when even that fails (a full disk, a file
    where the folder should be), the run ends with exit 5 and a line naming the folder."""
    (tmp_path / "in-the-way").write_text("a file, not a folder")
    index = tmp_path / "in-the-way" / "index"
    proc = run_cli("reindex", "--seeds", str(SEEDS), "--index", str(index))
    assert proc.returncode == 5, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    assert str(index) in proc.stderr and "reindex lock" in proc.stderr
