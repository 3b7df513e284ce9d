"""Reindex reads changed files into documents in worker processes (search.indexing.parallel): the
same documents, in the same order, as reading them in-process; a broken file is reported as before;
a worker that dies mid-run does not lose its files."""

from __future__ import annotations

import os

import pytest

from search.indexing import parallel
from search.indexing.parallel import load_all
from search.indexing.reindex import reindex
from search.indexing.schema import from_stored
from search.indexing.store import IndexStore
from search.ingest.loader import Ingestor, discover_files
from tests.conftest import SEEDS

FILES = parallel.MIN_PARALLEL + 36  # enough for the workers to be used


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("parallel-corpus")
    seeds = sorted(SEEDS.glob("*.txt"))
    for i in range(FILES):
        first, rest = seeds[i % len(seeds)].read_text("utf-8").split("\n", 1)
        (root / f"g{i:04d}.txt").write_text(f"{first} (bản {i})\n{rest}\nGhi chú số {i}.\n", "utf-8")
    (root / "g0050.txt").write_text("", "utf-8")  # empty: fails, in the middle of the run
    return root


def _work(ingestor, corpus):
    files, _ = discover_files(corpus, False)
    return [(f, *ingestor.read(f)) for f in files]


def _outcomes(loaded):
    return [(x.file.rel, x.document, x.id, x.people, x.has_body,
             (x.error.path, x.error.reason) if x.error else None) for x in loaded]


def test_workers_give_the_documents_of_one_process_in_order(corpus):
    ingestor = Ingestor()
    work = _work(ingestor, corpus)
    serial = _outcomes(load_all(ingestor, work, procs=1))
    pooled = _outcomes(load_all(ingestor, work, procs=2))
    assert pooled == serial
    assert [rel for rel, *_ in pooled] == [f.rel for f, _, _ in work]
    failed = [(rel, error) for rel, *_, error in pooled if error]
    assert failed == [("g0050.txt", failed[0][1])] and "empty file" in failed[0][1][1]


class DiesInWorkers(Ingestor):
    """An ingestor that kills the worker process reading g0040 (as a crash in a C extension or the
    OOM killer would); in the reindex process itself it reads the file as usual."""

    def __init__(self, parent: int):
        super().__init__()
        self.parent = parent

    def load(self, file, data=None, digest=None):
        if file.rel == "g0040.txt" and os.getpid() != self.parent:
            os._exit(9)
        return super().load(file, data, digest)


def test_a_dead_worker_loses_no_file(corpus):
    ingestor = DiesInWorkers(os.getpid())
    work = _work(ingestor, corpus)
    pooled = _outcomes(load_all(ingestor, work, procs=2))
    assert pooled == _outcomes(load_all(Ingestor(), work, procs=1))


def test_full_and_incremental_reindex_through_the_workers(corpus, tmp_path):
    seen = []
    report = reindex(corpus, IndexStore(tmp_path / "index"), full=True, on_document=seen.append)
    assert report.added == FILES - 1 and [f.path for f in report.failed] == ["g0050.txt"]
    assert seen == sorted(seen) and len(seen) == FILES - 1  # in corpus order, in this process
    with IndexStore(tmp_path / "index").open().searcher() as s:
        assert s.doc_count() == FILES - 1
        assert from_stored(s.document(path="g0099.txt")).title.endswith("(bản 99)")


class RecordsWhere(Ingestor):
    """An ingestor that notes which process loaded each file."""

    def __init__(self, log):
        super().__init__()
        self.log = log

    def load(self, file, data=None, digest=None):
        with open(self.log, "a", encoding="utf-8") as f:
            f.write(f"{os.getpid()} {file.rel}\n")
        return super().load(file, data, digest)


def test_the_first_files_and_lingua_load_before_the_workers_fork(corpus, tmp_path):
    from search.metadata import language

    language._detector.cache_clear()
    log = tmp_path / "where.log"
    ingestor = RecordsWhere(log)
    work = _work(ingestor, corpus)
    list(load_all(ingestor, work, procs=2))
    where = dict(reversed(line.split()) for line in log.read_text("utf-8").splitlines())
    first = [f.rel for f, _, _ in work[:parallel.WARM_UP]]
    assert {where[rel] for rel in first} == {str(os.getpid())}  # inherited by the workers
    assert str(os.getpid()) not in {where[f.rel] for f, _, _ in work[parallel.WARM_UP:]}
    assert language._detector.cache_info().currsize == 1
