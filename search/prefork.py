"""`search serve --workers N`: N server processes on one listening socket, for both cores.

Python threads share one interpreter lock, so a single server process runs the pure-Python part of
its searches (block decoding, ranking, snippets) on one core however many threads it has. Here the
parent binds the socket, then forks N children; each runs its own waitress server (with its own
threads and its own `SearchEngine`) on the inherited socket, and the kernel hands each new
connection to whichever child accepts it first. The children share the index through the page
cache and the memory-mapped arrays; each opens generations itself (lazily, after the fork: a
Whoosh searcher's files are read with seek + read, so they must never be shared across processes)
and moves to a new generation as the threaded server does.

The parent serves nothing. It

  - restarts a child that dies (a crash, the OOM killer), waiting longer between restarts while
    children keep dying right after they start;
  - on SIGTERM or SIGINT stops every child (SIGTERM, then SIGKILL after a grace period) and returns;
  - is the children's lifeline: each asks the kernel to kill it when the parent dies
    (PR_SET_PDEATHSIG, as reindex's writer workers do), so no child outlives a killed server.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import time
import traceback
from collections.abc import Callable

from search.indexing.workers import die_with_parent

log = logging.getLogger(__name__)

MAX_WORKERS = 64
STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)
GRACE_SECONDS = 10.0  # a stopping child may finish its requests this long before it is killed
QUICK_DEATH_SECONDS = 5.0  # a child that dies sooner than this after starting counts as failing to start
MAX_BACKOFF_SECONDS = 30.0


def default_workers() -> int:
    """One server process per core this process may run on (1 on a one-core machine)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def listening_socket(host: str, port: int, backlog: int) -> socket.socket:
    """The socket every child accepts on, bound and listening before any child exists."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(backlog)
    return sock


class _Stop(Exception):
    """Raised in the parent by SIGTERM / SIGINT: leave the supervising loop and stop the children."""


class Supervisor:
    """Forks `workers` children running `serve_child(sock)`, keeps that many alive, stops them all."""

    def __init__(self, sock: socket.socket, workers: int, serve_child: Callable[[socket.socket], None]):
        self.sock = sock
        self.workers = workers
        self.serve_child = serve_child
        self.children: dict[int, float] = {}  # pid → when it was started
        self.restarts = 0
        self._backoff = 0.0

    def run(self) -> None:
        previous = {s: signal.signal(s, self._on_stop) for s in STOP_SIGNALS}
        try:
            for _ in range(self.workers):
                self._spawn()
            log.info("serving with %d worker processes (parent %d)", self.workers, os.getpid())
            while True:
                pid, status = os.wait()
                self._reap(pid, status)
        except _Stop:
            log.info("stopping %d worker processes", len(self.children))
        finally:
            for s in STOP_SIGNALS:  # a second Ctrl-C while stopping must not cut the stop short
                signal.signal(s, signal.SIG_IGN)
            self.stop()
            for s, handler in previous.items():
                signal.signal(s, handler)

    def _on_stop(self, signum, frame):
        raise _Stop

    def _reap(self, pid: int, status: int) -> None:
        started = self.children.pop(pid, None)
        if started is None:
            return  # not one of ours
        code = os.waitstatus_to_exitcode(status)
        lived = time.monotonic() - started
        how = f"signal {-code}" if code < 0 else f"exit code {code}"
        log.warning("worker %d ended (%s) after %.1f s; starting another", pid, how, lived)
        if lived < QUICK_DEATH_SECONDS:  # dying as it starts: do not fork in a tight loop
            self._backoff = min(MAX_BACKOFF_SECONDS, max(0.5, self._backoff * 2))
            time.sleep(self._backoff)
        else:
            self._backoff = 0.0
        self.restarts += 1
        self._spawn()

    def _spawn(self) -> None:
        # Stop signals wait until the new pid is recorded, so a stop never misses a child.
        signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
        try:
            parent = os.getpid()
            pid = os.fork()
            if pid == 0:
                self._child(parent)  # never returns
            self.children[pid] = time.monotonic()
        finally:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)

    def _child(self, parent: int) -> None:
        code = 0
        try:
            signal.signal(signal.SIGTERM, _exit_on_sigterm)  # waitress stops its threads on SystemExit
            signal.signal(signal.SIGINT, signal.default_int_handler)
            signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)
            die_with_parent(parent, keep_output=True)
            self.serve_child(self.sock)
        except (SystemExit, KeyboardInterrupt):
            pass
        except BaseException:  # noqa: B036 — reported, then this child ends; the parent starts another
            traceback.print_exc()
            code = 1
        finally:
            logging.shutdown()
            os._exit(code)  # never back into the parent's loop

    def stop(self) -> None:
        """SIGTERM every child, wait for them up to GRACE_SECONDS, SIGKILL the rest; reap all."""
        for pid in list(self.children):
            _signal(pid, signal.SIGTERM)
        deadline = time.monotonic() + GRACE_SECONDS
        while self.children and time.monotonic() < deadline:
            for pid in list(self.children):
                done, _ = os.waitpid(pid, os.WNOHANG)
                if done:
                    self.children.pop(pid)
            time.sleep(0.05)
        for pid in list(self.children):
            _signal(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            self.children.pop(pid)


def _exit_on_sigterm(signum, frame):
    raise SystemExit(0)


def _signal(pid: int, sig: int) -> None:
    try:
        os.kill(pid, sig)
    except ProcessLookupError:
        pass
