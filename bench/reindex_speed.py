"""Full reindex of text exports (`search reindex --full`), this tree vs reference commits, alternated.

    .venv/bin/python -m bench.reindex_speed [--docs 2000] [--rounds 3] [--reference 0c2b221 ...]
                                            [--corpus DIR]

The corpus is the speed benchmark's articles (bench/speed.py: 40% VNTC, 45% 2025-26 feed items,
15% Reuters, from ../shared/corpus) written as crawler text exports (bench/ingest_throughput.py);
`--corpus DIR` keeps it there and reuses it when it is already there. Each reference is checked
out in a temporary `git worktree`. Every round runs each tree's own CLI once, in a fresh process,
on a fresh index, the order turning round by round, so a machine that gets busier mid-run weighs
on every tree alike. Each run's CPU is user+sys of the whole process tree (the ingest and writer
workers included): on a machine shared with other work, CPU-seconds say more than the wall clock,
which is printed too (docs/s) with the load average at the end of the run.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Run:
    tree: str
    docs: int
    wall: float
    cpu: float
    load: float


def text_export_corpus(folder: Path, docs: int) -> int:
    """`docs` articles of the speed benchmark's corpus as text exports in `folder` (kept if there)."""
    from bench.ingest_throughput import text_exports
    from bench.speed import build_corpus

    existing = sum(1 for _ in folder.glob("*.txt")) if folder.is_dir() else 0
    if existing:
        return existing
    folder.mkdir(parents=True, exist_ok=True)
    build_corpus(folder, docs)
    text_exports(folder)
    for page in folder.glob("*.html"):
        page.unlink()
    return sum(1 for _ in folder.glob("*.txt"))


def reindex_once(name: str, tree: Path, corpus: Path, index: Path) -> Run:
    """One full reindex by `tree`'s own CLI; CPU of the process and every worker it waited for."""
    subprocess.run(["rm", "-rf", str(index)], check=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "search.cli", "reindex", "--seeds", str(corpus),
                           "--index", str(index), "--full", "-q"], capture_output=True, text=True, cwd=tree)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    added = re.search(r"added (\d+)", proc.stdout + proc.stderr)
    if proc.returncode not in (0, 1) or not added:  # 1: some files failed (reported in the summary)
        raise SystemExit(f"{name}: reindex failed\n{proc.stderr[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Run(name, int(added.group(1)), wall, cpu, os.getloadavg()[0])


def checkout(commit: str, folder: Path) -> Path:
    subprocess.run(["git", "worktree", "add", "--detach", str(folder), commit], cwd=ROOT, check=True,
                   capture_output=True)
    return folder


def summary(runs: list[Run], names: list[str]) -> list[str]:
    lines = ["| tree | docs | CPU-s (median; each run) | wall s (median) | docs/s (median wall) | docs per CPU-s |",
             "|---|---|---|---|---|---|"]
    for name in names:
        mine = [r for r in runs if r.tree == name]
        cpu, wall = statistics.median(r.cpu for r in mine), statistics.median(r.wall for r in mine)
        each = " / ".join(f"{r.cpu:.1f}" for r in mine)
        lines.append(f"| {name} | {mine[0].docs} | {cpu:.1f} ({each}) | {wall:.1f} | {mine[0].docs / wall:.0f} | "
                     f"{mine[0].docs / cpu:.0f} |")
    return lines


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=2000, help="articles in the corpus (default 2000)")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--reference", action="append", help="git commit to compare with (repeatable; default 0c2b221)")
    ap.add_argument("--corpus", type=Path, help="keep the text exports here (reused when present)")
    args = ap.parse_args(argv)
    references = args.reference or ["0c2b221"]
    with tempfile.TemporaryDirectory(prefix="reindex-speed-") as tmp:
        tmp = Path(tmp)
        corpus = args.corpus or tmp / "corpus"
        n = text_export_corpus(corpus, args.docs)
        trees = {"this tree": ROOT}
        try:
            for i, commit in enumerate(references):
                trees[commit] = checkout(commit, tmp / f"ref{i}")
            print(f"{n} text exports in {corpus}; {args.rounds} rounds, load {os.getloadavg()[0]:.1f} at the start")
            runs = []
            for round_ in range(args.rounds):
                order = list(trees.items())
                for name, tree in order if round_ % 2 == 0 else reversed(order):
                    run = reindex_once(name, tree, corpus, tmp / "index")
                    runs.append(run)
                    print(f"round {round_ + 1} {name}: {run.docs} docs, CPU {run.cpu:.1f} s, wall {run.wall:.1f} s, "
                          f"load {run.load:.1f}", flush=True)
        finally:
            for tree in trees.values():
                if tree != ROOT:
                    subprocess.run(["git", "worktree", "remove", "--force", str(tree)], cwd=ROOT, capture_output=True)
    print("\n".join(summary(runs, list(trees))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
