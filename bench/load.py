"""Load test: concurrent clients against a real `search serve`, on loopback only.

    .venv/bin/python bench/load.py --index /tmp/sp5/index --clients 20 --seconds 60   # the 100k index
    .venv/bin/python bench/load.py --smoke                                             # seeds, a few seconds
    .venv/bin/python bench/load.py --index DIR --workers 1,2 --clients 1,2,8 --seconds 20 --warmup 2  # scaling

It starts `search serve` (waitress) on a free loopback port, sends one request to open the index,
then runs the clients for the given time. With lists, one server per process count, each run
with every client count in turn; each row's throughput is also given against one client on the
same server (the scaling that `search serve --workers` is for). Each client keeps one HTTP
connection and loops over a fixed mix: the speed benchmark's queries with all four facets
through /api/search, some as the HTML results page, some on page 2 or sorted by date. Reported:
requests, throughput, latency percentiles, errors (any non-200 or broken connection) and the
server's peak memory (VmHWM, summed over its processes).
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
        paths.append(api_path(q, filters))
        paths.append(api_path(q, filters).replace("/api/search", "/search", 1))  # the HTML page
        paths.append(api_path(q, filters, (("page", "2"),)))
        paths.append(api_path(q, filters, (("sort", "newest"),)))
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


def child_pids(pid: int) -> list[int]:
    """The worker processes of a `search serve --workers N` parent."""
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                out.append(int(stat.parent.name))
        except (OSError, ValueError):
            pass
    return out


def start_server(index: Path, threads: int, workers: int, log) -> tuple[subprocess.Popen, int, float]:
    """`search serve` on a free loopback port, once it has answered its first search (which opens
    the index generation; not counted): (process, port, seconds to get there)."""
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "search.cli", "serve", "--host", "127.0.0.1",
                               "--port", str(port), "--threads", str(threads), "--workers", str(workers),
                               "--index", str(index)],
                              cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, text=True)
    started = time.monotonic()
    while True:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            conn.request("GET", "/api/search?q=warm")
            if conn.getresponse().status == 200:
                return server, port, time.monotonic() - started
        except OSError:
            if server.poll() is not None or time.monotonic() - started > 120:
                server.kill()
                log.seek(0)
                raise SystemExit(f"search serve did not start: {log.read()[-2000:]}") from None
            time.sleep(0.2)


def api_path(q: str, filters: dict, extra: tuple = ()) -> str:
    """The JSON API's path for a query of bench/speed.py (`filters` as its QUERIES give them)."""
    params = [("q", q)] if q else []
    for key, value in filters.items():
        params += [(PARAMS[key], v) for v in (value if isinstance(value, list) else [value])]
    return "/api/search?" + urlencode(params + list(extra))


def drive(port: int, clients: int, seconds: float, rounds: int | None = None,
          paths: list[str] | None = None) -> tuple[list[float], list[str], float]:
    """`clients` threads, each on its own keep-alive connection looping over its mix for `seconds`
    (or `rounds` times through it): (latencies in ms, errors, elapsed s). `paths`: the mix (each
    client shuffles its own copy), else `request_mix`'s."""
    latencies: list[list[float]] = [[] for _ in range(clients)]
    errors: list[str] = []
    stop_at = time.monotonic() + seconds

    def client(i: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        mix = request_mix(i) if paths is None else random.Random(i).sample(paths, len(paths))
        n = 0
        while (n < rounds * len(mix)) if rounds else (time.monotonic() < stop_at):
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

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    t_start = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sorted(x for per in latencies for x in per), errors, time.monotonic() - t_start


def run(index: Path, clients: list[int], seconds: float, threads: int, workers: int = 1,
        warmup: int = 0) -> list[dict]:
    """One server with `workers` processes; for each count in `clients`, that many clients for
    `seconds`. `warmup`: first, unmeasured, twice as many clients as processes go this many times
    through the whole mix, so that every process has read the mix's postings (a warm server)."""
    if not all(1 <= c <= MAX_CLIENTS for c in clients) or not 0 < seconds <= MAX_SECONDS:
        raise SystemExit(f"--clients must be 1-{MAX_CLIENTS} and --seconds at most {MAX_SECONDS}")
    # The server's log goes to a file: a pipe nobody reads fills up (waitress warns of queued
    # requests under load) and then blocks the server on its next log line.
    log = tempfile.TemporaryFile("w+")
    server, port, start_s = start_server(index, threads, workers, log)
    results = []
    try:
        if warmup:
            drive(port, min(MAX_CLIENTS, 2 * workers), MAX_SECONDS, rounds=warmup)
        for count in clients:
            samples, errors, elapsed = drive(port, count, seconds)
            pick = lambda p: samples[min(len(samples) - 1, int(round(p / 100 * (len(samples) - 1))))] if samples else 0  # noqa: E731,B023
            results.append({
                "clients": count, "seconds": round(elapsed, 1), "server_threads": threads, "server_workers": workers,
                "requests": len(samples), "errors": len(errors), "error_examples": errors[:5],
                "throughput_rps": round(len(samples) / elapsed, 1), "p50_ms": round(pick(50), 1),
                "p95_ms": round(pick(95), 1), "p99_ms": round(pick(99), 1),
                "max_ms": round(samples[-1] if samples else 0, 1),
                "mean_ms": round(statistics.fmean(samples), 1) if samples else 0,
                "server_peak_rss_mb": round(sum(peak_rss_mb(pid) for pid in [server.pid, *child_pids(server.pid)])),
                "warmup_s": round(start_s, 1)})
    finally:
        server.terminate()
        server.wait(30)
        log.close()
    return results


def sweep_table(results: list[dict]) -> str:
    """One row per (processes, clients), with each row's throughput against one client on the same server."""
    one = {r["server_workers"]: r["throughput_rps"] for r in results if r["clients"] == 1}
    lines = ["| server processes × threads | clients | requests/s | × one client | p50 / p95 / p99 ms | errors "
             "| peak MB |",
             "|---|---|---|---|---|---|---|"]
    for r in results:
        base = one.get(r["server_workers"])
        ratio = f"{r['throughput_rps'] / base:.2f}" if base else ""
        lines.append(f"| {r['server_workers']} × {r['server_threads']} | {r['clients']} | {r['throughput_rps']} "
                     f"| {ratio} "
                     f"| {r['p50_ms']} / {r['p95_ms']} / {r['p99_ms']} | {r['errors']} | {r['server_peak_rss_mb']} |")
    return "\n".join(lines)


def table(r: dict) -> str:
    rows = [("clients / server processes × threads", f"{r['clients']} / {r['server_workers']} × {r['server_threads']}"),
            ("duration, s", r["seconds"]), ("requests", r["requests"]), ("throughput, requests/s", r["throughput_rps"]),
            ("latency p50 / p95 / p99 / max, ms", f"{r['p50_ms']} / {r['p95_ms']} / {r['p99_ms']} / {r['max_ms']}"),
            ("errors", r["errors"]), ("server peak memory (VmHWM, all processes), MB", r["server_peak_rss_mb"]),
            ("server start + first search, s", r["warmup_s"])]
    return "| measure | value |\n|---|---|\n" + "\n".join(f"| {a} | {b} |" for a, b in rows)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--index", help="index directory to serve (built by `search reindex`)")
    ap.add_argument("--clients", default="20", help="concurrent clients; a list (1,2,8) runs each in turn")
    ap.add_argument("--seconds", type=float, default=60, help="length of each run")
    ap.add_argument("--threads", type=int, default=8, help="server threads per process (search serve --threads)")
    ap.add_argument("--workers", default="1", help="server processes (search serve --workers); a list (1,2) "
                                                   "starts a server for each")
    ap.add_argument("--warmup", type=int, default=0,
                    help="unmeasured rounds through the whole mix by 2 clients per server process, before the runs")
    ap.add_argument("--smoke", action="store_true", help="index the seeds in a temporary folder; 4 clients, 3 s")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    try:
        clients = [int(c) for c in args.clients.split(",")]
        workers = [int(w) for w in args.workers.split(",")]
    except ValueError:
        ap.error("--clients and --workers take whole numbers, or lists of them separated by commas")
    tmp = None
    try:
        if args.smoke:
            tmp = Path(tempfile.mkdtemp(prefix="load-smoke-"))
            subprocess.run([sys.executable, "-m", "search.cli", "reindex", "-q", "--seeds", str(ROOT / "seeds"),
                            "--index", str(tmp / "index")], cwd=ROOT, check=True, capture_output=True)
            index, clients, seconds, workers = tmp / "index", [4], 3.0, [2]
        elif args.index:
            index, seconds = Path(args.index), args.seconds
        else:
            ap.error("give --index DIR (or --smoke)")
        results = [r for w in workers for r in run(index, clients, seconds, args.threads, w, args.warmup)]
    finally:
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)
    if args.json:
        print(json.dumps(results[0] if len(results) == 1 else results, indent=2))
    else:
        print(table(results[0]) if len(results) == 1 else sweep_table(results))
    errors = [e for r in results for e in r["error_examples"]]
    for e in errors:
        print("error:", e, file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
