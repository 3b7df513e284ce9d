"""Slow clients against a real `search serve`: N connections send their request headers one byte
at a time while a probe client searches; how many probes are answered, how fast, and how long
the slow connections are kept.

    .venv/bin/python bench/slowloris.py --index index --slow 300 --probes 10
    # waitress's defaults, for comparison:
    .venv/bin/python bench/slowloris.py --index index --slow 300 --probes 10 -- \\
        --connection-limit 100 --channel-timeout 120 --request-timeout 100000
"""

from __future__ import annotations

import argparse
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--index", type=Path, required=True)
    ap.add_argument("--slow", type=int, default=300, help="slow connections")
    ap.add_argument("--probes", type=int, default=10)
    ap.add_argument("--probe-timeout", type=float, default=10.0)
    ap.add_argument("serve_args", nargs="*", help="extra `search serve` options (after --)")
    args = ap.parse_args()
    from tests.conftest import free_port, wait_for

    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "search.cli", "serve", "--index", str(args.index), "--port",
                               str(port), *args.serve_args], cwd=ROOT, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/api/search?q=kinh"

    def probe(timeout):
        try:
            with urllib.request.urlopen(url, timeout=timeout) as r:
                r.read()
                return r.status == 200
        except OSError:
            return False

    slow, cut, stop = [], {}, threading.Event()
    try:
        assert wait_for(lambda: probe(5), timeout=60), "server did not start"
        for _ in range(args.slow):
            s = socket.socket()
            s.setblocking(False)
            s.connect_ex(("127.0.0.1", port))  # queued in the backlog if the server stops accepting
            slow.append(s)
        time.sleep(0.5)
        for s in slow:
            try:
                s.send(b"GET /search?q=kinh HTTP/1.1\r\nHost: x\r\n")
            except OSError:
                pass
        opened = time.monotonic()

        def trickle():
            while not stop.is_set():
                for i, s in enumerate(slow):
                    if i not in cut:
                        try:
                            s.send(b"X")
                        except BlockingIOError:
                            pass
                        except OSError:
                            cut[i] = time.monotonic() - opened
                time.sleep(1)

        threading.Thread(target=trickle, daemon=True).start()
        answered, times = 0, []
        for _ in range(args.probes):
            started = time.monotonic()
            ok = probe(args.probe_timeout)
            answered += ok
            if ok:
                times.append(time.monotonic() - started)
            time.sleep(0.5)
        time.sleep(max(0.0, 25 - (time.monotonic() - opened)))
        print(f"serve options: {' '.join(args.serve_args) or '(defaults)'}")
        print(f"{args.slow} slow connections; probes answered {answered}/{args.probes}"
              + (f", slowest {max(times):.2f} s" if times else "")
              + f"; slow connections cut by the server within {time.monotonic() - opened:.0f} s: {len(cut)}"
              + (f" (last after {max(cut.values()):.1f} s)" if cut else ""))
    finally:
        stop.set()
        for s in slow:
            s.close()
        server.terminate()
        server.wait(10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
