"""OpenSearch beside the embedded Whoosh index, in the same run, on the same pages: indexing
throughput through the real `search reindex` of each backend, and the query mix of bench/speed.py
(common words, names, phrases, filtered, unaccented, browse) with every facet and the timeline.

    bash scripts/opensearch.sh install
    SEARCH_OPENSEARCH_HEAP=512m bash scripts/opensearch.sh start --node bench
    .venv/bin/python bench/opensearch.py --docs 100000 --corpus /tmp/osbench-corpus \
        --url "$(bash scripts/opensearch.sh url --node bench)" --out /tmp/osbench-100k.md
    bash scripts/opensearch.sh stop --node bench --remove

The corpus is bench/speed.py's (../shared/corpus as HTML pages, bench/corpus_rows.py); `--corpus`
keeps it (or reuses it) so that a larger run need not rebuild the pages. Both reindexes parse
every page (language, dates, delegates) and run the project's analyzers on every core; OpenSearch
then receives the pre-analysed tokens (one node, one shard, no replica, on this machine). The load
average is printed before and after each phase: on a shared machine the figures compare the two
backends in the same run, they are not absolute speeds. `--smoke` runs the whole harness on the seeds.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from speed import QUERIES, build_corpus, percentiles  # noqa: E402  (bench/speed.py: the same corpus and mix)


def timed_cli(*args) -> tuple[float, str]:
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "search.cli", *args], capture_output=True, text=True, cwd=ROOT)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"search {' '.join(args)} failed:\n{proc.stderr[-2000:]}")
    return time.perf_counter() - started, proc.stdout.strip()


def load() -> str:
    return " ".join(open("/proc/loadavg").read().split()[:3])


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message} (load average {load()})", file=sys.stderr, flush=True)


def pages_in(corpus: Path, wanted: int) -> int:
    """The pages already in `corpus`, building `wanted` of them first when it is empty."""
    corpus.mkdir(parents=True, exist_ok=True)
    have = sum(1 for _ in corpus.glob("*.html"))
    if have:
        log(f"reusing {have} pages in {corpus}")
        return have
    log(f"writing {wanted} pages into {corpus}")
    return build_corpus(corpus, wanted)


def query_mix(engine, rounds: int) -> dict:
    from search.request import SearchRequest

    engine.search(SearchRequest(q="warm up"))
    samples, per_query = [], {}
    for _ in range(rounds):
        for label, q, filters in QUERIES:
            started = time.perf_counter()
            result = engine.search(SearchRequest(q=q, **filters))
            ms = (time.perf_counter() - started) * 1000
            samples.append(ms)
            per_query.setdefault((label, q, str(filters or "")), []).append((ms, result["total"]))
    return {**percentiles(samples), "per_query": per_query}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=100_000)
    ap.add_argument("--url", required=True, help="a running OpenSearch (scripts/opensearch.sh start)")
    ap.add_argument("--rounds", type=int, default=5, help="times the query mix is run")
    ap.add_argument("--out", help="also write the results (markdown) here")
    ap.add_argument("--smoke", action="store_true", help="the seeds only: checks the harness")
    ap.add_argument("--corpus", type=Path, help="keep the pages here (reused when it already holds some)")
    args = ap.parse_args()
    from search.backends.opensearch.engine import OpenSearchEngine
    from search.backends.opensearch.settings import OpenSearchSettings
    from search.engine import SearchEngine

    work = Path(tempfile.mkdtemp(prefix="osbench-"))
    corpus, index = args.corpus or work / "corpus", work / "index"
    alias = f"bench-{uuid.uuid4().hex[:8]}"
    settings = OpenSearchSettings.resolve(url=args.url, index=alias)
    try:
        if args.smoke:
            shutil.copytree(ROOT / "seeds", corpus)
            n = len(list(corpus.iterdir()))
        else:
            n = pages_in(corpus, args.docs)
        loads = {"start": load()}
        log(f"corpus: {n} pages; Whoosh reindex")
        whoosh_s, whoosh_summary = timed_cli("reindex", "--full", "-q", "--seeds", str(corpus), "--index", str(index))
        loads["whoosh reindex"] = load()
        log(f"whoosh: {n / whoosh_s:.1f} docs/s; {whoosh_summary}; OpenSearch reindex")
        os_s, os_summary = timed_cli("reindex", "--full", "-q", "--seeds", str(corpus), "--backend", "opensearch",
                                     "--opensearch-url", args.url, "--opensearch-index", alias)
        loads["OpenSearch reindex"] = load()
        log(f"opensearch: {n / os_s:.1f} docs/s; {os_summary}; query mix")
        whoosh = query_mix(SearchEngine(index, time_limit=None), args.rounds)
        loads["Whoosh queries"] = load()
        ours = OpenSearchEngine(settings, time_limit=None)
        opensearch = query_mix(ours, args.rounds)
        loads["OpenSearch queries"] = load()
        stats = ours.client.indices.stats(index=alias, metric="store,docs")["_all"]["primaries"]
        node = next(iter(ours.client.nodes.info(metric="jvm")["nodes"].values()))
        heap = node["jvm"]["mem"]["heap_max_in_bytes"] / 2**20
        rows = [
            ("documents", f"{n}", f"{stats['docs']['count']}"),
            ("full reindex (parse + analyse + index), docs/s", f"{n / whoosh_s:.1f}", f"{n / os_s:.1f}"),
            ("index size, MB", f"{sum(f.stat().st_size for f in index.rglob('*') if f.is_file()) / 1e6:.0f}",
             f"{stats['store']['size_in_bytes'] / 1e6:.0f}"),
        ]
        for p in ("p50", "p95", "p99"):
            rows.append((f"query + facets + timeline {p}, ms", f"{whoosh[p]:.1f}", f"{opensearch[p]:.1f}"))
        table = (f"| measure | Whoosh (embedded) | OpenSearch 2.5 (1 node, {heap:.0f} MB heap) |\n|---|---|---|\n"
                 + "\n".join(f"| {a} | {b} | {c} |" for a, b, c in rows))
        table += ("\n\nLoad average (1, 5, 15 min) after each phase: "
                  + "; ".join(f"{k} {v}" for k, v in loads.items()) + f". Cores: {os.cpu_count()}.")
        detail = ["| query | Whoosh median ms | OpenSearch median ms | total (both) |", "|---|---|---|---|"]
        for key, runs in whoosh["per_query"].items():
            other = opensearch["per_query"][key]
            same = "same" if runs[0][1] == other[0][1] else f"{runs[0][1]} vs {other[0][1]}"
            detail.append(f"| {key[0]}: {key[1] or '(all)'} {key[2]} | {statistics.median(m for m, _ in runs):.1f} | "
                          f"{statistics.median(m for m, _ in other):.1f} | {runs[0][1]} ({same}) |")
        text = table + "\n\n" + "\n".join(detail) + "\n"
        print(text)
        if args.out:
            Path(args.out).write_text(text, "utf-8")
    finally:
        try:
            OpenSearchEngine(settings).client.indices.delete(index=f"{alias}-*,{alias}.lock")
        except Exception as e:  # the figures are printed; say what was left behind
            print(f"could not delete the benchmark's indices {alias}-*: {e}", file=sys.stderr)
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
