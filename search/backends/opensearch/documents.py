"""Corpus files → OpenSearch documents (parsed, analysed: mapping.to_source), on every core.

Parsing a page and running the project's analyzers is nearly all of a reindex's time (OpenSearch
only receives the tokens), so a large reindex spreads it over a pool of forked processes, one per
core, as the Whoosh path's writer does. The documents come back in the files' order, a window of
WINDOW files at a time, so that memory stays bounded however fast OpenSearch takes them.
A small reindex, or one with an Ingestor of the caller's own (tests), runs in this process.
"""

from __future__ import annotations

import multiprocessing
import os

from search.backends.opensearch.mapping import to_source
from search.indexing.workers import die_with_parent
from search.ingest.loader import Ingestor
from search.model import IngestError

PARALLEL_MIN = 200  # files to parse: below this a pool costs more than it saves
WINDOW = 2000  # files handed to the pool at once

_ingestor: Ingestor | None = None  # in a pool's worker: its own


def parsed(jobs: list[tuple], ingestor: Ingestor, workers: int | None = None):
    """For each job (file, data, digest, size, mtime_ns) in order: (id, source, None), or
    (None, None, (path, reason)) for a file that cannot be parsed (an IngestError does not
    survive pickling). `data` None: nothing to parse, (None, None, None)."""
    workers = workers or os.cpu_count() or 1
    if workers < 2 or type(ingestor) is not Ingestor or sum(j[1] is not None for j in jobs) < PARALLEL_MIN:
        for job in jobs:
            yield _parse(ingestor, job)
        return
    context = multiprocessing.get_context("fork")
    with context.Pool(workers, initializer=_start_worker, initargs=(os.getpid(),)) as pool:
        for first in range(0, len(jobs), WINDOW):
            yield from pool.imap(_parse_in_worker, jobs[first:first + WINDOW], chunksize=8)


def _start_worker(parent_pid: int) -> None:
    global _ingestor
    die_with_parent(parent_pid, keep_output=True)  # a killed reindex leaves no worker behind
    _ingestor = Ingestor()


def _parse_in_worker(job: tuple):
    return _parse(_ingestor, job)


def _parse(ingestor: Ingestor, job: tuple):
    file, data, digest, size, mtime_ns = job
    if data is None:
        return None, None, None
    try:
        article = ingestor.load(file, data, digest)
        return article.id, to_source(article, size, mtime_ns), None
    except Exception as e:  # one broken file never stops a reindex
        if not isinstance(e, IngestError):
            e = IngestError(file.rel, f"could not be parsed ({type(e).__name__}: {str(e)[:200]})")
        return None, None, (e.path, e.reason)
