"""Cluster behaviour on three real nodes on loopback (scripts/opensearch.sh): an index with one
replica; kill -9 one node (the elected cluster manager, the hardest case) → yellow, every article
still found, writes still accepted; the node back → green. Three nodes, not two: with two, losing
the elected cluster manager stops writes (no majority is left to elect another).

LONG FORM, not in the default run: on this 2-core machine it took 68 s when the machine was quiet,
6 min at a load average of 15, and three JVMs did not form a cluster within 400 s at 16-20, which
would fail CI for everyone. Run it on purpose:

    SEARCH_OPENSEARCH_CLUSTER=1 ./test.sh tests/test_opensearch_cluster.py -s
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
import uuid

import pytest

from tests.conftest import SEEDS, free_port, wait_for
from tests.opensearch_support import SCRIPT, installed, missing, script


def health(client) -> dict:
    try:
        return client.cluster.health(params={"timeout": "5s"}, request_timeout=10)
    except Exception as e:  # a cluster without a manager answers 503 for a while
        return {"status": f"unavailable ({type(e).__name__})", "number_of_nodes": 0}


pytestmark = pytest.mark.skipif(os.environ.get("SEARCH_OPENSEARCH_CLUSTER") != "1",
                                reason="long form (three OpenSearch nodes, 6+ min): "
                                       "SEARCH_OPENSEARCH_CLUSTER=1 ./test.sh tests/test_opensearch_cluster.py")


@pytest.fixture
def cluster():
    if not installed():
        missing("OpenSearch is not installed (scripts/opensearch.sh install)")
    tag = uuid.uuid4().hex[:6]
    names = [f"cluster-{tag}-{i}" for i in (1, 2, 3)]
    transport = {n: free_port() for n in names}
    http = {n: free_port() for n in names}
    members = ",".join(f"{n}:{transport[n]}" for n in names)
    starting = [subprocess.Popen(["bash", str(SCRIPT), "start", "--node", n, "--http-port", str(http[n]),
                                  "--transport-port", str(transport[n]), "--cluster", f"test-{tag}",
                                  "--members", members], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                for n in names]
    try:
        for n, proc in zip(names, starting, strict=True):
            out, err = proc.communicate(timeout=400)
            assert proc.returncode == 0, f"node {n} did not start:\n{err[-3000:]}"
        yield names, {n: f"http://127.0.0.1:{http[n]}" for n in names}
    finally:
        for proc in starting:
            if proc.poll() is None:
                proc.kill()
        for n in names:
            script("stop", "--node", n, "--remove", check=False)


def test_losing_one_of_three_nodes(cluster, tmp_path):
    from opensearchpy import OpenSearch

    from search.backends.opensearch.engine import OpenSearchEngine
    from search.backends.opensearch.indexer import reindex_opensearch
    from search.backends.opensearch.settings import OpenSearchSettings
    from search.request import SearchRequest

    names, urls = cluster
    everyone = OpenSearch(list(urls.values()), timeout=30, max_retries=3, retry_on_timeout=True)
    assert wait_for(lambda: health(everyone).get("number_of_nodes") == 3 and health(everyone)["status"] == "green",
                    timeout=120, interval=1), health(everyone)

    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus)
    for copy in range(1, 8):  # 40 articles in three shards with a replica each
        shutil.copytree(SEEDS, corpus / f"copy{copy}")
    settings = OpenSearchSettings.resolve(url=urls[names[0]], index="cluster-test", shards=3, replicas=1)
    assert reindex_opensearch(corpus, settings, client=everyone).added == 40
    assert wait_for(lambda: health(everyone)["status"] == "green", timeout=120, interval=1), health(everyone)
    listed = everyone.search(index="cluster-test", body={"size": 100, "_source": False})
    ids = [h["_id"] for h in listed["hits"]["hits"]]
    assert len(ids) == 40
    before = OpenSearchEngine(settings, client=everyone, time_limit=None).search(SearchRequest(q="hợp tác"))["total"]

    # kill -9 the elected cluster manager
    manager = everyone.cat.cluster_manager(format="json")[0]["node"]
    script("kill", "--node", manager)
    survivors = OpenSearch([urls[n] for n in names if n != manager], timeout=30, max_retries=3, retry_on_timeout=True)
    assert wait_for(lambda: health(survivors).get("number_of_nodes") == 2 and health(survivors)["status"] == "yellow",
                    timeout=120, interval=1), health(survivors)

    # every article still found, the counts unchanged
    found = survivors.search(index="cluster-test", body={"query": {"ids": {"values": ids}}, "size": 100,
                                                           "_source": False})["hits"]["hits"]
    assert len(found) == 40
    engine = OpenSearchEngine(settings, client=survivors, time_limit=None)
    assert engine.search(SearchRequest(q="hợp tác"))["total"] == before
    assert engine.search(SearchRequest(q=""))["total"] == 40

    # writes still accepted: an incremental reindex adds a new article, searchable at once
    new = corpus / "new.txt"
    new.write_text("Quỹ Zanzibarquelle hợp tác\n\nHà Nội (TTXVN) – Zanzibarquelle hợp tác với các chính đảng.\n",
                   encoding="utf-8")
    report = reindex_opensearch(corpus, settings, client=survivors)
    assert (report.added, report.failed) == (1, [])
    engine._state = None
    assert engine.search(SearchRequest(q="zanzibarquelle"))["total"] == 1

    # the node back: green again, with three nodes
    started = time.monotonic()
    script("start", "--node", manager, timeout=400)
    assert wait_for(lambda: health(everyone).get("number_of_nodes") == 3 and health(everyone)["status"] == "green",
                    timeout=180, interval=1), health(everyone)
    assert everyone.count(index="cluster-test")["count"] == 41
    print(f"node back to green in {time.monotonic() - started:.0f} s")
