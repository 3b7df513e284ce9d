"""#18's "10 changed files ≤ 2 s": the whole `search reindex` command, as a user runs it, on a
copy of a built index whose corpus has 10 changed pages, by this tree and by reference commits,
alternated round by round (the order reversed every other round), medians reported.

    .venv/bin/python bench/incremental.py --kept /tmp/lead-s25k --work /tmp/incr/bench \\
        --rounds 5 --reference 25eee00

`--kept` is a folder that `bench/speed.py --keep` built (its `corpus/` and `index/`). The corpus
is copied once into `--work` with its timestamps (as `cp -a`: only the changed pages are read
then, as in a user's archive) and its first 10 pages changed as `bench/speed.py` changes them;
the index is copied afresh before every run, so every run does the same work. Each tree runs as
`.venv/bin/python -m search.cli reindex -q --json --seeds CORPUS --index COPY` with the tree as
its working folder (a reference is checked out with `git archive`). Reported per tree: the
command's wall time, its CPU time (user + sys of the process), and the reindex's own `seconds`;
the load average is printed before each round. The trees' bytecode is cached (written by a
first run of each, not counted) unless `--no-pyc`: this session's shells set
PYTHONDONTWRITEBYTECODE=1, which makes every run compile the project's modules again (~0.2 CPU-s).
`--nice -10` runs the commands ahead of the other work on a busy machine (say so with the figures).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = ROOT / ".venv" / "bin" / "python"
CHANGED = 10


def prepare_corpus(kept: Path, work: Path) -> Path:
    """The kept corpus copied with its timestamps, its first 10 pages changed (once per --work)."""
    corpus = work / "corpus"
    done = work / "corpus.ready"
    if done.exists():
        return corpus
    shutil.rmtree(corpus, ignore_errors=True)
    shutil.copytree(kept / "corpus", corpus, symlinks=True)  # copy2: mtimes kept, as `cp -a`
    for f in sorted(corpus.iterdir())[:CHANGED]:  # as bench/speed.py does
        f.write_text(f.read_text("utf-8").replace("</article>", "<p>Bản cập nhật.</p></article>"), "utf-8")
    done.write_text("")
    return corpus


def checkout(ref: str, work: Path) -> Path:
    """The tree of `ref`, from `git archive`, with the shared .venv beside it."""
    sha = subprocess.run(["git", "rev-parse", "--short", ref], cwd=ROOT, capture_output=True, text=True,
                         check=True).stdout.strip()
    tree = work / f"tree-{sha}"
    if not (tree / "search").is_dir():
        tar = subprocess.run(["git", "archive", sha], cwd=ROOT, capture_output=True, check=True).stdout
        with tarfile.open(fileobj=BytesIO(tar)) as t:
            t.extractall(tree)
    return tree


def run_once(tree: Path, corpus: Path, kept_index: Path, work: Path, env: dict, nice: int | None) -> dict:
    index = Path(tempfile.mkdtemp(prefix="index-", dir=work))
    shutil.rmtree(index)
    shutil.copytree(kept_index, index, symlinks=True)
    _sync(index)  # a user's live generation is on disk already: the run's fsyncs must not write the copy
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    command = [str(PYTHON), "-m", "search.cli", "reindex", "-q", "--json",
               "--seeds", str(corpus), "--index", str(index)]
    if nice is not None:
        command = ["nice", "-n", str(nice)] + command
    done = subprocess.run(command, cwd=tree, capture_output=True, text=True, env=env)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    shutil.rmtree(index)
    if done.returncode != 0:
        raise SystemExit(f"{tree}: exit {done.returncode}\n{done.stderr}")
    report = json.loads(done.stdout)
    if report["full"] or report["updated"] != CHANGED:
        raise SystemExit(f"{tree}: not an update of {CHANGED} files: {done.stdout}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"wall": wall, "cpu": cpu, "reindex": report["seconds"]}


def _sync(folder: Path) -> None:
    for path in sorted(folder.rglob("*"), reverse=True) + [folder]:
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--kept", type=Path, required=True, help="a folder with corpus/ and index/ (bench/speed.py --keep)")
    ap.add_argument("--work", type=Path, required=True, help="where the copies go (kept between runs)")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--reference", action="append", default=[], help="a commit to compare with (repeatable)")
    ap.add_argument("--no-pyc", action="store_true",
                    help="compile the trees' modules afresh in every run (PYTHONDONTWRITEBYTECODE=1); by default "
                    "their bytecode is cached, as it is on a user's machine, by a first run that is not counted")
    ap.add_argument("--nice", type=int, help="run the commands at this niceness (e.g. -10 on a busy machine)")
    args = ap.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    corpus = prepare_corpus(args.kept, args.work)
    trees = {"this tree": ROOT} | {ref: checkout(ref, args.work) for ref in args.reference}
    env = dict(os.environ)
    if args.no_pyc:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    else:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        for tree in trees.values():  # writes the tree's __pycache__
            run_once(tree, corpus, args.kept / "index", args.work, env, args.nice)
    results: dict[str, list[dict]] = {name: [] for name in trees}
    loads = []
    for n in range(args.rounds):
        order = list(trees) if n % 2 == 0 else list(reversed(trees))
        loads.append(os.getloadavg()[0])
        print(f"round {n + 1}, load {loads[-1]:.2f}", file=sys.stderr)
        for name in order:
            r = run_once(trees[name], corpus, args.kept / "index", args.work, env, args.nice)
            results[name].append(r)
            print(f"  {name:>10}: wall {r['wall']:.2f} s, cpu {r['cpu']:.2f} s, reindex {r['reindex']:.2f} s",
                  file=sys.stderr)
    print(f"\n{CHANGED} changed files, {args.rounds} alternated rounds, load {min(loads):.2f}-{max(loads):.2f} "
          f"(1-min average before each round), bytecode {'compiled in every run' if args.no_pyc else 'cached'}"
          + (f", niceness {args.nice}" if args.nice is not None else "") + "\n")
    print("| tree | whole command, wall s (median; each) | CPU s, user+sys (median) "
          "| reindex as reported, s (median) |")
    print("|---|---|---|---|")
    for name, rs in results.items():
        walls = [r["wall"] for r in rs]
        print(f"| {name} | **{statistics.median(walls):.2f}** ({' / '.join(f'{w:.2f}' for w in walls)}) | "
              f"{statistics.median(r['cpu'] for r in rs):.2f} | {statistics.median(r['reindex'] for r in rs):.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
