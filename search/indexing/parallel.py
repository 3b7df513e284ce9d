"""Reading pages into index documents on every core.

Profiled on a full reindex (1,427 pages of the speed corpus), two thirds of the time went to
ingestion (page parsing, main text, people, language: `Ingestor.load`) in the reindex process
itself, while Whoosh's writer workers, which analyse and write the documents, waited for it. Here
the changed files are loaded in a pool of worker processes, in order, so the reindex process only
passes documents on to the writer.

Before forking, the reindex process loads the first files itself and lingua's models (see
`_warm_up`): what a worker loads on first use (lingua, the gazetteer, ICU transliterators) it
then inherits, instead of each worker loading it for itself.

A worker that dies (a crash in a C extension, the OOM killer) does not stop the run: the files
whose results had not come back are loaded in the reindex process itself, one by one, as before.
Small runs (a few changed files) are loaded in-process: starting workers would cost more.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

from search.indexing.schema import to_document
from search.indexing.workers import die_with_parent
from search.ingest.loader import CorpusFile, Ingestor
from search.metadata.language import load_detector
from search.model import IngestError

MIN_PARALLEL = 64  # fewer files than this are loaded in-process
CHUNK = 8  # files per message to a worker: fewer round trips, still an even spread
WARM_UP = CHUNK  # files loaded in the reindex process before the workers fork
AHEAD = 4  # chunks per worker loaded ahead: bounds the memory held for a writer that is behind


@dataclass
class Loaded:
    """One file's outcome: its index document and what the manifest records, or why it failed."""

    file: CorpusFile
    digest: str
    document: dict | None = None
    id: str = ""
    people: list | None = None  # [[key, name], …] of its delegates
    has_body: bool = True
    error: IngestError | None = None


def load_one(ingestor: Ingestor, file: CorpusFile, data: bytes, digest: str) -> Loaded:
    try:
        article = ingestor.load(file, data, digest)
        document = to_document(article)
    except Exception as e:  # one broken file never stops a reindex
        if not isinstance(e, IngestError):
            e = IngestError(file.rel, f"could not be parsed ({type(e).__name__}: {str(e)[:200]})")
        return Loaded(file, digest, error=e)
    return Loaded(file, digest, document, article.id, [[p.key, p.name] for p in article.delegates],
                  article.has_body)


def ingest_procs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def load_all(ingestor: Ingestor, work: list[tuple[CorpusFile, bytes, str]], procs: int | None = None
             ) -> Iterator[Loaded]:
    """Each (file, data, digest) of `work` loaded, in order; in `procs` worker processes when
    there are enough files and cores."""
    procs = ingest_procs() if procs is None else procs
    if procs < 2 or len(work) < MIN_PARALLEL:
        for item in work:
            yield load_one(ingestor, *item)
        return
    done = 0
    try:
        for loaded in _in_workers(ingestor, work, procs):
            yield loaded
            done += 1
    except BrokenProcessPool:
        for item in work[done:]:  # a worker died: the rest in this process
            yield load_one(ingestor, *item)


# The worker processes are forked: they inherit the reindex's Ingestor (its registries loaded
# once) through this module global instead of a copy pickled per task.
_ingestor: Ingestor | None = None


def _start_worker(parent: int) -> None:
    die_with_parent(parent)


def _load_chunk(items: list[tuple[CorpusFile, bytes, str]]) -> list[Loaded]:
    return [_wire(load_one(_ingestor, *item)) for item in items]


def _wire(loaded: Loaded) -> Loaded:
    """IngestError takes two arguments, so it does not survive pickling as is: sent as its parts."""
    if loaded.error is not None:
        loaded.error = (loaded.error.path, loaded.error.reason)
    return loaded


def _warm_up(ingestor: Ingestor, work) -> Iterator[Loaded]:
    """Load `work` in this process, and lingua's models. Forked workers inherit what this loads
    on first use; on 1,999 text exports each worker paid ~0.65 CPU-s of it (0.7 s lingua) on its
    first files. Lingua is loaded whether or not these files ask for it: among hundreds of
    files, every worker meets one that the cheap rules cannot settle."""
    load_detector()
    for item in work:
        yield load_one(ingestor, *item)


def _in_workers(ingestor: Ingestor, work, procs: int) -> Iterable[Loaded]:
    global _ingestor
    yield from _warm_up(ingestor, work[:WARM_UP])
    work = work[WARM_UP:]
    _ingestor = ingestor
    context = multiprocessing.get_context("fork")
    chunks = iter([work[i:i + CHUNK] for i in range(0, len(work), CHUNK)])
    with ProcessPoolExecutor(procs, mp_context=context, initializer=_start_worker,
                             initargs=(os.getpid(),)) as pool:
        pending: deque = deque()

        def submit_next() -> None:
            chunk = next(chunks, None)
            if chunk is not None:
                pending.append(pool.submit(_load_chunk, chunk))

        try:
            for _ in range(procs * AHEAD):
                submit_next()
            while pending:  # in order; at most procs × AHEAD chunks loaded ahead of the writer
                batch = pending.popleft().result()
                submit_next()
                for loaded in batch:
                    if loaded.error is not None:
                        loaded.error = IngestError(*loaded.error)
                    yield loaded
        finally:
            _ingestor = None
            pool.shutdown(wait=True, cancel_futures=True)
