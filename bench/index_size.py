"""Index size by part, and what the size work could cost queries: two (or more) kept indexes of
the same articles, measured alternately, each in a fresh process.

    .venv/bin/python bench/index_size.py /tmp/postings-work/s25k/index /tmp/lexicon/s25k/index --rounds 3

Per index: the size table of bench/speed.py (`index_parts_mb`); then, `--rounds` times in turn,
CPU seconds of opening the engine, 100 different title queries each run once (cold), the query
mix of bench/speed.py once, and of what reads the lexicon: the "did you mean" vocabulary, 300
prefix expansions, 600 document frequencies through Whoosh's reader. CPU seconds, not wall time:
the machine is shared. Bytes do not depend on load.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.speed import QUERIES, index_parts_mb, parts_table, sample_queries  # noqa: E402


def child(index: Path, sampled: list[str]) -> dict:
    from search.engine import SearchEngine, SearchRequest
    from search.indexing.store import IndexStore, open_index
    from search.suggest import Vocabulary

    started = time.process_time()
    engine = SearchEngine(index, time_limit=None)
    engine.generation()
    out = {"open": time.process_time() - started}
    started = time.process_time()
    for q in sampled:
        engine.search(SearchRequest(q=q))
    out["cold queries"] = time.process_time() - started
    started = time.process_time()
    for _, q, filters in QUERIES:
        engine.search(SearchRequest(q=q, **filters))
    out["query mix"] = time.process_time() - started
    with open_index(IndexStore(index).current_dir()).searcher() as searcher:
        reader = searcher.reader()
        started = time.process_time()
        vocabulary = Vocabulary.build(reader)
        out["did-you-mean vocabulary"] = time.process_time() - started
        words = sorted(vocabulary.counts)[:: max(1, len(vocabulary.counts) // 300)][:300]
        started = time.process_time()
        for w in words:
            list(reader.expand_prefix("body_fold", w[:3]))
        out["300 prefixes"] = time.process_time() - started
        started = time.process_time()
        for w in words:
            reader.doc_frequency("title_fold", w)
            reader.doc_frequency("body_fold", w)
        out["600 document frequencies"] = time.process_time() - started
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("indexes", nargs="+", type=Path, help="index folders (with CURRENT)")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--queries", type=int, default=100)
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(child(args.indexes[0], json.loads(args.child))))
        return 0
    for index in args.indexes:
        gen = index / (index / "CURRENT").read_text().strip()
        print(f"\n{index}\n\n{parts_table(index_parts_mb(gen))}")
    sampled = sample_queries(args.indexes[0], args.queries)
    runs: dict[Path, list[dict]] = {index: [] for index in args.indexes}
    for _ in range(args.rounds):
        for index in args.indexes:
            proc = subprocess.run([sys.executable, __file__, str(index), "--child", json.dumps(sampled)],
                                  capture_output=True, text=True, cwd=ROOT, check=True)
            runs[index].append(json.loads(proc.stdout.strip().splitlines()[-1]))
    names = list(runs[args.indexes[0]][0])
    print("\n| CPU seconds, each round | " + " | ".join(str(i) for i in args.indexes) + " |")
    print("|---|" + "---|" * len(args.indexes))
    for name in names:
        cells = [" / ".join(f"{r[name]:.3f}" for r in runs[index]) for index in args.indexes]
        print(f"| {name} | " + " | ".join(cells) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
