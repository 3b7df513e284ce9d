"""`search serve` as a public server: slow clients cannot starve the others, and every response,
waitress's own errors included, carries the security headers."""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time
import urllib.request

import pytest

from tests.conftest import ROOT, build_index, free_port, wait_for

HEADERS = ("Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A real `search serve` on the seeds, with a short request deadline so the test is quick."""
    _, index = build_index(tmp_path_factory.mktemp("public"))
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "search.cli", "serve", "--index", str(index), "--port", str(port),
                             "--threads", "4", "--request-timeout", "3"], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        assert wait_for(lambda: _get(base + "/api/search?q=kinh", 5) is not None, timeout=60), "server did not start"
        yield port
    finally:
        proc.terminate()
        proc.wait(10)


def _get(url: str, timeout: float) -> int | None:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            r.read()
            return r.status
    except OSError:
        return None


def _raw(port: int, data: bytes) -> tuple[int, dict]:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(data)
        reply = b""
        while b"\r\n\r\n" not in reply:
            chunk = s.recv(65536)
            if not chunk:
                break
            reply += chunk
    head = reply.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in head[1:] if ": " in line)
    return int(head[0].split()[1]), headers


@pytest.mark.parametrize("request_bytes, status", [
    (b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 40_000 + b"\r\n\r\n", 431),  # headers too large
    (b"GET / HTTP/1.1\r\nHost: x\r\nno colon here\r\n\r\n", 400),  # malformed header
    (b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 5000000\r\n\r\n", 413),  # body over the cap
])
def test_waitress_own_errors_carry_the_security_headers(server, request_bytes, status):
    got, headers = _raw(server, request_bytes)
    assert got == status
    for name in HEADERS:
        assert name in headers, (name, headers)
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"


def test_slow_clients_do_not_starve_the_others(server):
    """150 connections that send their headers one byte every half second (more than waitress's
    default limit of 100 connections, which locked everyone out for 120 s): searches from other
    clients are still answered promptly, and each slow connection is cut off after the request
    deadline (3 s here) instead of holding its slot."""
    slow, stop = [], threading.Event()
    for _ in range(150):
        s = socket.create_connection(("127.0.0.1", server), timeout=5)
        s.sendall(b"GET /search?q=kinh HTTP/1.1\r\nHost: x\r\n")
        slow.append(s)
    opened = time.monotonic()
    cut_at: dict[int, float] = {}

    def trickle():
        while not stop.is_set():
            for i, s in enumerate(slow):
                if i in cut_at:
                    continue
                try:
                    s.sendall(b"X")
                except OSError:
                    cut_at[i] = time.monotonic() - opened
            time.sleep(0.5)

    t = threading.Thread(target=trickle, daemon=True)
    t.start()
    try:
        times = []
        for _ in range(5):
            started = time.monotonic()
            assert _get(f"http://127.0.0.1:{server}/api/search?q=kinh", timeout=10) == 200
            times.append(time.monotonic() - started)
            time.sleep(0.3)
        assert max(times) < 5, times
        assert wait_for(lambda: len(cut_at) == len(slow), timeout=20), \
            f"{len(slow) - len(cut_at)} slow connections still open after 20 s"
        assert max(cut_at.values()) < 12, sorted(cut_at.values())[-5:]  # 3 s deadline + checks every 2 s
    finally:
        stop.set()
        t.join(5)
        for s in slow:
            s.close()
