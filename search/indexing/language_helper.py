"""lingua's models loaded in a helper process while a small reindex does its other work.

Loading lingua's 75 trigram models takes ~0.5 s of one core, and holds the GIL, so a thread cannot
hide it. In a reindex of a few changed files it was the largest single cost (2 of the 10 pages
of #18's bench need lingua: short tables of figures the cheap rules of
`search.metadata.language` cannot settle). So an incremental run forks a helper as it starts,
which loads the models on the other core while the reindex goes on (the walk of the corpus, the
plan, opening the index, importing the HTML parsers, the first pages); a page that needs lingua
then sends it the same sample and gets lingua's answer back, from the same detector built the
same way, so every page's language is what it was. When nothing changed, or no page needs
lingua, the helper is killed, having used the other core for the length of the run at most.

Only for a run whose changed files are loaded in this process (`search.indexing.parallel`: fewer
than MIN_PARALLEL): a larger run loads lingua once before forking its workers. Anything wrong
with the helper (no fork, it died, a broken pipe) and the page asks lingua in this process, as
before; the helper dies with the reindex (PR_SET_PDEATHSIG) and is killed when the run ends.
"""

from __future__ import annotations

import os
import signal
import struct

from search.metadata import language

_LENGTH = struct.Struct(">I")


class LanguageHelper:
    def __init__(self):
        self.pid: int | None = None
        self.owner = os.getpid()
        self._send = self._receive = None

    def start(self) -> None:
        """Fork the helper (once); it starts loading lingua at once."""
        if self.pid is not None or language.lingua_loaded():
            return
        if not hasattr(os, "fork"):  # (POSIX only)
            return
        fds: list[int] = []
        try:
            fds += os.pipe()  # requests: (read end, write end)
            fds += os.pipe()  # answers
            pid = os.fork()
        except OSError:  # out of file descriptors or processes: lingua in this process, as before
            for fd in fds:
                os.close(fd)
            return
        requests_in, requests_out, answers_in, answers_out = fds
        if pid == 0:  # the helper
            code = 1
            try:
                os.close(requests_out)
                os.close(answers_in)
                _serve(self.owner, requests_in, answers_out)
                code = 0
            finally:
                os._exit(code)
        os.close(requests_in)
        os.close(answers_out)
        self.pid = pid
        self._send, self._receive = os.fdopen(requests_out, "wb"), os.fdopen(answers_in, "rb")
        language.set_helper(self)

    def detect(self, sample: str) -> str | None:
        """lingua's answer (an ISO 639-1 code or `und`) from the helper; None if it cannot give one."""
        if self.pid is None or os.getpid() != self.owner:  # (a forked worker never shares the pipes)
            return None
        try:
            data = sample.encode("utf-8", "surrogatepass")
            self._send.write(_LENGTH.pack(len(data)) + data)
            self._send.flush()
            answer = self._receive.readline().decode("ascii").strip()
        except (OSError, ValueError):
            answer = ""
        if not answer:  # the helper is gone: lingua in this process from now on
            self.close()
            return None
        return answer

    def close(self) -> None:
        if self.pid is None:
            return
        language.set_helper(None)
        for f in (self._send, self._receive):
            try:
                f.close()
            except OSError:
                pass
        try:
            os.kill(self.pid, signal.SIGKILL)  # it may still be loading models no page needed
        except OSError:
            pass
        try:
            os.waitpid(self.pid, 0)
        except ChildProcessError:
            pass
        self.pid = None


def _serve(parent: int, requests: int, answers: int) -> None:
    from search.indexing.workers import die_with_parent

    die_with_parent(parent)
    language.set_helper(None)
    language.load_detector()
    with os.fdopen(requests, "rb") as inp, os.fdopen(answers, "wb") as out:
        while header := inp.read(_LENGTH.size):
            (size,) = _LENGTH.unpack(header)
            sample = inp.read(size).decode("utf-8", "surrogatepass")
            out.write(language.lingua_code(sample).encode("ascii") + b"\n")
            out.flush()
