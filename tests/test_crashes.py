"""Crashes and concurrency against real processes: kill -9 at random points of a reindex, and a
reindex while `search serve` answers a stream of searches."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

from tests.conftest import FIXTURES, ROOT, SEEDS, free_port, reindex_child, run_cli, wait_for


def _index_contents(index) -> dict:
    """Every document, with its metadata and body, by path; ids and content hashes included."""
    listed = json.loads(run_cli("docs", "--json", "--index", str(index), check=True).stdout)
    out = {}
    for d in listed:
        shown = json.loads(run_cli("show", d["id"], "--json", "--index", str(index), check=True).stdout)
        out[d["path"]] = shown
    return out


def _ranked(index, q) -> list[str]:
    result = json.loads(run_cli("query", q, "--json", "--index", str(index), check=True).stdout)
    return [h["path"] for h in result["hits"]]


def test_repeated_kill_9_then_reindex_matches_clean_rebuild(tmp_path):
    corpus, index, clean = tmp_path / "corpus", tmp_path / "index", tmp_path / "clean"
    shutil.copytree(SEEDS, corpus)
    run_cli("reindex", "--seeds", str(corpus), "--index", str(index), check=True)
    shutil.copytree(FIXTURES / "diplomacy", corpus / "diplomacy")
    rng = random.Random(20261123)
    kills = 0
    for _ in range(4):
        previous = (index / "CURRENT").read_text()
        expected = _ranked(index, "Hoàng Bình Quân")
        # A real `search reindex` in a child, killed without warning at a random moment: while
        # reading, indexing, committing or publishing.
        child = reindex_child(corpus, index, delay=0.1, output=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.3, 3.5))
        if child.poll() is None:
            os.kill(child.pid, signal.SIGKILL)
            kills += 1
        child.wait()
        current = (index / "CURRENT").read_text()
        # Either the old generation or a complete new one is live, and it answers.
        assert current == previous or child.returncode == 0
        assert _ranked(index, "Hoàng Bình Quân") == expected or current != previous
    assert kills >= 2, "the reindex finished before it could be killed; slow it down or kill sooner"

    proc = run_cli("reindex", "--seeds", str(corpus), "--index", str(index))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    run_cli("reindex", "--full", "--seeds", str(corpus), "--index", str(clean), check=True)
    after, rebuilt = _index_contents(index), _index_contents(clean)
    assert len(after) == 5 + len(list((FIXTURES / "diplomacy").glob("*.*"))) - 1  # README.md is skipped
    assert after == rebuilt  # document for document
    for q in ("hoang binh quan", "Đảng Cộng sản", "party delegation", "宋涛"):
        assert _ranked(index, q) == _ranked(clean, q)
    leftovers = [p.name for p in index.iterdir() if p.name.startswith("gen-")]
    assert len(leftovers) <= 2, leftovers  # killed runs' half-built generations are cleaned up


def test_reindex_while_serving_a_stream_of_searches(tmp_path):
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    shutil.copytree(SEEDS, corpus)
    run_cli("reindex", "--seeds", str(corpus), "--index", str(index), check=True)
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "search.cli", "serve", "--index", str(index),
                               "--port", str(port), "--threads", "4"], cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    stop = threading.Event()
    results: list[tuple[int, int]] = []  # (status, total)
    errors: list[str] = []

    def client(q):
        while not stop.is_set():
            try:
                with urllib.request.urlopen(f"{base}/api/search?q={urllib.request.quote(q)}", timeout=30) as r:
                    results.append((r.status, json.load(r)["total"]))
            except urllib.error.HTTPError as e:
                errors.append(f"{q}: HTTP {e.code}")
            except OSError as e:
                errors.append(f"{q}: {e}")

    clients: list[threading.Thread] = []
    try:
        assert wait_for(lambda: _medvedev_total(base) is not None), "server did not start"
        clients += [threading.Thread(target=client, args=(q,)) for q in ("hội nghị", "hoang binh quan", "Kazakhstan")]
        for t in clients:
            t.start()
        time.sleep(1)
        served_before = len(results)
        medvedev_before = _medvedev_total(base)
        shutil.copytree(FIXTURES / "diplomacy", corpus / "diplomacy")
        run_cli("reindex", "--seeds", str(corpus), "--index", str(index), check=True)
        # The server moves to the new generation by itself: the new articles are found.
        assert wait_for(lambda: _medvedev_total(base) > medvedev_before, timeout=20, interval=0.2), \
            "the server never moved to the new index generation"
        time.sleep(1)
    finally:
        stop.set()
        for t in clients:
            t.join(60)
        server.terminate()
        server.wait(10)
    assert not errors, errors[:5]
    assert served_before > 0 and len(results) > served_before + 10
    assert all(status == 200 for status, _ in results)


def _medvedev_total(base: str) -> int | None:
    """How many articles the server finds for "Medvedev"; None while it does not answer."""
    try:
        with urllib.request.urlopen(f"{base}/api/search?q=Medvedev", timeout=30) as r:
            return json.load(r)["total"]
    except OSError:
        return None
