"""Cluster behaviour on three real nodes on loopback (scripts/opensearch.sh): an index with one
replica; kill -9 one node (the elected cluster manager, the hardest case) → yellow, every article
still found, writes still accepted; the node back → green. Three nodes, not two: with two, losing
the elected cluster manager stops writes (no majority is left to elect another).

Part of the default run (./test.sh, CI). It took 68 s on a quiet 2-core machine and 4-6 min at a
load average of 10-15; at 16-20 it used to fail while the three JVMs started, because the start
script gave up on a node whose pid file had not appeared within 120 s (with `-d` the JVM writes it
only once well up). Now: the script knows the node's pid at once and waits on the node itself;
the nodes start `--lean` (half the CPU to start), with one processor's threads each and patient
fault detection; every wait here is generous, timed, and says on failure what each node saw,
the load average and the end of each node's log. The nodes are stopped whatever happens (and
./test.sh stops every node named after its own on exit, should pytest itself be killed).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
import uuid

import pytest

from tests.conftest import SEEDS, free_port
from tests.opensearch_support import SCRIPT, installed, missing, node_prefix, script

START_TIMEOUT = 600  # s for one node's JVM to answer (three start at once on two cores)
FORM_TIMEOUT = 300  # s for three answering nodes to elect a manager and see each other
STATUS_TIMEOUT = 300  # s for green after indexing / yellow after the kill / green after the restart


class Cluster:
    def __init__(self, tag: str, names: list[str], urls: dict[str, str]):
        self.tag, self.names, self.urls = tag, names, urls
        self.started = time.monotonic()

    def client(self, names=None):
        from opensearchpy import OpenSearch

        return OpenSearch([self.urls[n] for n in (names or self.names)], timeout=60, max_retries=3,
                          retry_on_timeout=True)

    def report(self) -> str:
        """What each node says about the cluster, the load, and the end of each node's log."""
        from opensearchpy import OpenSearch

        lines = [f"load average {open('/proc/loadavg').read().split()[:3]}, "
                 f"{time.monotonic() - self.started:.0f} s since the nodes started"]
        for n in self.names:
            try:
                h = OpenSearch([self.urls[n]], timeout=10).cluster.health(params={"local": "true", "timeout": "2s"})
                lines.append(f"{n}: {h['status']}, {h['number_of_nodes']} nodes")
            except Exception as e:
                lines.append(f"{n}: {type(e).__name__}: {str(e)[:200]}")
            log = script("logs", "--node", n, check=False).stdout
            lines.append("\n".join(log.splitlines()[-15:]))
        return "\n".join(lines)

    def wait(self, what: str, predicate, timeout: float = STATUS_TIMEOUT) -> float:
        """Wait until `predicate()` holds; fail saying what was awaited and what the nodes saw."""
        began = time.monotonic()
        while True:
            try:
                if predicate():
                    took = time.monotonic() - began
                    print(f"[cluster] {what}: {took:.0f} s")
                    return took
            except Exception:  # a cluster without a manager answers 503 for a while
                pass
            if time.monotonic() - began > timeout:
                pytest.fail(f"the cluster was not {what} within {timeout} s\n{self.report()}", pytrace=False)
            time.sleep(1)


def state(client) -> tuple[str, int]:
    h = client.cluster.health(params={"timeout": "5s"}, request_timeout=15)
    return h["status"], h["number_of_nodes"]


@pytest.fixture
def cluster():
    if not installed():
        missing("OpenSearch is not installed (scripts/opensearch.sh install)")
    tag = f"{node_prefix()}-cluster-{uuid.uuid4().hex[:6]}"
    names = [f"{tag}-{i}" for i in (1, 2, 3)]
    transport = {n: free_port() for n in names}
    http = {n: free_port() for n in names}
    members = ",".join(f"{n}:{transport[n]}" for n in names)
    env = {**os.environ, "SEARCH_OPENSEARCH_START_TIMEOUT": str(START_TIMEOUT)}
    began = time.monotonic()
    starting = [subprocess.Popen(["bash", str(SCRIPT), "start", "--lean", "--node", n, "--http-port", str(http[n]),
                                  "--transport-port", str(transport[n]), "--cluster", tag, "--members", members],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
                for n in names]
    try:
        for n, proc in zip(names, starting, strict=True):
            _, err = proc.communicate(timeout=START_TIMEOUT + 60)
            assert proc.returncode == 0, f"node {n} did not start:\n{err[-3000:]}"
        print(f"\n[cluster] three nodes answering: {time.monotonic() - began:.0f} s")
        yield Cluster(tag, names, {n: f"http://127.0.0.1:{http[n]}" for n in names})
    finally:
        for proc in starting:
            if proc.poll() is None:
                proc.kill()
        script("stop", "--prefix", tag, "--remove", check=False, timeout=200)


def test_losing_one_of_three_nodes(cluster, tmp_path):
    from search.backends.opensearch.engine import OpenSearchEngine
    from search.backends.opensearch.indexer import reindex_opensearch
    from search.backends.opensearch.settings import OpenSearchSettings
    from search.request import SearchRequest

    names, urls = cluster.names, cluster.urls
    everyone = cluster.client()
    cluster.wait("formed (3 nodes, a manager elected)", lambda: state(everyone)[1] == 3, FORM_TIMEOUT)

    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus)
    for copy in range(1, 8):  # 40 articles in three shards with a replica each
        shutil.copytree(SEEDS, corpus / f"copy{copy}")
    settings = OpenSearchSettings.resolve(url=urls[names[0]], index="cluster-test", shards=3, replicas=1)
    assert reindex_opensearch(corpus, settings, client=everyone).added == 40
    cluster.wait("green with the index", lambda: state(everyone) == ("green", 3))
    listed = everyone.search(index="cluster-test", body={"size": 100, "_source": False})
    ids = [h["_id"] for h in listed["hits"]["hits"]]
    assert len(ids) == 40
    before = OpenSearchEngine(settings, client=everyone, time_limit=None).search(SearchRequest(q="hợp tác"))["total"]

    # kill -9 the elected cluster manager
    manager = everyone.cat.cluster_manager(format="json")[0]["node"]
    assert manager in names, (manager, names)
    script("kill", "--node", manager)
    survivors = cluster.client([n for n in names if n != manager])
    cluster.wait("yellow on the two survivors", lambda: state(survivors) == ("yellow", 2))

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
    proc = script("start", "--node", manager, timeout=START_TIMEOUT + 60, check=False,
                  env={"SEARCH_OPENSEARCH_START_TIMEOUT": str(START_TIMEOUT)})
    assert proc.returncode == 0, f"{manager} did not start again:\n{proc.stderr[-3000:]}\n{cluster.report()}"
    cluster.wait("green again with the node back", lambda: state(everyone) == ("green", 3))
    assert everyone.count(index="cluster-test")["count"] == 41
    print(f"[cluster] in all: {time.monotonic() - cluster.started:.0f} s")
