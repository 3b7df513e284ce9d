"""The OpenSearch backend against a real server (see tests/opensearch_support.py): reindex by
content hash, full rebuilds behind an alias, deletes, the search JSON, disjunctive facets, paging
past the result window, settings."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from search.backends.opensearch.settings import OpenSearchSettings, SettingsError
from search.ingest.loader import doc_id
from tests.conftest import SEED, SEEDS
from tests.opensearch_support import index_name, opensearch_url  # noqa: F401  (fixtures)


@pytest.fixture
def backend(opensearch_url, index_name, tmp_path):  # noqa: F811
    """A corpus copy of the seeds, settings for a fresh alias, and its engine."""
    from search.backends.opensearch.engine import OpenSearchEngine

    corpus = tmp_path / "seeds"
    shutil.copytree(SEEDS, corpus)
    settings = OpenSearchSettings.resolve(url=opensearch_url, index=index_name)
    return corpus, settings, OpenSearchEngine(settings, time_limit=None)


def reindex(corpus: Path, settings, **kw):
    from search.backends.opensearch.indexer import reindex_opensearch

    return reindex_opensearch(corpus, settings, **kw)


def ids_for(engine, q: str) -> set[str]:
    from search.request import SearchRequest

    return {h["id"] for h in engine.search(SearchRequest(q=q, page_size=50))["hits"]}


def test_reindex_by_content_hash_and_deletes(backend):
    corpus, settings, engine = backend
    first = reindex(corpus, settings)
    assert (first.full, first.added, first.failed) == (True, 5, [])
    again = reindex(corpus, settings)
    assert (again.full, again.added, again.updated, again.unchanged) == (False, 0, 0, 5)
    assert again.generation == first.generation  # nothing changed: the same index

    # a changed file is updated in place, a touched one is not re-read, a removed one disappears
    changed = corpus / SEED["001"]
    changed.write_text("Zanzibarquelle " + changed.read_text(encoding="utf-8"), encoding="utf-8")
    (corpus / SEED["002"]).touch()
    (corpus / SEED["003"]).unlink()
    update = reindex(corpus, settings)
    assert (update.full, update.added, update.updated, update.removed, update.unchanged) == (False, 0, 1, 1, 3)
    assert update.generation == first.generation
    engine._state = None
    assert engine.article(doc_id(SEED["003"])) is None
    assert ids_for(engine, "zanzibarquelle") == {doc_id(SEED["001"])}
    assert reindex(corpus, settings).unchanged == 4  # the touched file's new time was recorded
    assert engine.overview()["documents"] == 4


def test_a_large_reindex_parses_on_every_core_with_the_same_documents(backend, monkeypatch):
    """Past PARALLEL_MIN files the pages are parsed by a pool of processes: the same documents,
    in the same order, a broken file reported by name, as when parsed here one by one."""
    from search.backends.opensearch import documents
    from search.ingest.loader import Ingestor, discover_files

    corpus, settings, engine = backend
    (corpus / "broken.html").write_bytes(b"<html><body><p>no title anywhere</p></body></html>")
    monkeypatch.setattr(documents, "PARALLEL_MIN", 2)
    monkeypatch.setattr(documents, "WINDOW", 2)  # windows of two files: order kept across them
    files, _ = discover_files(corpus)
    ingestor = Ingestor()
    jobs = [(f, *ingestor.read(f), None, None) for f in files]
    one_by_one = list(documents.parsed(jobs, ingestor, workers=1))
    pooled = list(documents.parsed(jobs, ingestor, workers=2))
    assert pooled == one_by_one and len(pooled) == 6
    assert [e[0] for _, _, e in pooled if e] == ["broken.html"]
    report = reindex(corpus, settings)
    assert (report.added, [f.path for f in report.failed]) == (5, ["broken.html"])
    assert "no title" in report.failed[0].reason
    assert len(ids_for(engine, "hợp tác")) > 0


def test_full_rebuild_flips_the_alias(backend):
    corpus, settings, engine = backend
    old = reindex(corpus, settings).generation
    new = reindex(corpus, settings, full=True).generation
    assert new != old
    client = engine.client
    assert list(client.indices.get_alias(name=settings.index)) == [new]
    assert not client.indices.exists(index=old)  # the old index is dropped once the alias moved
    assert engine.overview()["documents"] == 5


def test_a_crash_mid_rebuild_leaves_searches_on_the_old_index(backend):
    from search.ingest.loader import Ingestor

    corpus, settings, engine = backend
    old = reindex(corpus, settings).generation

    class Crashing(Ingestor):
        calls = 0

        def load(self, *args, **kw):
            Crashing.calls += 1
            if Crashing.calls == 3:
                raise KeyboardInterrupt  # as a kill would, mid-way through the documents
            return super().load(*args, **kw)

    with pytest.raises(KeyboardInterrupt):
        reindex(corpus, settings, full=True, ingestor=Crashing())
    assert list(engine.client.indices.get_alias(name=settings.index)) == [old]
    engine._state = None
    assert engine.overview()["documents"] == 5
    assert [i for i in engine.client.indices.get(index=f"{settings.index}-*")] == [old]  # half-built one gone


def test_search_json_has_the_whoosh_shape_and_disjunctive_facets(backend, tmp_path):
    from search.engine import SearchEngine
    from search.indexing.reindex import reindex as whoosh_reindex
    from search.indexing.store import IndexStore
    from search.request import SearchRequest

    corpus, settings, engine = backend
    reindex(corpus, settings)
    whoosh_reindex(corpus, IndexStore(tmp_path / "index"))
    whoosh = SearchEngine(tmp_path / "index", time_limit=None)
    for request in (SearchRequest(q="hợp tác"), SearchRequest(q="hop tac", language=["vi"]),
                    SearchRequest(q="", sort="newest"), SearchRequest(q="đảng date:2020")):
        a, b = whoosh.search(request), engine.search(request)
        assert set(a) == set(b)
        assert a["total"] == b["total"] and a["facets"] == b["facets"] and a["filters"] == b["filters"]
        assert a["timeline"] == b["timeline"]
        assert [set(h) for h in a["hits"]] == [set(h) for h in b["hits"]]
        assert {h["id"]: h["snippet"] for h in a["hits"]} == {h["id"]: h["snippet"] for h in b["hits"]}
    # one outlet selected: the outlet facet still lists the others (disjunctive), the total narrows
    everything = engine.search(SearchRequest(q=""))
    outlets = [v["value"] for v in everything["facets"]["outlet"]["values"]]
    narrowed = engine.search(SearchRequest(q="", outlet=[outlets[0]]))
    assert narrowed["total"] < everything["total"] or len(outlets) == 1
    assert [v["value"] for v in narrowed["facets"]["outlet"]["values"]][:len(outlets)] == outlets


def test_paging_past_the_result_window_with_search_after(backend):
    from opensearchpy import TransportError

    from search.request import SearchRequest

    corpus, settings, engine = backend
    for copy in range(1, 12):  # 60 articles: the seeds in twelve folders
        shutil.copytree(SEEDS, corpus / f"copy{copy:02d}")
    live = reindex(corpus, settings).generation
    engine.client.indices.put_settings(index=live, body={"index": {"max_result_window": 25}})
    request = SearchRequest(q="", sort="newest", page=3, page_size=10)
    with pytest.raises(TransportError):  # from + size past the window: OpenSearch refuses
        engine.search(request)
    walked = list(engine.iter_hits(SearchRequest(q="", sort="newest"), batch=7))
    assert len(walked) == len({i for i, _ in walked}) == 60
    scored = list(engine.iter_hits(SearchRequest(q="hợp tác"), batch=7))
    assert [s for _, s in scored] == sorted((s for _, s in scored), reverse=True)


def test_settings_from_flags_environment_and_file(tmp_path, monkeypatch):
    for var in ("SEARCH_OPENSEARCH_URL", "SEARCH_OPENSEARCH_CONFIG", "SEARCH_OPENSEARCH_USER",
                "SEARCH_OPENSEARCH_PASSWORD", "SEARCH_OPENSEARCH_INDEX", "SEARCH_OPENSEARCH_CA"):
        monkeypatch.delenv(var, raising=False)
    with pytest.raises(SettingsError, match="no OpenSearch URL"):
        OpenSearchSettings.resolve()
    ca = tmp_path / "ca.pem"
    ca.write_text("-----BEGIN CERTIFICATE-----\n", encoding="ascii")
    config = tmp_path / "opensearch.toml"
    config.write_text(f'[opensearch]\nurl = "https://os.example:9200"\nuser = "search"\nca = "{ca}"\n'
                      'shards = 3\nreplicas = 1\nindex = "archive"\n', encoding="utf-8")
    monkeypatch.setenv("SEARCH_OPENSEARCH_PASSWORD", "s3cret")
    s = OpenSearchSettings.resolve(config=str(config))
    assert (s.url, s.user, s.password, s.ca, s.shards, s.replicas, s.index) == \
        ("https://os.example:9200", "search", "s3cret", str(ca), 3, 1, "archive")
    assert "s3cret" not in s.describe()
    monkeypatch.setenv("SEARCH_OPENSEARCH_URL", "http://127.0.0.1:1")
    assert OpenSearchSettings.resolve(config=str(config)).url == "http://127.0.0.1:1"  # environment over file
    assert OpenSearchSettings.resolve("http://h:2", config=str(config)).url == "http://h:2"  # flag over both
    bad = tmp_path / "bad.toml"
    bad.write_text("[opensearch]\nshards = 'x'\n", encoding="utf-8")
    with pytest.raises(SettingsError, match="shards must be a whole number"):
        OpenSearchSettings.resolve(config=str(bad))
    with pytest.raises(SettingsError, match="not found"):
        OpenSearchSettings.resolve(config=str(tmp_path / "none.toml"))
    with pytest.raises(SettingsError, match="CA file"):
        OpenSearchSettings.resolve("https://h:1", ca=str(tmp_path / "missing.pem"))


def test_the_command_line_switches_with_one_flag(opensearch_url, index_name, tmp_path):  # noqa: F811
    """`--backend opensearch` on reindex, query and serve, as a user would type them."""
    import json
    import subprocess
    import sys
    import urllib.request

    from tests.conftest import free_port, run_cli, wait_for

    corpus = tmp_path / "seeds"
    shutil.copytree(SEEDS, corpus)
    flags = ["--backend", "opensearch", "--opensearch-url", opensearch_url, "--opensearch-index", index_name]
    done = run_cli("reindex", "--seeds", str(corpus), *flags, "-q", check=True)
    assert "full rebuild of OpenSearch" in done.stdout and "added 5" in done.stdout
    run_cli("reindex", "--seeds", str(corpus), "--index", str(tmp_path / "index"), "-q", check=True)
    ours = json.loads(run_cli("query", "hop tac", *flags, "--json", check=True).stdout)
    whoosh = json.loads(run_cli("query", "hop tac", "--index", str(tmp_path / "index"), "--json", check=True).stdout)
    assert (ours["total"], ours["facets"]) == (whoosh["total"], whoosh["facets"]) and ours["total"] > 0
    # the environment works as the flag does; a wrong URL is one clear line, not a trace
    env = {"SEARCH_BACKEND": "opensearch", "SEARCH_OPENSEARCH_URL": opensearch_url,
           "SEARCH_OPENSEARCH_INDEX": index_name}
    assert json.loads(run_cli("query", "hop tac", "--json", env=env, check=True).stdout)["total"] == ours["total"]
    down = run_cli("query", "x", "--backend", "opensearch", "--opensearch-url", f"http://127.0.0.1:{free_port()}")
    assert down.returncode == 1 and "cannot reach OpenSearch" in down.stderr and "Traceback" not in down.stderr
    missing = run_cli("query", "x", "--backend", "opensearch", env={"SEARCH_OPENSEARCH_URL": ""})
    assert missing.returncode == 1 and "no OpenSearch URL" in missing.stderr
    # search docs / search show follow the flag too, and print what they print for the Whoosh index
    whoosh_flags = ["--index", str(tmp_path / "index")]
    first = whoosh["hits"][0]["id"]
    for args in (["docs"], ["docs", "--json"], ["show", first], ["show", first, "--json"]):
        assert run_cli(*args, *flags, check=True).stdout == run_cli(*args, *whoosh_flags, check=True).stdout, args
    assert "5 documents" in run_cli("docs", *flags, check=True).stdout
    unknown = run_cli("show", "0123456789abcdef", *flags)
    assert unknown.returncode == 4 and "no document with id" in unknown.stderr
    down = run_cli("docs", "--backend", "opensearch", "--opensearch-url", f"http://127.0.0.1:{free_port()}")
    assert down.returncode == 1 and "cannot reach OpenSearch" in down.stderr and "Traceback" not in down.stderr

    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "search.cli", "serve", "--port", str(port), *flags],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        def up():
            try:
                return urllib.request.urlopen(f"http://127.0.0.1:{port}/api/overview", timeout=5).status == 200
            except OSError:
                return False

        assert wait_for(up, timeout=60), server.stderr.read() if server.poll() is not None else "no answer"
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/search?q=hop+tac", timeout=30) as r:
            served = json.load(r)
        counts = lambda r: {f: [(v["value"], v["count"]) for v in r["facets"][f]["values"]] for f in r["facets"]}
        assert (served["total"], counts(served)) == (whoosh["total"], counts(whoosh))
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/search?q=hop+tac", timeout=30) as r:
            assert r.status == 200 and "<mark>" in r.read().decode("utf-8")
        first = served["hits"][0]["id"]
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/articles/{first}?q=hop+tac", timeout=30) as r:
            assert json.load(r)["id"] == first
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_one_reindex_at_a_time_and_a_dead_ones_lock_is_taken_over(backend):
    import time

    from search.backends.opensearch.lock import STALE_AFTER, ClusterLock
    from search.indexing.store import ReindexBusy

    corpus, settings, engine = backend
    with ClusterLock(engine.client, settings.index):
        with pytest.raises(ReindexBusy, match="another reindex"):
            reindex(corpus, settings)
    assert reindex(corpus, settings).added == 5  # released on the way out
    # a reindex killed with -9 leaves its lock; once it is older than STALE_AFTER it is taken over
    engine.client.index(index=f"{settings.index}.lock", id="reindex", refresh="true",
                        body={"owner": "gone:1", "at": time.time() - STALE_AFTER - 1})
    assert reindex(corpus, settings, full=True).added == 5


@pytest.mark.parametrize("size", [1000, 760_687_965])
def test_install_refuses_a_release_that_is_not_the_checked_one(tmp_path, size):
    """A cached tarball of the wrong size, or of the right size with other bytes, is refused loudly."""
    import os
    import subprocess
    import tempfile

    from tests.opensearch_support import SCRIPT

    home = Path(tempfile.mkdtemp(prefix="os-home-"))  # in /tmp, reachable by the server's user
    home.chmod(0o755)
    cache = tmp_path / "cache"
    cache.mkdir()
    fake = cache / "opensearch-2.5.0-c8f345a2e394609d.tar.gz"
    with open(fake, "wb") as f:
        f.truncate(size)  # zeros (sparse): never the release
    env = dict(os.environ, SEARCH_OPENSEARCH_CACHE=str(cache), SEARCH_OPENSEARCH_HOME=str(home))
    try:
        proc = subprocess.run(["bash", str(SCRIPT), "install"], env=env, capture_output=True, text=True, timeout=300)
        assert proc.returncode != 0
        assert ("expected 760687965" if size == 1000 else "refusing to use it") in proc.stderr
        assert not list(home.rglob("bin/opensearch"))  # nothing was extracted
    finally:
        shutil.rmtree(home)
