"""Indexing throughput, query latency with all four facets (cold and warm), throughput with 1, 2
and 8 concurrent clients, opening time, index size and memory, against Tantivy on the same
documents in the same run.

Throughput is measured as the server serves: `search serve` with its default worker processes
(one per core, sharing the memory-mapped index) and clients over HTTP (`served_qps`); threads in
one process are measured too, to show what one interpreter lock allows.

    .venv/bin/pip install tantivy==0.27.0      # the reference; not a dependency of the project
    .venv/bin/python bench/speed.py --docs 100000 --keep /tmp/speed100k --out docs/speed-table.md
    .venv/bin/python bench/speed.py --keep /tmp/speed100k --queries-only     # queries again, same index

Our searches are measured in a fresh process (as a server starts), with "before" variants in the
same run: one searcher shared by all searches (as the old per-generation lock) and the generation
opened without its arrays (everything derived from Whoosh's files).

The corpus is built from ../shared/corpus (VNTC full-text articles, the 2025-26 feed items with
real outlets and dates, Reuters wire stories) as HTML pages, so that `search reindex` reads them
through the real ingestion path: outlet from og:site_name or the URL, date from
article:published_time, language detected, delegates extracted.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.corpus_rows import VNTC_OUTLETS, page_fields, page_html  # noqa: E402
from search.indexing.arrays import FOLDER, write_generation_arrays  # noqa: E402

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
    written = 0
    for name, count in shares.items():
        path = SHARED / name
        if not path.exists():
            raise SystemExit(f"{path} not found: the speed benchmark needs ../shared/corpus")
        rows = [json.loads(line) for line in gzip.open(path, "rt", encoding="utf-8")]
        for i, row in enumerate(rng.sample(rows, min(count, len(rows)))):
            title, body, site, date, url = page_fields(name, row, VNTC_OUTLETS)
            if not body.strip() or not title.strip():
                continue
            page = page_html(title, body, site, date, url)
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


def sample_queries(index: Path, n: int, seed: int = 11) -> list[str]:
    """`n` diverse queries for the cold measurement: two or three consecutive words from the titles
    of random indexed articles (users' queries differ; each is run once, on a freshly opened index,
    so every one of them reads its words' postings from disk)."""
    from search.indexing.store import IndexStore, open_index

    rng = random.Random(seed)
    with open_index(IndexStore(index).current_dir()).searcher() as s:
        titles = [f["record"] for f in s.all_stored_fields()]
    out = []
    for record in rng.sample(titles, min(len(titles), n * 3)):
        words = [w for w in re.sub(r"[^\w]+", " ", json.loads(record)["title"]).split() if not w.isdigit()]
        if len(words) < 2:
            continue
        k = rng.choice((2, 2, 3))
        i = rng.randrange(0, max(1, len(words) - k + 1))
        out.append(" ".join(words[i:i + k]))
        if len(out) == n:
            break
    return out


def engine_child(index: Path, rounds: int, sampled: list[str], seconds: float, variant: str = "") -> dict:
    """In a fresh process (a server's view): opening, cold and warm latency, throughput with 1, 2
    and 8 concurrent clients (threads, as `search serve` uses), peak memory.

    Variants, to show what a change did in the same run: "derived" opens the generation as before
    the arrays existed (everything derived from Whoosh's files; only the open is timed);
    "one-reader" lends a single searcher, so searches queue as they did behind the old lock (only
    the throughput is measured)."""
    import search.indexing.arrays as arrays
    import search.readers
    from search.engine import SearchEngine, SearchRequest

    if variant == "derived":
        arrays.read_arrays = lambda *a: None
        arrays.write_arrays = lambda *a: None
    if variant == "one-reader":
        search.readers.POOL_SIZE = 1
    engine = SearchEngine(index, time_limit=None)
    started = time.perf_counter()
    engine.generation()
    open_ms = (time.perf_counter() - started) * 1000
    # A server opens a new generation long after the previous one's delegate names were worked
    # out in the background; timing it while that thread still holds the GIL measured the thread.
    wait_for_background_naming()
    started = time.perf_counter()
    engine._open()  # as a running server opens a new generation (modules already imported)
    reopen_ms = (time.perf_counter() - started) * 1000
    naming_ms = wait_for_background_naming()
    if variant == "derived":
        return {"open_ms": open_ms, "reopen_ms": reopen_ms}
    started = time.perf_counter()
    engine.search(SearchRequest(q="warm up"))  # the first search also loads what every search uses
    first_ms = (time.perf_counter() - started) * 1000
    if variant == "one-reader":
        mix = [(q, filters) for _, q, filters in QUERIES] + [(q, {}) for q in sampled]
        for q, f in mix:  # warm, as the throughput runs of the main variant are
            engine.search(SearchRequest(q=q, **f))
        return {"qps": {str(c): clients_qps(lambda q, f: engine.search(SearchRequest(q=q, **f)), mix, c, seconds)
                        for c in (1, 2, 8)}}
    cold_sampled, cold_cpu = [], []
    for q in sampled:  # each a different query: every word read from disk the first time
        started, cpu = time.perf_counter(), time.thread_time()
        engine.search(SearchRequest(q=q))
        cold_sampled.append((time.perf_counter() - started) * 1000)
        cold_cpu.append((time.thread_time() - cpu) * 1000)
    cold, warm, per_query = [], [], {}
    for round_ in range(rounds):
        for label, q, filters in QUERIES:
            started = time.perf_counter()
            engine.search(SearchRequest(q=q, **filters))
            ms = (time.perf_counter() - started) * 1000
            # Round 1 reads the mix's terms from disk (cold caches); later rounds find them cached.
            (cold if round_ == 0 else warm).append(ms)
            per_query.setdefault(f"{label}: {q or '(all)'} {filters or ''}".strip(), []).append(ms)
    mix = [(q, filters) for _, q, filters in QUERIES] + [(q, {}) for q in sampled]
    throughput = {str(c): clients_qps(lambda q, f: engine.search(SearchRequest(q=q, **f)), mix, c, seconds)
                  for c in (1, 2, 8)}
    return {**percentiles(cold + warm), "cold": percentiles(cold), "warm": percentiles(warm or cold),
            "cold_sampled": percentiles(cold_sampled), "cold_sampled_cpu": percentiles(cold_cpu),
            "open_ms": open_ms, "reopen_ms": reopen_ms, "naming_ms": naming_ms, "first_ms": first_ms,
            "qps": throughput,
            "peak_mb": vm_hwm_mb(),
            "per_query": {k: (v[0], statistics.median(v)) for k, v in per_query.items()}}


def wait_for_background_naming() -> float:
    """Wait for the delegate names a generation works out in the background after it opens
    (`DelegateNames.name_all`, started by `SearchEngine._open`); the milliseconds waited."""
    started = time.perf_counter()
    for thread in threading.enumerate():
        if thread.name.startswith("names-"):
            thread.join()
    return (time.perf_counter() - started) * 1000


def vm_hwm_mb() -> int:
    """This process's peak resident memory (VmHWM: unlike ru_maxrss, not inherited across exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) // 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


def clients_qps(search, mix: list, clients: int, seconds: float) -> float:
    """Queries per second answered by `clients` threads each looping over `mix` for `seconds`."""
    done = [0] * clients
    stop = time.perf_counter() + seconds

    def client(i: int) -> None:
        order = mix[:]
        random.Random(i).shuffle(order)
        while time.perf_counter() < stop:
            for q, f in order:
                search(q, f)
                done[i] += 1
                if time.perf_counter() >= stop:
                    return

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(done) / (time.perf_counter() - started)


def bench_engine(index: Path, rounds: int, sampled: list[str], seconds: float, variant: str = "") -> dict:
    """engine_child in a fresh Python process, so that opening is really cold for the engine and
    the peak memory is that of a process serving searches."""
    args = [sys.executable, __file__, "--engine-child", str(index), "--rounds", str(rounds),
            "--seconds", str(seconds), "--sampled", json.dumps(sampled, ensure_ascii=False), "--variant", variant]
    proc = subprocess.run(args, capture_output=True, text=True, cwd=ROOT)
    if proc.returncode:
        raise SystemExit(proc.stderr)
    return json.loads(proc.stdout)


def served_qps(index: Path, sampled: list[str], seconds: float, workers: int | None = None,
               slices: int = 3) -> dict:
    """Queries per second as users get them: a real `search serve --workers N` (N: one per core, its
    default; prefork worker processes sharing the memory-mapped index) on a loopback port, and 1, 2
    and 8 clients, each a thread of this process on its own keep-alive HTTP connection looping over
    the mix (the query mix and the sampled queries through /api/search, all four facets). Each
    worker is warmed first (two clients per worker through the whole mix); then the client counts
    take turns, `slices` times `seconds / slices` each, so that the other jobs of a shared machine
    weigh on each count alike. A Python server process runs one search at a time (one interpreter
    lock), so threads alone cannot use a second core: `engine_child`'s thread figures show that."""
    import tempfile as tmp

    from bench import load
    from search.prefork import default_workers

    workers = workers or default_workers()
    paths = [load.api_path(q, f) for _, q, f in QUERIES] + [load.api_path(q, {}) for q in sampled]
    log = tmp.TemporaryFile("w+")
    server, port, start_s = load.start_server(index, 8, workers, log)
    counts = {c: [0, 0.0, 0, 0.0] for c in (1, 2, 8)}  # requests, seconds, errors, the workers' CPU seconds
    try:
        load.drive(port, 2 * workers, load.MAX_SECONDS, rounds=1, paths=paths)
        pids = load.child_pids(server.pid)
        for _ in range(slices):
            for c, total in counts.items():
                cpu = cpu_seconds(pids)
                latencies, errors, elapsed = load.drive(port, c, seconds / slices, paths=paths)
                total[0] += len(latencies)
                total[1] += elapsed
                total[2] += len(errors)
                total[3] += cpu_seconds(pids) - cpu
        peak = round(sum(load.peak_rss_mb(pid) for pid in [server.pid, *pids]))
    finally:
        server.terminate()
        server.wait(30)
        log.close()
    # "cores": the workers' CPU seconds per second of the run (2.0: both cores busy serving).
    return {"workers": workers, "qps": {str(c): n / s for c, (n, s, _, _) in counts.items()},
            "cores": {str(c): cpu / s for c, (_, s, _, cpu) in counts.items()},
            "errors": sum(e for _, _, e, _ in counts.values()), "peak_mb": peak, "start_s": start_s}


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU seconds the processes `pids` have used so far (/proc/PID/stat)."""
    import os

    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of the line)
    return total / os.sysconf("SC_CLK_TCK")


def bench_tantivy(index: Path, workdir: Path, rounds: int, sampled: list[str], seconds: float) -> dict | None:
    try:
        import tantivy
    except ImportError:
        print("tantivy is not installed: pip install tantivy==0.27.0 (the reference row is skipped)", file=sys.stderr)
        return None
    from search.indexing.store import IndexStore, open_index

    # The same documents and metadata, read back from our index.
    with open_index(IndexStore(index).current_dir()).searcher() as s:
        records = [json.loads(f["record"]) for f in s.all_stored_fields()]
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
    del writer
    ix = tantivy.Index.open(str(workdir))  # opened afresh, as ours is
    started = time.perf_counter()
    ix.reload()
    searcher = ix.searcher()
    open_ms = (time.perf_counter() - started) * 1000
    aggs = {name: {"terms": {"field": name, "size": 10}} for name in ("language", "outlet", "year", "delegate")}

    def search(q: str, filters: dict) -> None:
        # Every word required, as ours does by default.
        clauses = [w for w in q.split()] if not q.startswith('"') else [q]
        if "outlet" in filters:
            clauses.append("outlet:" + filters["outlet"][0])
        if "language" in filters:
            clauses.append("language:" + filters["language"][0])
        if "year" in filters:
            clauses.append("year:" + filters["year"][0])
        query = ix.parse_query(" AND ".join(f"({c})" for c in clauses), ["title", "body"]) if clauses \
            else tantivy.Query.all_query()
        searcher.search(query, 10)
        searcher.aggregate(query, aggs)

    cpu_ms = []

    def timed(q: str, filters: dict) -> float:
        started, cpu = time.perf_counter(), time.thread_time()
        search(q, filters)
        cpu_ms.append((time.thread_time() - cpu) * 1000)
        return (time.perf_counter() - started) * 1000

    cold_sampled = [timed(q, {}) for q in sampled]
    cold_cpu = cpu_ms[:]
    cold, warm = [], []
    for round_ in range(rounds):
        for _, q, filters in QUERIES:
            (cold if round_ == 0 else warm).append(timed(q, filters))
    mix = [(q, filters) for _, q, filters in QUERIES] + [(q, {}) for q in sampled]
    qps = {str(c): clients_qps(search, mix, c, seconds) for c in (1, 2, 8)}
    return {"docs_per_s": len(records) / index_seconds, "index_mb": dir_mb(workdir), **percentiles(cold + warm),
            "cold": percentiles(cold), "warm": percentiles(warm or cold), "cold_sampled": percentiles(cold_sampled),
            "cold_sampled_cpu": percentiles(cold_cpu), "open_ms": open_ms, "qps": qps}


def print_queries(ours: dict) -> None:
    print(f"\nall rounds p50 {ours['p50']:.1f} ms, p95 {ours['p95']:.1f}, p99 {ours['p99']:.1f}; "
          f"cold p95 {ours['cold']['p95']:.1f}, warm p95 {ours['warm']['p95']:.1f}; "
          f"{len(ours.get('sampled', []))} sampled queries cold p50 {ours['cold_sampled']['p50']:.1f} "
          f"p95 {ours['cold_sampled']['p95']:.1f} p99 {ours['cold_sampled']['p99']:.1f}; "
          f"open {ours['open_ms']:.0f} ms; "
          f"qps (threads, one process) {ours['qps']}; peak {ours['peak_mb']} MB")
    if "served" in ours:
        served = ours["served"]
        print(f"search serve --workers {served['workers']} over HTTP: qps {served['qps']}, "
              f"cores used {served['cores']}, {served['errors']} errors, peak {served['peak_mb']} MB (all processes)")
    print("\n| query | first run, ms | median, ms |\n|---|---|---|")
    for name, (first, median) in ours["per_query"].items():
        print(f"| {name} | {first:.1f} | {median:.1f} |")


def table(n: int, ours: dict, ref: dict | None, build: dict) -> str:
    def row(name, a, b=None, fmt="{:.1f}", ratio=True):
        b_text = fmt.format(b) if b is not None else ("-" if ref is None else "")
        r_text = (f"{a / b:.1f}" if a / b >= 0.95 else f"{a / b:.2g}") if ratio and b else ""
        return f"| {name} | {fmt.format(a)} | {b_text} | {r_text} |"

    get = (lambda *keys: _dig(ref, keys)) if ref else (lambda *keys: None)
    rows = [row("documents", n, fmt="{}", ratio=False)]
    if build:
        rows += [row("full reindex, docs/s", build["docs_per_s"], get("docs_per_s"), "{:.0f}"),
                 row("reindex after 10 changed files, s", build["inc_s"]),
                 row("index size, MB", build["index_mb"], get("index_mb"), "{:.0f}"),
                 row("peak memory, reindex (MB RSS)", build["reindex_peak_mb"], fmt="{:.0f}", ratio=False)]
    rows.append(row("opening the index (fresh process, incl. imports), ms", ours["open_ms"], get("open_ms"), "{:.0f}"))
    rows.append(row("opening a new generation in a running server, ms", ours["reopen_ms"], fmt="{:.0f}", ratio=False))
    if "naming_ms" in ours:
        rows.append(row("then its delegate names, in the background, ms", ours["naming_ms"], fmt="{:.0f}",
                        ratio=False))
    rows.append(row("then the first search (\"warm up\"), ms", ours["first_ms"], fmt="{:.0f}", ratio=False))
    rows.append(row("peak memory, searching process (MB RSS)", ours["peak_mb"], fmt="{:.0f}", ratio=False))
    for p in ("p50", "p95", "p99"):
        rows.append(row(f"cold, {len(ours.get('sampled', []))} different queries + 4 facets {p}, ms",
                        ours["cold_sampled"][p], get("cold_sampled", p)))
    if "cold_sampled_cpu" in ours:  # the searching thread's CPU clock: what other jobs on the machine move least
        for p in ("p50", "p95", "p99"):
            rows.append(row(f"the same, CPU ms of the searching thread, {p}", ours["cold_sampled_cpu"][p],
                            get("cold_sampled_cpu", p)))
    for p in ("p50", "p95", "p99"):
        rows.append(row(f"query mix + 4 facets, first round {p}, ms", ours["cold"][p], get("cold", p)))
    for p in ("p50", "p95", "p99"):
        rows.append(row(f"query mix + 4 facets, warm (rounds 2+) {p}, ms", ours["warm"][p], get("warm", p)))
    if "served" in ours:  # ours as `search serve` answers over HTTP; Tantivy's in-process threads
        served = ours["served"]
        for c in ("1", "2", "8"):
            rows.append(row(f"queries/s, {c} concurrent client{'s' if c != '1' else ''} (ours: `search serve "
                            f"--workers {served['workers']}` over HTTP)", served["qps"][c], get("qps", c), "{:.0f}"))
        rows.append(row("8 clients / 1 client (served)", served["qps"]["8"] / served["qps"]["1"],
                        get("qps", "8") / get("qps", "1") if ref else None, "{:.2f}", ratio=False))
        if "cores" in served:
            rows.append(row("cores the workers used, 1 / 8 clients (CPU s per s)", served["cores"]["1"], fmt="{:.2f}",
                            ratio=False).replace(f"| {served['cores']['1']:.2f} |",
                                                 f"| {served['cores']['1']:.2f} / {served['cores']['8']:.2f} |", 1))
    for c in ("1", "2", "8"):
        rows.append(row(f"queries/s, {c} thread{'s' if c != '1' else ''} in one process", ours["qps"][c],
                        get("qps", c), "{:.0f}"))
    rows.append(row("8 threads / 1 thread, one process", ours["qps"]["8"] / ours["qps"]["1"],
                    get("qps", "8") / get("qps", "1") if ref else None, "{:.2f}", ratio=False))
    if "one_reader_qps" in ours:
        one = ours["one_reader_qps"]
        rows.append(row("before: queries/s with one shared searcher (1 / 8 clients)", one["1"], fmt="{:.0f}",
                        ratio=False).replace(f"| {one['1']:.0f} |", f"| {one['1']:.0f} / {one['8']:.0f} |", 1))
    if "derived_open_ms" in ours:
        rows.append(row("before: opening a new generation, everything derived from Whoosh's files, ms",
                        ours["derived_reopen_ms"], fmt="{:.0f}", ratio=False))
    return "| measure | ours (Whoosh + numpy) | Tantivy | ratio |\n|---|---|---|---|\n" + "\n".join(rows)


# What each file inside a segment holds, for the size breakdown (search.indexing.layout).
PARTS = {".pld": "postings, laid out (documents, frequencies, positions)",
         ".plt": "term tables of the layout",
         ".trm": "Whoosh's term dictionary (layout format 2: every field)",
         ".plx": "lexicon of laid-out fields (terms, document frequencies)",
         ".pst": "Whoosh's postings (format 2: fields looked up by value)",
         "._stored.col": "stored articles (zlib'd record JSON)"}


def index_parts_mb(gen: Path) -> dict[str, float]:
    """MB of a generation by what the bytes hold: the files packed in each compound segment, the
    manifest, the per-generation arrays."""
    from whoosh.filedb.compound import CompoundStorage
    from whoosh.filedb.structfile import StructFile

    out: dict[str, float] = {}

    def add(part: str, nbytes: int) -> None:
        out[part] = out.get(part, 0.0) + nbytes / 1e6

    for f in sorted(gen.rglob("*")):
        if not f.is_file():
            continue
        if f.suffix == ".seg":
            with open(f, "rb") as raw:
                compound = CompoundStorage(StructFile(raw), use_mmap=False)
                for name, info in compound._dir.items():
                    ext = name[name.index("."):]
                    add(PARTS.get(ext, "columns: facets, dates, field lengths"), info["length"])
        elif f.parent.name == FOLDER:
            add("per-generation arrays", f.stat().st_size)
        else:
            add(f"{f.name}" if f.suffix in (".json", ".zlib") else "other", f.stat().st_size)
    return out


def parts_table(parts: dict[str, float]) -> str:
    total = sum(parts.values())
    rows = [f"| {name} | {mb:.1f} | {100 * mb / total:.0f}% |"
            for name, mb in sorted(parts.items(), key=lambda kv: -kv[1])]
    return "| part of the index | MB | share |\n|---|---|---|\n" + "\n".join(rows) + f"\n| total | {total:.1f} | |"


def _dig(d, keys):
    for k in keys:
        if d is None:
            return None
        d = d.get(k) if isinstance(d, dict) else None
    return d


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=100_000)
    ap.add_argument("--rounds", type=int, default=5, help="times the query mix is run")
    ap.add_argument("--sampled", default="100",
                    help="how many different queries (from indexed titles) to time cold; (internal: their JSON)")
    ap.add_argument("--seconds", type=float, default=10.0, help="length of each throughput run")
    ap.add_argument("--keep", help="build in this folder and keep it (default: a temporary folder)")
    ap.add_argument("--out", help="also write the results (markdown) here")
    ap.add_argument("--queries-only", action="store_true",
                    help="with --keep: reuse the kept corpus and index, rerun only the query measurements "
                    "(and Tantivy's, from its kept index)")
    ap.add_argument("--workers", type=int, help="server processes for the served throughput (default: one per core)")
    ap.add_argument("--no-serve", action="store_true", help="skip the throughput of a real `search serve`")
    ap.add_argument("--engine-child", help=argparse.SUPPRESS)
    ap.add_argument("--variant", default="", help=argparse.SUPPRESS)
    ap.add_argument("--json", action="store_true", help="print the figures as JSON too")
    args = ap.parse_args()
    if args.engine_child:
        print(json.dumps(engine_child(Path(args.engine_child), args.rounds, json.loads(args.sampled), args.seconds,
                                      args.variant)))
        return 0
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="speed-"))
    corpus, index, tv = work / "corpus", work / "index", work / "tantivy"
    build = {}
    try:
        if args.queries_only:
            if not (index / "CURRENT").exists():
                raise SystemExit(f"--queries-only needs a kept index in {index} (run once with --keep {work})")
            n = sum(1 for _ in corpus.iterdir())
            gen = index / (index / "CURRENT").read_text().strip()
            build = json.loads((work / "build.json").read_text()) if (work / "build.json").exists() else {}
            if build:
                build["index_mb"] = dir_mb(gen)
        else:
            for p in (corpus, index):
                shutil.rmtree(p, ignore_errors=True)
                p.mkdir(parents=True)
            n = build_corpus(corpus, args.docs)
            print(f"corpus: {n} pages in {corpus}", file=sys.stderr)
            full_s, full_peak, summary = timed_cli("reindex", "--full", "-q", "--seeds", str(corpus),
                                                   "--index", str(index))
            print(f"full reindex: {summary}", file=sys.stderr)
            changed = sorted(corpus.iterdir())[:10]
            for f in changed:
                f.write_text(f.read_text("utf-8").replace("</article>", "<p>Bản cập nhật.</p></article>"), "utf-8")
            inc_s, _, inc_summary = timed_cli("reindex", "-q", "--seeds", str(corpus), "--index", str(index))
            print(f"10 changed files: {inc_summary}", file=sys.stderr)
            gen = index / (index / "CURRENT").read_text().strip()
            build = {"docs_per_s": n / full_s, "inc_s": inc_s, "reindex_peak_mb": full_peak, "index_mb": dir_mb(gen)}
            (work / "build.json").write_text(json.dumps(build))
        gen = index / (index / "CURRENT").read_text().strip()
        if not (gen / FOLDER).is_dir():  # an index built before the arrays existed
            write_generation_arrays(gen)
        sampled = sample_queries(index, int(args.sampled))
        ours = bench_engine(index, args.rounds, sampled, args.seconds)
        ours["sampled"] = sampled
        derived = bench_engine(index, 1, [], 0, "derived")
        ours["derived_open_ms"], ours["derived_reopen_ms"] = derived["open_ms"], derived["reopen_ms"]
        ours["one_reader_qps"] = bench_engine(index, 1, sampled, args.seconds, "one-reader")["qps"]
        if not args.no_serve:
            ours["served"] = served_qps(index, sampled, args.seconds, args.workers)
        shutil.rmtree(tv, ignore_errors=True)
        tv.mkdir(parents=True)
        ref = bench_tantivy(index, tv, args.rounds, sampled, args.seconds)
        text = table(n, ours, ref, build)
        parts = index_parts_mb(gen)
        text += "\n\n" + parts_table(parts)
        print(text)
        print_queries(ours)
        if args.json:
            print(json.dumps({"docs": n, "ours": ours, "tantivy": ref, "build": build, "parts_mb": parts},
                             ensure_ascii=False))
        if args.out:
            Path(args.out).write_text(text + "\n", "utf-8")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
