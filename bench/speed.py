"""Indexing throughput, query latency with all four facets, index size and memory, against
Tantivy on the same documents in the same run.

    .venv/bin/pip install tantivy==0.27.0      # the reference; not a dependency of the project
    .venv/bin/python bench/speed.py --docs 100000 --out docs/speed.md

The corpus is built from ../shared/corpus (VNTC full-text articles, the 2025-26 feed items with
real outlets and dates, Reuters wire stories) as HTML pages, so that `search reindex` reads them
through the real ingestion path: outlet from og:site_name or the URL, date from
article:published_time, language detected, delegates extracted.
"""

from __future__ import annotations

import argparse
import gzip
import html
import json
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SHARED = ROOT.parent / "shared" / "corpus"

QUERIES = [  # (label, query, filters): common words, rare names, phrases, filtered, unaccented
    ("common", "kinh tế", {}),
    ("common", "chính phủ", {}),
    ("common unaccented", "kinh te", {}),
    ("common", "thị trường chứng khoán", {}),
    ("name", "Nguyễn Tấn Dũng", {}),
    ("name unaccented", "nguyen tan dung", {}),
    ("name", "Hoàng Bình Quân", {}),
    ("phrase", '"an ninh"', {}),
    ("phrase", '"giá vàng"', {}),
    ("english", "oil prices", {}),
    ("english", "trade deficit", {}),
    ("filtered", "bóng đá", {"outlet": ["vnexpress"]}),
    ("filtered", "giáo dục", {"language": ["vi"], "year": ["2025"]}),
    ("filtered", "xuất khẩu", {"date_from": "2025-09-01", "date_to": "2025-12-31"}),
    ("unaccented", "bao hiem y te", {}),
    ("browse", "", {}),
]


def build_corpus(target: Path, n: int, seed: int = 7) -> int:
    """Write n HTML pages: 40% VNTC, 45% feed items, 15% Reuters."""
    rng = random.Random(seed)
    shares = {"vntc.jsonl.gz": int(n * 0.40), "vn_rss_2025_2026.jsonl.gz": int(n * 0.45)}
    shares["reuters21578.jsonl.gz"] = n - sum(shares.values())
    outlet_names = {"VNE": "VnExpress", "NLD": "Người Lao Động", "TT": "Tuổi Trẻ", "TN": "Thanh Niên"}
    written = 0
    for name, count in shares.items():
        path = SHARED / name
        if not path.exists():
            raise SystemExit(f"{path} not found: the speed benchmark needs ../shared/corpus")
        rows = [json.loads(line) for line in gzip.open(path, "rt", encoding="utf-8")]
        for i, row in enumerate(rng.sample(rows, min(count, len(rows)))):
            if name.startswith("vntc"):
                text = (row.get("body") or row["title"]).strip()
                title, site, date, url = text.split(".")[0][:150], outlet_names.get(row["outlet"], ""), "", ""
                body = text
            elif name.startswith("vn_rss"):
                title, body, site, url = row["title"], row.get("summary") or "", row["source"], row["link"]
                date = row["published"][:10]
            else:
                title, body, site, url = row["title"].title(), row["body"], "Reuters", ""
                try:
                    date = datetime.strptime(row["date"].split()[0], "%d-%b-%Y").date().isoformat()
                except ValueError:
                    date = ""
            if not body.strip() or not title.strip():
                continue
            paragraphs = "".join(f"<p>{html.escape(p.strip())}</p>" for p in body.split("\n") if p.strip())
            page = (f'<html><head><meta charset="utf-8"><meta property="og:title" content="{html.escape(title)}">'
                    + (f'<meta property="og:site_name" content="{html.escape(site)}">' if site else "")
                    + (f'<link rel="canonical" href="{html.escape(url)}">' if url else "")
                    + (f'<meta property="article:published_time" content="{date}">' if date else "")
                    + f"</head><body><article>{paragraphs}</article></body></html>")
            (target / f"{name.split('.')[0]}-{i:06d}.html").write_text(page, "utf-8")
            written += 1
    return written


def timed_cli(*args) -> tuple[float, int, str]:
    """Run `search …` in a child; wall seconds, the child's peak RSS in MB, and its output."""
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "search.cli", *args], capture_output=True, text=True, cwd=ROOT)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
    if proc.returncode not in (0, 1):
        raise SystemExit(proc.stderr)
    return seconds, peak, proc.stdout.strip()


def dir_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1e6


def percentiles(samples: list[float]) -> dict:
    ordered = sorted(samples)
    pick = lambda p: ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]  # noqa: E731
    return {"p50": pick(50), "p95": pick(95), "p99": pick(99), "mean": statistics.fmean(ordered)}


def bench_engine(index: Path, rounds: int) -> dict:
    from search.engine import SearchEngine, SearchRequest

    engine = SearchEngine(index, time_limit=None)
    started = time.perf_counter()
    engine.search(SearchRequest(q="warm up"))  # opens the generation and builds the facet arrays
    open_ms = (time.perf_counter() - started) * 1000
    cold, warm, per_query = [], [], {}
    for round_ in range(rounds):
        for label, q, filters in QUERIES:
            started = time.perf_counter()
            engine.search(SearchRequest(q=q, **filters))
            ms = (time.perf_counter() - started) * 1000
            # Round 1 reads every term from disk (cold caches); later rounds find them cached.
            (cold if round_ == 0 else warm).append(ms)
            per_query.setdefault(f"{label}: {q or '(all)'} {filters or ''}".strip(), []).append(ms)
    return {**percentiles(cold + warm), "cold": percentiles(cold), "warm": percentiles(warm or cold),
            "open_ms": open_ms, "per_query": {k: (v[0], statistics.median(v)) for k, v in per_query.items()}}


def bench_tantivy(index: Path, workdir: Path, rounds: int) -> dict | None:
    try:
        import tantivy
    except ImportError:
        print("tantivy is not installed: pip install tantivy==0.27.0 (the reference row is skipped)", file=sys.stderr)
        return None
    from search.engine import SearchEngine

    # The same documents and metadata, read back from our index.
    gen = SearchEngine(index).generation()
    records = [json.loads(f["record"]) for f in gen.searcher.all_stored_fields()]
    sb = tantivy.SchemaBuilder()
    sb.add_text_field("title", stored=True)
    sb.add_text_field("body", stored=False)
    for name in ("language", "outlet", "year", "delegate"):
        sb.add_text_field(name, stored=False, fast=True, tokenizer_name="raw")
    sb.add_integer_field("date_sort", fast=True, indexed=True)
    schema = sb.build()
    ix = tantivy.Index(schema, path=str(workdir))
    started = time.perf_counter()
    writer = ix.writer(heap_size=256_000_000)
    for r in records:
        d = r["date"]
        writer.add_document(tantivy.Document(
            title=r["title"], body=r["body"], language=r["language"], outlet=r["outlet"],
            year=str(d["year"]) if d["year"] else "unknown", delegate=[p["key"] for p in r["delegates"]] or ["-"],
            date_sort=(d["year"] or 0) * 10000 + (d["month"] or 0) * 100 + (d["day"] or 0)))
    writer.commit()
    writer.wait_merging_threads()
    index_seconds = time.perf_counter() - started
    ix.reload()
    searcher = ix.searcher()
    aggs = {name: {"terms": {"field": name, "size": 10}} for name in ("language", "outlet", "year", "delegate")}
    samples = []
    for _ in range(rounds):
        for _, q, filters in QUERIES:
            text = q or "*"
            clauses = [text] if q else []
            if "outlet" in filters:
                clauses.append("outlet:" + filters["outlet"][0])
            if "language" in filters:
                clauses.append("language:" + filters["language"][0])
            if "year" in filters:
                clauses.append("year:" + filters["year"][0])
            started = time.perf_counter()
            query = ix.parse_query(" AND ".join(f"({c})" for c in clauses), ["title", "body"]) if clauses \
                else tantivy.Query.all_query()
            searcher.search(query, 10)
            searcher.aggregate(query, aggs)
            samples.append((time.perf_counter() - started) * 1000)
    return {"docs_per_s": len(records) / index_seconds, "index_mb": dir_mb(workdir), **percentiles(samples)}


def print_queries(ours: dict) -> None:
    print(f"\nall rounds p50 {ours['p50']:.1f} ms, p95 {ours['p95']:.1f}, p99 {ours['p99']:.1f}; "
          f"cold p95 {ours['cold']['p95']:.1f}, warm p95 {ours['warm']['p95']:.1f}; open {ours['open_ms']:.0f} ms")
    print("\n| query | first run, ms | median, ms |\n|---|---|---|")
    for name, (first, median) in ours["per_query"].items():
        print(f"| {name} | {first:.1f} | {median:.1f} |")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=100_000)
    ap.add_argument("--rounds", type=int, default=5, help="times the query mix is run")
    ap.add_argument("--keep", help="build in this folder and keep it (default: a temporary folder)")
    ap.add_argument("--out", help="also write the results (markdown) here")
    ap.add_argument("--queries-only", action="store_true",
                    help="with --keep: reuse the kept corpus and index, rerun only the query measurements")
    args = ap.parse_args()
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="speed-"))
    corpus, index, tv = work / "corpus", work / "index", work / "tantivy"
    if args.queries_only:
        if not (index / "CURRENT").exists():
            raise SystemExit(f"--queries-only needs a kept index in {index} (run once with --keep {work})")
        print_queries(bench_engine(index, args.rounds))
        return 0
    for p in (corpus, index, tv):
        shutil.rmtree(p, ignore_errors=True)
        p.mkdir(parents=True)
    try:
        n = build_corpus(corpus, args.docs)
        print(f"corpus: {n} pages in {corpus}", file=sys.stderr)
        full_s, full_peak, summary = timed_cli("reindex", "--full", "-q", "--seeds", str(corpus), "--index", str(index))
        print(f"full reindex: {summary}", file=sys.stderr)
        changed = sorted(corpus.iterdir())[:10]
        for f in changed:
            f.write_text(f.read_text("utf-8").replace("</article>", "<p>Bản cập nhật.</p></article>"), "utf-8")
        inc_s, _, inc_summary = timed_cli("reindex", "-q", "--seeds", str(corpus), "--index", str(index))
        print(f"10 changed files: {inc_summary}", file=sys.stderr)
        ours = bench_engine(index, args.rounds)
        ours_mem = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
        ref = bench_tantivy(index, tv, args.rounds)
        gen = index / (index / "CURRENT").read_text().strip()
        rows = [
            ("documents", f"{n}", "", ""),
            ("full reindex, docs/s", f"{n / full_s:.0f}", f"{ref['docs_per_s']:.0f}" if ref else "-",
             f"{(n / full_s) / ref['docs_per_s']:.2f}" if ref else "-"),
            ("reindex after 10 changed files, s", f"{inc_s:.1f}", "", ""),
            ("index size, MB", f"{dir_mb(gen):.0f}", f"{ref['index_mb']:.0f}" if ref else "-",
             f"{dir_mb(gen) / ref['index_mb']:.1f}" if ref else "-"),
            ("peak memory, reindex (MB RSS)", f"{full_peak}", "", ""),
            ("peak memory, benchmark process incl. corpus building (MB RSS)", f"{ours_mem}", "", ""),
        ]
        for p in ("p50", "p95", "p99"):
            rows.append((f"query + 4 facets {p}, ms", f"{ours[p]:.1f}", f"{ref[p]:.1f}" if ref else "-",
                         f"{ours[p] / ref[p]:.1f}" if ref else "-"))
        for phase in ("cold", "warm"):
            rows.append((f"query + 4 facets p95, {phase} ({'round 1' if phase == 'cold' else 'rounds 2+'}), ms",
                         f"{ours[phase]['p95']:.1f}", "", ""))
        rows.append(("opening a new generation (first search), ms", f"{ours['open_ms']:.0f}", "", ""))
        table = "| measure | ours (Whoosh) | Tantivy | ratio |\n|---|---|---|---|\n" + \
            "\n".join(f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows)
        print(table)
        print_queries(ours)
        if args.out:
            Path(args.out).write_text(table + "\n", "utf-8")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
