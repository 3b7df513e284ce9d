"""`search reindex`: bring the index in line with the corpus directory.

Plan (what is new, changed by content hash, removed, unchanged), then build a new generation
(see `store`) and publish it. A file that cannot be read or parsed is reported and skipped; if
it was indexed before, its previous version stays in the index, so nothing is lost.
"""

from __future__ import annotations

import errno
import os
import shutil
import time
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.writing import MERGE_SMALL

from search.analysis import ANALYSIS_VERSION
from search.indexing.arrays import write_generation_arrays
from search.indexing.language_helper import LanguageHelper
from search.indexing.layout_codec import LayoutCodec
from search.indexing.parallel import MIN_PARALLEL, load_all
from search.indexing.schema import build_schema
from search.indexing.store import IndexStore, Manifest, open_index
from search.indexing.workers import GuardedMpWriter
from search.ingest.loader import CorpusFile, Ingestor, discover_files
from search.metadata import ENTITIES_VERSION
from search.model import IngestError

WRITER_MEMORY_MB = 256
# Free-space estimate (see space_needed), from bench/disk_peak.py.
FULL_REBUILD_FACTOR = 2.0
FIRST_BUILD_PER_CORPUS_BYTE = 1.0
INDEX_PER_CORPUS_BYTE = 6.0
SMALL_SEGMENTS_MARGIN = 8 * 2**20
# A full rebuild analyses and writes postings in this many worker processes (Whoosh's MpWriter):
# 66 → 114 docs/s on the 2-core machine (bench corpus, 1,500 pages). Incremental runs stay in one.
WRITER_PROCS = max(1, min(4, os.cpu_count() or 1))
# Whoosh's default policy merges the small segments as soon as there are five, which cost 3.2 s of
# a 10-file update at 100k articles (profiled). Every search visits every segment, so they are not
# left to grow without bound: at this many, Whoosh's MERGE_SMALL merges the small ones (it leaves a
# segment that is large next to them alone).
SEGMENT_LIMIT = 16


def merge_when_many(writer, segments):
    """Merge policy for incremental commits: keep small segments until there are too many."""
    if len(segments) < SEGMENT_LIMIT:
        return segments
    return MERGE_SMALL(writer, segments)


@dataclass
class Failure:
    path: str
    reason: str


@dataclass
class ReindexReport:
    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    title_only: int = 0  # indexed by their title alone: the page had no story text (Article.has_body)
    failed: list[Failure] = field(default_factory=list)
    skipped: list[Failure] = field(default_factory=list)
    full: bool = False
    generation: str | None = None
    seconds: float = 0.0
    space_needed: int | None = None  # the free-space estimate made before writing (bytes)
    space_free: int | None = None

    @property
    def ok(self) -> bool:
        return not self.failed

    def summary(self) -> str:
        return (f"added {self.added}, updated {self.updated}, removed {self.removed}, "
                f"unchanged {self.unchanged}, failed {len(self.failed)}"
                + (f", title only {self.title_only}" if self.title_only else "")
                + (f", skipped {len(self.skipped)}" if self.skipped else "")
                + f" ({self.seconds:.1f} s)")

    def to_json(self) -> dict:
        return {"added": self.added, "updated": self.updated, "removed": self.removed,
                "unchanged": self.unchanged, "title_only": self.title_only, "failed": [f.__dict__ for f in self.failed],
                "skipped": [f.__dict__ for f in self.skipped], "full": self.full,
                "generation": self.generation, "seconds": round(self.seconds, 3),
                "space_needed": self.space_needed, "space_free": self.space_free}


class Progress:
    """What reindex tells its caller as it goes; the CLI draws a bar from it."""

    def start(self, total: int, label: str) -> None: ...
    def advance(self, n: int = 1) -> None: ...
    def warn(self, message: str) -> None: ...
    def finish(self) -> None: ...


def analysis_signature() -> dict:
    # Entity rules decide stored facets (outlet, delegates): a change to them rebuilds too.
    return {"version": ANALYSIS_VERSION, "entities": ENTITIES_VERSION}


def reindex(seeds: Path, store: IndexStore, full: bool = False, progress: Progress | None = None,
            ingestor: Ingestor | None = None,
            on_document: Callable[[str], None] | None = None, check_space: bool = True,
            follow_outside_links: bool = False) -> ReindexReport:
    """Run one reindex under the store's lock. `on_document` is a test hook called per document.

    Raises IndexWriteError (the previous generation still live, the half-built one removed) when
    the index cannot be written, or before starting when the disk has clearly too little space."""
    progress = progress or Progress()
    started = time.monotonic()
    if not seeds.is_dir():
        raise FileNotFoundError(f"corpus directory not found: {seeds}")
    lock = store.lock()
    try:
        lock.__enter__()
    except OSError as e:  # the folder or its lock file cannot be made: a full disk, a file in the way
        raise IndexWriteError(f"cannot write the reindex lock in {store.root}: {e.strerror or e}. Nothing was "
                              "changed; run `search reindex` again once that is fixed.", store.root) from None
    helper = LanguageHelper()  # lingua loaded beside a small run (search.indexing.language_helper)
    try:
        store.remove_stale()  # half-built generations of an interrupted run
        report = _reindex_locked(seeds, store, full, progress, ingestor or Ingestor(), on_document, check_space,
                                 follow_outside_links, helper)
        store.remove_stale()
    finally:
        helper.close()
        lock.__exit__(None, None, None)
    report.seconds = time.monotonic() - started
    return report


def _reindex_locked(seeds, store, full, progress, ingestor, on_document, check_space,
                    follow_outside_links, helper) -> ReindexReport:
    if not full and store.current_name():
        helper.start()  # lingua loads on the other core during the plan (killed if no page needs it)
    files, skipped = discover_files(seeds, follow_outside_links)
    old = store.manifest()
    signature = analysis_signature()
    if old is None or old.analysis != signature:
        full = True  # no index yet, or it was built by another analyzer: rebuild
    report = ReindexReport(full=full, skipped=[Failure(p, r) for p, r in skipped])
    for rel, reason in skipped:
        progress.warn(f"skipped {rel}: {reason}")
    old_files = {} if (full or old is None) else old.files
    old_failed = {} if (full or old is None) else old.failed
    new_failed: dict[str, dict] = {}
    current = {f.rel for f in files}
    removed = [rel for rel in old_files if rel not in current]

    # What changed is decided by content hash. Like git, a file whose size and modification time
    # are those recorded when it was indexed is taken as unchanged without reading it (reading
    # 100,000 files costs 20 s); `--full` reads and hashes everything.
    progress.start(len(files), "reading")
    work: list[tuple[CorpusFile, bytes, str]] = []
    new_manifest: dict[str, dict] = {}
    stats: dict[str, os.stat_result | None] = {}
    for file in files:
        progress.advance()
        previous = old_files.get(file.rel)
        stat = file.stat or _stat(file.path)  # the walk's (one stat a file), else tried again
        stats[file.rel] = stat
        failed_before = old_failed.get(file.rel)
        if failed_before and stat and same_stat(failed_before, stat):
            # Failed last time and not touched since: the same failure, without reading it again.
            _fail(report, progress, IngestError(file.rel, failed_before["reason"]))
            new_failed[file.rel] = failed_before
            if previous:
                new_manifest[file.rel] = previous
            continue
        if previous and stat and same_stat(previous, stat):
            report.unchanged += 1
            new_manifest[file.rel] = previous
            continue
        try:
            data, digest = ingestor.read(file)
        except IngestError as e:
            _fail(report, progress, e, new_failed, stat)
            if file.rel in old_files:
                new_manifest[file.rel] = old_files[file.rel]  # keep the indexed version
            continue
        if previous and previous["hash"] == digest:
            report.unchanged += 1
            new_manifest[file.rel] = previous | _stat_fields(stat)  # touched, not changed
        else:
            work.append((file, data, digest))
    progress.finish()
    if full or len(work) >= MIN_PARALLEL:
        helper.close()  # loaded in worker processes, which share lingua loaded before they fork

    if not work and not removed and not full:
        report.generation = store.current_name()
        if old is not None and new_failed != old.failed:
            old.failed = new_failed  # remember the failures in the live generation's manifest
            try:
                old.write(store.current_dir())
            except OSError as e:  # only a memo: the index itself is complete
                progress.warn(f"could not record the failed files in {store.current_dir()}: {e.strerror or e}")
        return report

    needed = space_needed(store, full, sum(_size(stats.get(f.rel)) for f, _, _ in work), old)
    report.space_needed, report.space_free = needed, check_free_space(store.root, needed, check_space)
    gen = None
    try:
        gen = store.new_generation(copy_current=not full)
        _build(gen, store, full, progress, ingestor, on_document, report, work, removed, old_files,
               new_manifest, new_failed, stats, signature)
    except BaseException as e:
        if gen is not None:
            store.discard(gen)  # a half-built generation never outlives its run
        if isinstance(e, OSError):
            raise IndexWriteError.from_os_error(e, store.root, needed) from e
        raise
    report.generation = gen.name
    return report


def _build(gen, store, full, progress, ingestor, on_document, report, work, removed, old_files,
           new_manifest, new_failed, stats, signature) -> None:
    """Write the new generation and publish it. Any write error propagates (an OSError)."""
    ix = (open_index(gen) if not full
          else whoosh_index.create_in(str(gen), build_schema()))
    if full and WRITER_PROCS > 1:
        writer = GuardedMpWriter(ix, procs=WRITER_PROCS, limitmb=WRITER_MEMORY_MB, multisegment=True,
                                 codec=LayoutCodec())
    else:
        writer = ix.writer(limitmb=WRITER_MEMORY_MB, codec=LayoutCodec())  # segments carry the executor's layout
    try:
        for rel in removed:
            writer.delete_by_term("id", old_files[rel]["id"])
            report.removed += 1
        progress.start(len(work), "indexing")
        with closing(load_all(ingestor, work)) as loaded_files:  # in worker processes (search.indexing.parallel)
            for loaded in loaded_files:
                progress.advance()
                file = loaded.file
                if loaded.error is not None:
                    _fail(report, progress, loaded.error, new_failed, stats.get(file.rel))
                    if file.rel in old_files:
                        new_manifest[file.rel] = old_files[file.rel]
                    continue
                # Writing is not the file's fault: an error here (a full disk) ends the run.
                # A fresh generation has nothing to replace: adding skips a delete-by-id lookup.
                if full:
                    writer.add_document(**loaded.document)
                else:
                    writer.update_document(**loaded.document)
                if file.rel in old_files:
                    report.updated += 1
                else:
                    report.added += 1
                report.title_only += not loaded.has_body
                new_manifest[file.rel] = {"id": loaded.id, "hash": loaded.digest,
                                          **_stat_fields(stats.get(file.rel)), "people": loaded.people}
                if on_document:
                    on_document(file.rel)
        progress.finish()
        if full:
            writer.commit(optimize=True)
        else:
            writer.commit(mergetype=merge_when_many)
    except BaseException:
        try:
            writer.cancel()
        except Exception:  # the first error is the one to report
            pass
        raise
    Manifest(files=new_manifest, analysis=signature, failed=new_failed).write(gen)
    # What searches read, laid out for a fast open (search.indexing.arrays); an incremental run
    # extends the live generation's arrays by the new segment rather than deriving them again.
    write_generation_arrays(gen, previous=None if full else store.current_dir(), files=new_manifest)
    store.publish(gen)


def space_needed(store: IndexStore, full: bool, work_bytes: int, manifest: Manifest | None = None) -> int:
    """Bytes a run needs free, estimated from what the live index costs per corpus byte. A full
    rebuild writes each worker's segments, then merges them into one beside the live generation:
    its peak was 1.4 × the final index (bench/disk_peak.py, docs/reliability.md), so it counts
    2 × (the live index scaled to the corpus it will hold). With no index yet there is no such
    ratio (5.9 on the bench corpus of short pages; real pages are mostly markup): the first build
    counts 2 × the corpus, a low estimate that refuses only what cannot fit. An incremental run
    writes one small segment for its changed files (and may merge the small segments).
    `manifest` is the live generation's, when the caller has read it already (0.06 s at 25,000)."""
    per_byte = None
    live = store.current_dir() if store.current_name() else None
    manifest = (manifest or store.manifest()) if live else None
    if manifest:
        indexed = sum(entry.get("size", 0) for entry in manifest.files.values())
        per_byte = store.size_of(live) / indexed if indexed else None
    if full:
        return int(FULL_REBUILD_FACTOR * work_bytes * (per_byte or FIRST_BUILD_PER_CORPUS_BYTE))
    return int(FULL_REBUILD_FACTOR * work_bytes * (per_byte or INDEX_PER_CORPUS_BYTE)) + SMALL_SEGMENTS_MARGIN


def check_free_space(root: Path, needed: int, enabled: bool = True) -> int | None:
    """The free bytes where the index goes; IndexWriteError if fewer than `needed` (when enabled)."""
    probe = root if root.exists() else root.parent
    try:
        free = shutil.disk_usage(probe).free
    except OSError:
        return None
    if enabled and free < needed:
        raise IndexWriteError(
            f"not enough free space in {root}: this reindex needs about {_mb(needed)} "
            f"and {_mb(free)} is free. Free some space, or use --index DIR on a larger disk "
            f"(--no-space-check skips this estimate). The current index is unchanged.",
            folder=root, needed=needed, free=free)
    return free


class IndexWriteError(Exception):
    """The new generation could not be written. The live one is untouched and the half-built one
    removed, so the next run needs nothing done by hand."""

    def __init__(self, message: str, folder: Path, needed: int | None = None, free: int | None = None):
        super().__init__(message)
        self.folder, self.needed, self.free = folder, needed, free

    @classmethod
    def from_os_error(cls, e: OSError, folder: Path, needed: int) -> IndexWriteError:
        free = shutil.disk_usage(folder).free if folder.exists() else None
        tail = (" The current index is still live and unchanged; the half-built generation was removed. "
                "Run `search reindex` again once that is fixed.")
        if e.errno == errno.ENOSPC:
            cause = (f"the disk is full. This reindex needs about {_mb(needed)} free there"
                     f" ({_mb(free)} free now, after cleaning up)." if free is not None else ".")
        elif e.errno == errno.EFBIG:
            cause = ("a file grew past the largest file this process may write (the shell's "
                     f"`ulimit -f`); this reindex writes about {_mb(needed)}.")
        elif e.errno == errno.EDQUOT:
            cause = f"the disk quota is exceeded; this reindex needs about {_mb(needed)}."
        else:
            cause = f"{e.strerror or e}."
        return cls(f"could not write the index in {folder}: {cause}{tail}", folder=folder, needed=needed,
                   free=free)


def _mb(n: int | None) -> str:
    if n is None:
        return "?"
    return f"{n / 2**20:.1f} MB" if n < 10 * 2**30 else f"{n / 2**30:.1f} GB"


def _size(stat) -> int:
    return stat.st_size if stat else 0


def same_stat(entry: dict, stat) -> bool:
    """Unchanged since `entry` was recorded, by size and mtime: the shortcut that skips reading a file."""
    return entry.get("size") == stat.st_size and entry.get("mtime_ns") == stat.st_mtime_ns


def _stat(path) -> os.stat_result | None:
    try:
        return os.stat(path)
    except OSError:
        return None


def _stat_fields(stat) -> dict:
    return {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns} if stat else {}


def _fail(report: ReindexReport, progress: Progress, error: IngestError, memo: dict | None = None,
          stat=None) -> None:
    report.failed.append(Failure(error.path, error.reason))
    progress.warn(f"failed {error.path}: {error.reason}")
    if memo is not None and stat is not None:  # remembered until the file changes
        memo[error.path] = {"reason": error.reason, **_stat_fields(stat)}
