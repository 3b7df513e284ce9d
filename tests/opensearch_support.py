"""The OpenSearch server the backend's tests run against, and helpers for them.

./test.sh (what CI runs) starts a node with scripts/opensearch.sh and passes its URL in
$SEARCH_OPENSEARCH_URL, with $SEARCH_OPENSEARCH_REQUIRED=1: then a server that does not answer
FAILS these tests. Run by hand with pytest, they use $SEARCH_OPENSEARCH_URL if set, else start a
node themselves when scripts/opensearch.sh has installed OpenSearch, else skip, saying how to get one.
"""

from __future__ import annotations

import os
import subprocess
import uuid

import pytest

from tests.conftest import ROOT

SCRIPT = ROOT / "scripts" / "opensearch.sh"


def required() -> bool:
    return os.environ.get("SEARCH_OPENSEARCH_REQUIRED") == "1" or os.environ.get("CI", "").lower() in ("1", "true")


def missing(message: str):
    if required():
        pytest.fail(f"OpenSearch is required here and {message}", pytrace=False)
    pytest.skip(f"{message}; run `bash scripts/opensearch.sh install` (or ./test.sh) to test the OpenSearch backend")


def healthy(url: str) -> bool:
    from opensearchpy import OpenSearch

    try:
        return OpenSearch([url], timeout=10).cluster.health()["status"] in ("green", "yellow")
    except Exception:
        return False


def node_prefix() -> str:
    """Nodes the tests start are named after this (./test.sh sets it, and stops them all on exit)."""
    return os.environ.get("SEARCH_OPENSEARCH_NODE_PREFIX") or f"pytest-{os.getpid()}"


def script(*args, timeout: float = 300, check: bool = True, env: dict | None = None) -> subprocess.CompletedProcess:
    proc = subprocess.run(["bash", str(SCRIPT), *args], capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, **(env or {})})
    if check and proc.returncode != 0:
        raise AssertionError(f"scripts/opensearch.sh {' '.join(args)} exited {proc.returncode}:\n{proc.stderr[-3000:]}")
    return proc


def installed() -> bool:
    return script("installed", check=False).returncode == 0


@pytest.fixture(scope="session")
def opensearch_url():
    url = os.environ.get("SEARCH_OPENSEARCH_URL")
    if url:
        if not healthy(url):
            missing(f"no healthy OpenSearch answers at $SEARCH_OPENSEARCH_URL={url}")
        yield url
        return
    if not installed():
        missing("no OpenSearch server is set ($SEARCH_OPENSEARCH_URL) or installed")
    node = f"{node_prefix()}-single"
    url = script("start", "--node", node).stdout.strip()
    try:
        yield url
    finally:
        script("stop", "--node", node, "--remove", check=False)


@pytest.fixture
def index_name(opensearch_url):
    """A fresh alias name for one test; its indices are deleted afterwards."""
    from opensearchpy import OpenSearch

    name = f"test-{uuid.uuid4().hex[:10]}"
    yield name
    client = OpenSearch([opensearch_url], timeout=30)
    client.indices.delete(index=f"{name}-*,{name}.lock", ignore=[404])


# --- a corpus for comparing the two backends -------------------------------------------------------
SHARED_CORPUS = ROOT.parent / "shared" / "corpus"
SITE_NAMES = ["Vietnam News Agency", "Thế giới & Việt Nam", "IDCPC", "Nhân Dân", "VnExpress", "Tuổi Trẻ",
              "Thanh Niên", ""]


def write_page(target, name: str, title: str, body: str, site: str = "", date: str = "", url: str = "") -> None:
    from bench.corpus_rows import page_html

    (target / name).write_text(page_html(title, body, site, date, url), "utf-8")


def build_parity_corpus(target, n: int = 2000, seed: int = 19) -> str:
    """The seeds, the diplomacy fixtures and `n` real articles from ../shared/corpus (VNTC full
    texts, 2025-26 feed items with outlets and dates, Reuters in English) as HTML pages; without
    ../shared, 300 pages recombined from the seeds and fixtures, with dates and outlets spread over
    them. Returns which of the two it built."""
    import gzip
    import json
    import random
    import shutil

    from bench.corpus_rows import page_fields

    rng = random.Random(seed)
    shutil.copytree(ROOT / "seeds", target / "seeds")
    shutil.copytree(ROOT / "tests" / "fixtures" / "diplomacy", target / "diplomacy")
    (target / "diplomacy" / "README.md").unlink(missing_ok=True)
    pages = target / "pages"
    pages.mkdir()
    files = {"vntc.jsonl.gz": 0.4, "vn_rss_2025_2026.jsonl.gz": 0.45, "reuters21578.jsonl.gz": 0.15}
    if all((SHARED_CORPUS / f).exists() for f in files):
        for name, share in files.items():
            rows = []
            with gzip.open(SHARED_CORPUS / name, "rt", encoding="utf-8") as f:
                for i, line in enumerate(f):  # every 7th of the first rows: quick, and varied
                    if i % 7 == 0:
                        rows.append(json.loads(line))
                    if len(rows) >= n:
                        break
            for i, row in enumerate(rng.sample(rows, int(n * share))):
                title, body, site, date, url = page_fields(name, row)
                if title.strip() and body.strip():
                    write_page(pages, f"{name.split('.')[0]}-{i:05d}.html", title, body, site, date, url)
        return "shared"
    texts = [p.read_text(encoding="utf-8") for p in sorted((target / "seeds").glob("*.txt"))]
    texts += [p.read_text(encoding="utf-8") for p in sorted((target / "diplomacy").glob("*.txt"))]
    paragraphs = [line for t in texts for line in t.split("\n")[2:] if len(line) > 60]
    for i in range(300):
        body = "\n".join(rng.sample(paragraphs, 3))
        title = " ".join(body.split()[:10])
        day = f"{rng.choice([2019, 2020, 2021])}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        write_page(pages, f"mixed-{i:04d}.html", title, body, rng.choice(SITE_NAMES), rng.choice([day, day, ""]))
    return "generated"
