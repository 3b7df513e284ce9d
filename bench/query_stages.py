"""Where a search's time goes, stage by stage, on a kept index (see docs/speed.md).

    .venv/bin/python bench/query_stages.py --index /tmp/sparse/s25k/index [--queries 100]

1. cold: the `--queries` different queries of bench/speed.py (`sample_queries`), each run once by
   `SearchEngine.search` on a freshly opened engine under cProfile with a CPU clock (process time:
   on a shared machine wall time mostly measures the other jobs), reported per stage in ms/query.
2. warm: the same queries' stages alone (evaluate, order the first page, count the facets) with
   their terms cached, best of 7 runs each, summed: the executor's own cost, robust to load.

3. per query: the same cold queries again in another fresh engine, without the profiler, each
   timed on this thread's CPU clock (a background thread's work, such as the generation's
   delegate names, is not counted) and split into stages: p50/p95/p99 and the stages of the
   slowest tenth, where a cold p95 is made.

4. warm, per query (`--warm-only` runs this alone): the same queries through `SearchEngine.search`
   after two runs of them all, three rounds, each timed on this thread's CPU clock: p50/p95/p99 of
   a repeated query, without the wait for a core; then bench/speed.py's query mix (#18's warm
   figure: its facet selections and orders), 20 rounds after one, wall and CPU.

Run it from two checkouts (before/after a change) on the same index, alternated.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

STAGES = {  # (module file, function) → label
    ("engine.py", "search"): "search, total",
    ("ranking.py", "evaluate"): "evaluate (executor, terms read cold)",
    ("postings.py", "term"): "  reading terms (postings.term)",
    ("ranking.py", "by_relevance"): "order (top, word-pair bonus, proximity)",
    ("executor.py", "rerank"): "  word-pair bonus (phrases)",
    ("executor.py", "proximity"): "  proximity",
    ("results.py", "facet_values"): "facet counts and labels",
    ("results.py", "hits"): "hits (stored record, snippets)",
    ("timeline.py", "timeline_for"): "timeline",
    ("query_builder.py", "plan"): "plan",
}


def cold(index: Path, queries: list[str]) -> dict[str, float]:
    from search.engine import SearchEngine, SearchRequest

    engine = SearchEngine(index, time_limit=None)
    engine.search(SearchRequest(q="warm up"))
    profile = cProfile.Profile(time.thread_time)
    profile.enable()
    for q in queries:
        engine.search(SearchRequest(q=q))
    profile.disable()
    out: dict[str, float] = {}
    for (file, _, fn), (_, _, _, cumulative, _) in pstats.Stats(profile).stats.items():
        label = STAGES.get((Path(file).name, fn))
        if label and "/search/" in file:
            out[label] = out.get(label, 0.0) + cumulative * 1000 / len(queries)
    return out


def warm(index: Path, queries: list[str]) -> dict[str, float]:
    from search.engine import SearchEngine, SearchRequest
    from search.executor import Executor
    from search.query_builder import QueryBuilder
    from search.querylang import parse
    from search.ranking import by_relevance, evaluate
    from search.readers import leased
    from search.request import select
    from search.results import Labels, Narrowing, facet_values

    engine = SearchEngine(index, time_limit=None)
    engine.search(SearchRequest(q="warm up"))
    total = {"evaluate": 0.0, "order": 0.0, "facets": 0.0}
    with leased(engine.generation()) as gen:
        builder = QueryBuilder(gen.searcher.reader(), gen.people, engine.registry)
        label = Labels(engine.outlets, gen.people, engine.registry)
        for q in queries:
            parsed = parse(q)
            plan = builder.plan(builder.keep_rarest(parsed, []), "all")
            selections = select(SearchRequest(q=q), parsed, engine.outlets, [])
            best = dict.fromkeys(total, float("inf"))
            for _ in range(7):
                executor = Executor(gen.postings)
                t0 = time.perf_counter()
                matched = evaluate(plan, executor, gen.facets)
                t1 = time.perf_counter()
                if plan.query is not None and matched.mask.any():
                    by_relevance(plan, executor, matched, matched.mask, 0, 10)
                t2 = time.perf_counter()
                docs = {"text_docs": matched.matching()} if hasattr(matched, "matching") else {}  # before: no such
                facet_values(gen.facets, matched.mask, Narrowing(gen.facets, selections), selections, label, 10, **docs)
                t3 = time.perf_counter()
                for key, seconds in zip(total, (t1 - t0, t2 - t1, t3 - t2), strict=True):
                    best[key] = min(best[key], seconds)
            for key in total:
                total[key] += best[key] * 1000 / len(queries)
    return total


PER_QUERY = {"plan": ("search.query_builder", "QueryBuilder.plan"), "evaluate": ("search.engine", "evaluate"),
             "order": ("search.engine", "by_relevance"), "hits": ("search.engine", "hits"),
             "facets": ("search.engine", "facet_values"), "timeline": ("search.engine", "timeline_for")}


def per_query(index: Path, queries: list[str]) -> dict:
    """Each query's CPU ms (this thread) and its stages', in a fresh engine (see the docstring)."""
    import importlib

    from search.engine import SearchEngine, SearchRequest

    spent: dict[str, float] = {}

    def timed(label, fn):
        def wrapper(*args, **kwargs):
            started = time.thread_time()
            try:
                return fn(*args, **kwargs)
            finally:
                spent[label] = spent.get(label, 0.0) + (time.thread_time() - started) * 1000
        return wrapper

    originals = []
    for label, (module_name, name) in PER_QUERY.items():
        owner = importlib.import_module(module_name)
        *path, attr = name.split(".")
        for part in path:
            owner = getattr(owner, part)
        originals.append((owner, attr, getattr(owner, attr)))
        setattr(owner, attr, timed(label, getattr(owner, attr)))
    try:
        engine = SearchEngine(index, time_limit=None)
        engine.search(SearchRequest(q="warm up"))
        rows = []
        for q in queries:
            spent.clear()
            started = time.thread_time()
            engine.search(SearchRequest(q=q))
            total = (time.thread_time() - started) * 1000
            rows.append((total, {**spent, "other": total - sum(spent.values())}))
    finally:
        for owner, attr, fn in originals:
            setattr(owner, attr, fn)
    rows.sort(key=lambda r: r[0])
    pick = lambda p: rows[min(len(rows) - 1, int(round(p / 100 * (len(rows) - 1))))][0]  # noqa: E731
    slowest = rows[-max(1, len(rows) // 10):]
    labels = [*PER_QUERY, "other"]
    return {"p50": pick(50), "p95": pick(95), "p99": pick(99),
            "mean": {k: sum(r[1].get(k, 0.0) for r in rows) / len(rows) for k in labels},
            "slowest_tenth": {k: sum(r[1].get(k, 0.0) for r in slowest) / len(slowest) for k in labels}}


def warm_per_query(index: Path, queries: list[str], rounds: int = 3) -> dict:
    """CPU ms of each query repeated (after two runs of every query), over `rounds` rounds."""
    from search.engine import SearchEngine, SearchRequest

    engine = SearchEngine(index, time_limit=None)
    for _ in range(2):
        for q in queries:
            engine.search(SearchRequest(q=q))
    times = []
    for _ in range(rounds):
        for q in queries:
            started = time.thread_time()
            engine.search(SearchRequest(q=q))
            times.append((time.thread_time() - started) * 1000)
    times.sort()
    pick = lambda p: times[min(len(times) - 1, int(round(p / 100 * (len(times) - 1))))]  # noqa: E731
    return {"p50": pick(50), "p95": pick(95), "p99": pick(99)}


def warm_mix(index: Path, rounds: int = 20) -> dict:
    """bench/speed.py's query mix (with its facet selections and orders; #18's warm figure), run once,
    then `rounds` rounds: wall and CPU ms percentiles, and the slowest queries' median CPU ms."""
    import statistics

    import speed

    from search.engine import SearchEngine, SearchRequest

    engine = SearchEngine(index, time_limit=None)
    engine.search(SearchRequest(q="warm up"))
    for _, q, filters in speed.QUERIES:
        engine.search(SearchRequest(q=q, **filters))
    wall, cpu, per = [], [], {}
    for _ in range(rounds):
        for label, q, filters in speed.QUERIES:
            started, cpu_started = time.perf_counter(), time.thread_time()
            engine.search(SearchRequest(q=q, **filters))
            wall.append((time.perf_counter() - started) * 1000)
            cpu.append((time.thread_time() - cpu_started) * 1000)
            per.setdefault(f"{label}: {q or '(all)'} {filters or ''}".strip(), []).append(cpu[-1])
    slowest = sorted(((statistics.median(v), k) for k, v in per.items()), reverse=True)[:3]
    return {"wall": speed.percentiles(wall), "cpu": speed.percentiles(cpu), "slowest": slowest}


def main() -> int:
    import speed

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--index", required=True, help="a kept index (bench/speed.py --keep DIR: DIR/index)")
    ap.add_argument("--queries", type=int, default=100)
    ap.add_argument("--warm-only", action="store_true", help="only the warm per-query section (4.)")
    args = ap.parse_args()
    index = Path(args.index)
    queries = speed.sample_queries(index, args.queries)
    if args.warm_only:
        each = warm_per_query(index, queries)
        print(f"warm, per query, CPU ms: p50 {each['p50']:.1f} p95 {each['p95']:.1f} p99 {each['p99']:.1f}")
        mix = warm_mix(index)
        for clock in ("wall", "cpu"):
            print(f"warm, bench/speed.py's query mix, {clock} ms: " +
                  " ".join(f"{p} {mix[clock][p]:.1f}" for p in ("p50", "p95", "p99")))
        print("  slowest (median CPU ms): " + "; ".join(f"{k} {ms:.1f}" for ms, k in mix["slowest"]))
        return 0
    print(f"cold, {len(queries)} different queries, CPU ms/query under cProfile:")
    for label, ms in sorted(cold(index, queries).items(), key=lambda x: list(STAGES.values()).index(x[0])):
        print(f"  {label:45s} {ms:7.2f}")
    stages = warm(index, queries)
    print("warm, terms cached, best of 7, ms/query: " + ", ".join(f"{k} {v:.2f}" for k, v in stages.items()))
    each = per_query(index, queries)
    print(f"cold, per query, CPU ms (no profiler): p50 {each['p50']:.1f} p95 {each['p95']:.1f} p99 {each['p99']:.1f}")
    for name in ("mean", "slowest_tenth"):
        print(f"  stages, {name.replace('_', ' ')}: " + ", ".join(f"{k} {v:.1f}" for k, v in each[name].items()))
    each = warm_per_query(index, queries)
    print(f"warm, per query, CPU ms: p50 {each['p50']:.1f} p95 {each['p95']:.1f} p99 {each['p99']:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
