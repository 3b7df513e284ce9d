"""Whoosh's multiprocess writer, made to die with the reindex that started it.

Whoosh's MpWriter forks writer workers that wait on a job queue. Killed with its parent, such a
worker used to wait forever (it holds the queue's write end itself, so it never sees end-of-file)
and kept the killed command's stdout/stderr open, so a caller reading that output hung. Here
each worker

  - asks the kernel to SIGKILL it when its parent dies (Linux prctl PR_SET_PDEATHSIG), and exits
    at once if the parent is already gone by then (the race between fork and prctl);
  - points its stdin/stdout/stderr at /dev/null, so it never holds the caller's pipes;
  - reports an error (a full disk, say) to the parent through a queue of its own instead of a
    traceback on a stderr nobody reads.

The parent never waits on a dead worker (a put to the full job queue checks that the workers
are alive), and a commit in which any worker failed or returned no segment raises
WorkerFailed instead of committing an index with documents silently missing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import queue
import signal

from whoosh.multiproc import MpWriter, SubWriterTask
from whoosh.writing import SegmentWriter

from search.indexing.postings_pool import group_postings

PR_SET_PDEATHSIG = 1
PUT_POLL_SECONDS = 1.0


class WorkerFailed(OSError):
    """A writer worker could not finish its share; carries the worker's own error."""

    def __init__(self, message: str, errno_: int | None = None):
        super().__init__(errno_, message)
        self.message = message

    def __str__(self) -> str:
        return self.message


def die_with_parent(parent_pid: int, keep_output: bool = False) -> None:
    """Called first thing in a forked worker. `keep_output`: leave stdin/stdout/stderr as they
    are (a server worker logs to the same place as its parent)."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # not Linux: the parent-pid check below still holds
        pass
    if os.getppid() != parent_pid:  # the parent died before prctl took effect
        os._exit(1)
    if keep_output:
        return
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    os.close(devnull)


class _Task(SubWriterTask):
    def __init__(self, parent_pid: int, errors, *args):
        super().__init__(*args)
        self.parent_pid = parent_pid
        self.errors = errors

    def run(self):
        die_with_parent(self.parent_pid)
        try:
            self._write_segment() if self.multisegment else super().run()
        except BaseException as e:  # noqa: B036 — reported to the parent, then this process ends
            try:
                self.errors.put((getattr(e, "errno", None), f"{type(e).__name__}: {e}"))
            finally:
                os._exit(1)

    def _write_segment(self):
        """Whoosh's worker loop (SubWriterTask.run) for a worker that writes a whole segment, with
        the postings grouped by term (search.indexing.postings_pool) instead of sorted one by one."""
        ix = self.storage.open_index(self.indexname)
        writer = self.writer = SegmentWriter(ix, _lk=False, **self.kwargs)
        group_postings(writer, self.kwargs.get("limitmb", 128))
        while self.running:
            job = self.jobqueue.get()
            if job is None:
                break
            self._process_file(*job)
        if not self.running:
            writer.cancel()
            return
        segment = writer._finalize_segment()
        self.resultqueue.put((None, writer.pool.fieldnames, segment), timeout=5)


class _WatchedPut:
    """The job queue as the parent sees it: a put that gives up when a worker has died."""

    def __init__(self, real, writer: GuardedMpWriter):
        self.real, self.writer = real, writer

    def put(self, item):
        while True:
            try:
                self.real.put(item, timeout=PUT_POLL_SECONDS)
                return
            except queue.Full:
                self.writer.check_workers()


class _CheckedResults:
    """The result queue as the parent sees it, read after every worker was joined: a worker that
    failed, or ended without a result, fails the commit."""

    def __init__(self, real, writer: GuardedMpWriter):
        self.real, self.writer = real, writer

    def get(self, timeout=None):
        self.writer.check_workers()
        try:
            return self.real.get(timeout=max(timeout or 0, 5))
        except queue.Empty:
            raise WorkerFailed("a writer worker ended without returning its segment") from None


class GuardedMpWriter(MpWriter):
    def __init__(self, ix, procs: int, **kwargs):
        super().__init__(ix, procs=procs, **kwargs)
        self._jobs = self.jobqueue
        self._results = self.resultqueue
        self.errors = self._mpctx.SimpleQueue()
        self.jobqueue = _WatchedPut(self._jobs, self)
        self.resultqueue = _CheckedResults(self._results, self)

    def _new_task(self):
        task = _Task(os.getpid(), self.errors, self.storage, self.indexname, self._jobs, self._results,
                     self.subargs, self.multisegment)
        self.tasks.append(task)
        task.start()
        return task

    def check_workers(self) -> None:
        """Raise WorkerFailed with the first worker's error if any worker has died."""
        dead = [t for t in self.tasks if not t.is_alive() and t.exitcode != 0]
        if not dead:
            return
        errno_, message = (None, f"a writer worker died (exit code {dead[0].exitcode})")
        if not self.errors.empty():
            errno_, message = self.errors.get()
        raise WorkerFailed(message, errno_)

    def cancel(self):
        try:
            super().cancel()
        finally:
            for task in self.tasks:  # a cancelled reindex leaves no worker behind
                if task.is_alive():
                    task.kill()
                task.join(5)
