"""Load test: concurrent clients against a real `search serve`, on loopback only.

    .venv/bin/python bench/load.py --index /tmp/sp5/index --clients 20 --seconds 60   # the 100k index
    .venv/bin/python bench/load.py --smoke                                             # seeds, a few seconds

It starts `search serve` (waitress) on a free loopback port, sends one request to open the index,
then runs the clients for the given time. Each client keeps one HTTP connection and loops over a
fixed mix: the speed benchmark's queries with all four facets through /api/search, some as the
HTML results page, some on page 2 or sorted by date. Reported: requests, throughput, latency
percentiles, errors (any non-200 or broken connection) and the server's peak memory (VmHWM).
"""

from __future__ import annotations

import argparse
import http.client
import json
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.speed import QUERIES  # noqa: E402

MAX_CLIENTS, MAX_SECONDS = 64, 600  # bounded: this is a test, not an attack
PARAMS = {"outlet": "outlet", "language": "lang", "year": "year", "date_from": "from", "date_to": "to"}


def request_mix(seed: int) -> list[str]:
    """The paths a client cycles through, in a shuffled order of its own."""
    paths = []
    for _, q, filters in QUERIES:
        params = [("q", q)] if q else []
        for key, value in filters.items():
            params += [(PARAMS[key], v) for v in (value if isinstance(value, list) else [value])]
        paths.append("/api/search?" + urlencode(params))
        paths.append("/search?" + urlencode(params))  # the HTML page: templates, timeline, links
        paths.append("/api/search?" + urlencode(params + [("page", "2")]))
        paths.append("/api/search?" + urlencode(params + [("sort", "newest")]))
    random.Random(seed).shuffle(paths)
    return paths


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def run(index: Path, clients: int, seconds: float, threads: int) -> dict:
    if not 1 <= clients <= MAX_CLIENTS or not 0 < seconds <= MAX_SECONDS:
        raise SystemExit(f"--clients must be 1-{MAX_CLIENTS} and --seconds at most {MAX_SECONDS}")
    port = free_port()
    # The server's log goes to a file: a pipe nobody reads fills up (waitress warns of queued
    # requests under load) and then blocks the server on its next log line.
    log = tempfile.TemporaryFile("w+")
    server = subprocess.Popen([sys.executable, "-m", "search.cli", "serve", "--host", "127.0.0.1",
                               "--port", str(port), "--threads", str(threads), "--index", str(index)],
                              cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, text=True)
    try:
        started = time.monotonic()
        while True:  # the first search opens the index generation (not counted)
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
                conn.request("GET", "/api/search?q=warm")
                if conn.getresponse().status == 200:
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() - started > 120:
                    log.seek(0)
                    raise SystemExit(f"search serve did not start: {log.read()[-2000:]}") from None
                time.sleep(0.2)
        warmup_s = time.monotonic() - started
        latencies: list[list[float]] = [[] for _ in range(clients)]
        errors: list[str] = []
        stop_at = time.monotonic() + seconds

        def client(i: int) -> None:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            mix = request_mix(i)
            n = 0
            while time.monotonic() < stop_at:
                path = mix[n % len(mix)]
                n += 1
                t0 = time.perf_counter()
                try:
                    conn.request("GET", path)
                    response = conn.getresponse()
                    body = response.read()
                    # Page 2 of a query with one page of results is a 404 naming `page`: a right answer.
                    past_last = response.status == 404 and b'"parameter":"page"' in body
                    if response.status != 200 and not past_last:
                        errors.append(f"{response.status} {path}: {body[:200]!r}")
                except (OSError, http.client.HTTPException) as e:
                    errors.append(f"{type(e).__name__} {path}: {e}")
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                    continue
                latencies[i].append((time.perf_counter() - t0) * 1000)
            conn.close()

        workers = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
        t_start = time.monotonic()
        for w in workers:
            w.start()
        for w in workers:
            w.join()
        elapsed = time.monotonic() - t_start
        peak = peak_rss_mb(server.pid)
    finally:
        server.terminate()
        server.wait(30)
        log.close()
    samples = sorted(x for per in latencies for x in per)
    pick = lambda p: samples[min(len(samples) - 1, int(round(p / 100 * (len(samples) - 1))))] if samples else 0  # noqa: E731
    return {"clients": clients, "seconds": round(elapsed, 1), "server_threads": threads,
            "requests": len(samples), "errors": len(errors), "error_examples": errors[:5],
            "throughput_rps": round(len(samples) / elapsed, 1), "p50_ms": round(pick(50), 1),
            "p95_ms": round(pick(95), 1), "p99_ms": round(pick(99), 1),
            "max_ms": round(samples[-1] if samples else 0, 1),
            "mean_ms": round(statistics.fmean(samples), 1) if samples else 0,
            "server_peak_rss_mb": round(peak), "warmup_s": round(warmup_s, 1)}


def table(r: dict) -> str:
    rows = [("clients / server threads", f"{r['clients']} / {r['server_threads']}"),
            ("duration, s", r["seconds"]), ("requests", r["requests"]), ("throughput, requests/s", r["throughput_rps"]),
            ("latency p50 / p95 / p99 / max, ms", f"{r['p50_ms']} / {r['p95_ms']} / {r['p99_ms']} / {r['max_ms']}"),
            ("errors", r["errors"]), ("server peak memory (VmHWM), MB", r["server_peak_rss_mb"]),
            ("server start + first search, s", r["warmup_s"])]
    return "| measure | value |\n|---|---|\n" + "\n".join(f"| {a} | {b} |" for a, b in rows)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--index", help="index directory to serve (built by `search reindex`)")
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--threads", type=int, default=8, help="server worker threads (search serve --threads)")
    ap.add_argument("--smoke", action="store_true", help="index the seeds in a temporary folder; 4 clients, 3 s")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    tmp = None
    try:
        if args.smoke:
            tmp = Path(tempfile.mkdtemp(prefix="load-smoke-"))
            subprocess.run([sys.executable, "-m", "search.cli", "reindex", "-q", "--seeds", str(ROOT / "seeds"),
                            "--index", str(tmp / "index")], cwd=ROOT, check=True, capture_output=True)
            index, clients, seconds = tmp / "index", 4, 3.0
        elif args.index:
            index, clients, seconds = Path(args.index), args.clients, args.seconds
        else:
            ap.error("give --index DIR (or --smoke)")
        result = run(index, clients, seconds, args.threads)
    finally:
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)
    print(json.dumps(result, indent=2) if args.json else table(result))
    for e in result["error_examples"]:
        print("error:", e, file=sys.stderr)
    return 1 if result["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
