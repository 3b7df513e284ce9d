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


def script(*args, timeout: float = 300, check: bool = True) -> subprocess.CompletedProcess:
    proc = subprocess.run(["bash", str(SCRIPT), *args], capture_output=True, text=True, timeout=timeout)
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
    node = f"pytest-{os.getpid()}"
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
    client.indices.delete(index=f"{name}-*", ignore=[404])
