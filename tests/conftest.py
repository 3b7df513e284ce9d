"""Shared fixtures: the repo's seeds, an ingestor, and an index built from the seeds."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED = ROOT.parent / "shared"

SEED = {  # short names for the five seed articles
    "000": "000_207a2d1785733b45.txt",
    "001": "001_a82810a8bd7ee4cd.txt",
    "002": "002_69a8e2c386ed7635.txt",
    "003": "003_e61bf86e01c2180d.txt",
    "004": "004_fff1017332994a40.txt",
}


@pytest.fixture(scope="session")
def ingestor():
    from search.ingest.loader import Ingestor

    return Ingestor()


@pytest.fixture(scope="session")
def seed_articles(ingestor):
    """The five seeds, ingested: {"000": Article, …}."""
    from search.ingest.loader import CorpusFile

    return {short: ingestor.load(CorpusFile(name, SEEDS / name)) for short, name in SEED.items()}


@pytest.fixture
def corpus(tmp_path):
    """A writable copy of the seeds, and an index directory beside it."""
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    return seeds, tmp_path / "index"


def build_index(root: Path, extra: dict[str, Path] | None = None) -> tuple[Path, Path]:
    """The seeds (plus `extra` folders, by name) copied under `root`, reindexed: (corpus, index)."""
    from search.indexing.reindex import reindex
    from search.indexing.store import IndexStore

    corpus = root / "seeds"
    shutil.copytree(SEEDS, corpus)
    for name, folder in (extra or {}).items():
        shutil.copytree(folder, corpus / name)
    reindex(corpus, IndexStore(root / "index"))
    return corpus, root / "index"


def run_cli(*args, env=None, cwd=None, check=False, timeout=300):
    """Run the real `search` command line in a subprocess."""
    full_env = dict(os.environ, **(env or {}))
    proc = subprocess.run([sys.executable, "-m", "search.cli", *args], capture_output=True, text=True,
                          env=full_env, cwd=cwd or ROOT, timeout=timeout)
    if check and proc.returncode != 0:
        raise AssertionError(f"search {' '.join(args)} exited {proc.returncode}:\n{proc.stdout}\n{proc.stderr}")
    return proc


def free_port() -> int:
    """A loopback port nobody listens on (for a real `search serve`)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(predicate, timeout: float = 30, interval: float = 0.1) -> bool:
    """Poll `predicate` until it holds (True) or `timeout` seconds pass (False)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return False


def reindex_child(corpus: Path, index: Path, delay: float, output=subprocess.PIPE, full: bool = True,
                  env: dict | None = None) -> subprocess.Popen:
    """A real reindex (full by default) in a child process, slowed by `delay` s per document so
    that a test can catch it, or kill it, at a point of its choosing."""
    code = ("import sys, time; from pathlib import Path; from search.indexing.reindex import reindex;"
            "from search.indexing.store import IndexStore;"
            "print('started', flush=True);"
            f"reindex(Path({str(corpus)!r}), IndexStore(Path({str(index)!r})), full={full!r},"
            f" on_document=lambda rel: time.sleep({delay}));"
            "print('done', flush=True)")
    return subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stdout=output, stderr=output,
                            env=dict(os.environ, **(env or {})))
