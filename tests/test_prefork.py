"""`search serve --workers 2`: two processes answer on one port, a dead one is replaced without the
service going down, and stopping the server (or killing it) leaves no process behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import ROOT, build_index, free_port, wait_for


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    return build_index(tmp_path_factory.mktemp("prefork"))[1]


def start(index: Path, tmp_path: Path, workers: int = 2):
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "search.cli", "serve", "--index", str(index), "--port", str(port),
                             "--workers", str(workers), "--threads", "2"], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=(tmp_path / "serve.log").open("wb"))
    base = f"http://127.0.0.1:{port}"
    assert wait_for(lambda: len(children(proc.pid)) == workers and get(base) == 200, timeout=90), log(tmp_path)
    return proc, base


def get(base: str, timeout: float = 20) -> int | None:
    try:
        with urllib.request.urlopen(base + "/api/search?q=kinh", timeout=timeout) as r:
            r.read()
            return r.status
    except OSError:
        return None


def children(pid: int) -> list[int]:
    """Live (not zombie) processes whose parent is `pid`."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            state, ppid = stat.rsplit(")", 1)[1].split()[:2]
            if int(ppid) == pid and state not in "ZX":
                found.append(int(entry.name))
    return sorted(found)


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in "ZX"


def log(tmp_path: Path) -> str:
    return (tmp_path / "serve.log").read_text(errors="replace")[-3000:]


def stop(proc) -> None:
    if proc.poll() is None:
        proc.terminate()
        proc.wait(30)


def test_each_of_the_two_workers_answers_alone(index, tmp_path):
    proc, base = start(index, tmp_path)
    try:
        workers = children(proc.pid)
        for paused in workers:  # with one worker frozen, the other takes every request
            os.kill(paused, signal.SIGSTOP)
            try:
                assert [get(base) for _ in range(5)] == [200] * 5, log(tmp_path)
            finally:
                os.kill(paused, signal.SIGCONT)
    finally:
        stop(proc)


def test_a_killed_worker_is_replaced_and_the_service_stays_up(index, tmp_path):
    proc, base = start(index, tmp_path)
    try:
        first, second = children(proc.pid)
        os.kill(first, signal.SIGKILL)
        assert [get(base) for _ in range(5)] == [200] * 5, log(tmp_path)  # the other one answers at once
        assert wait_for(lambda: len(children(proc.pid)) == 2, timeout=60), log(tmp_path)
        replacement = set(children(proc.pid)) - {second}
        assert replacement and first not in replacement
        os.kill(second, signal.SIGSTOP)  # the new worker answers by itself
        try:
            assert [get(base) for _ in range(3)] == [200] * 3, log(tmp_path)
        finally:
            os.kill(second, signal.SIGCONT)
        assert f"worker {first} ended (signal 9)" in log(tmp_path)
    finally:
        stop(proc)


def test_stop_leaves_no_process(index, tmp_path):
    proc, base = start(index, tmp_path)
    workers = children(proc.pid)
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(30) == 0
    assert wait_for(lambda: not any(alive(pid) for pid in workers), timeout=10), workers
    assert get(base, timeout=2) is None  # nobody listens any more


def test_killing_the_parent_takes_the_workers_with_it(index, tmp_path):
    proc, base = start(index, tmp_path)
    workers = children(proc.pid)
    proc.kill()  # no chance to stop them: the kernel does (PR_SET_PDEATHSIG)
    proc.wait(10)
    assert wait_for(lambda: not any(alive(pid) for pid in workers), timeout=10), workers


def test_bad_worker_count_is_refused(index):
    proc = subprocess.run([sys.executable, "-m", "search.cli", "serve", "--index", str(index), "--workers", "0"],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2 and "--workers must be 1-64" in proc.stderr
