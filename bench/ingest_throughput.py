"""Ingestion throughput (Ingestor.load per CPU-second), this tree vs a reference commit, one run.

    .venv/bin/python -m bench.ingest_throughput [--docs 2000] [--reference 0c2b221]

The pages are the speed benchmark's corpus (bench/speed.py: VNTC articles, 2025-26 feed items,
Reuters, as small HTML pages) and the same articles as crawler text exports
(" date 2020-07-14 <title>" then the story). Each tree loads every file in a child process of its
own (the reference from a temporary `git worktree`), after a warm-up of 20 files and one text for
lingua and one for dateparser, so one-time model loads are not counted; the figure is files per
CPU-second of that process (one core).
"""

from __future__ import annotations

import argparse
import html
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHILD = r"""
import json, logging, sys, time
logging.disable(logging.WARNING)
sys.path.insert(0, sys.argv[1])
from search.ingest.loader import CorpusFile, Ingestor
ing = Ingestor()
# One-time loads out of the timing in both trees: lingua's models (most texts never ask lingua
# now, so 20 warm-up files may not load them) and dateparser's locales.
from search.metadata.language import detect_language
detect_language("Die Delegation der Kommunistischen Partei Vietnams ist in Berlin mit Vertretern zusammengetroffen.")
try:
    from search.metadata.dates import parse_date
    parse_date("Thứ Ba ngày 14 tháng Bảy năm 2020")
except ImportError:
    pass
out = {}
for kind in ("html", "txt"):
    files = sorted(p for p in __import__("pathlib").Path(sys.argv[2]).iterdir() if p.suffix == "." + kind)
    datas = [(f, f.read_bytes()) for f in files]
    for f, d in datas[:20]:
        ing.load(CorpusFile(f.name, f), d, "-")
    failed = 0
    start = time.process_time()
    for f, d in datas:
        try:
            ing.load(CorpusFile(f.name, f), d, "-")
        except Exception:
            failed += 1
    out[kind] = {"files": len(datas), "failed": failed, "per_cpu_s": len(datas) / (time.process_time() - start)}
print(json.dumps(out))
"""


def text_exports(folder: Path) -> None:
    """The same articles as the HTML pages, written as crawler text exports."""
    for page in sorted(folder.glob("*.html")):
        raw = page.read_text("utf-8")
        title = html.unescape(re.search(r'og:title" content="([^"]*)"', raw).group(1))
        date = re.search(r'published_time" content="([^"]*)"', raw)
        body = "\n\n".join(html.unescape(p) for p in re.findall(r"<p>(.*?)</p>", raw, re.S))
        head = f" date {date.group(1)} {title}" if date else title
        page.with_suffix(".txt").write_text(f"{head}\n\n{body}\n", "utf-8")


def measure(tree: Path, corpus: Path) -> dict:
    run = subprocess.run([sys.executable, "-c", CHILD, str(tree), str(corpus)], capture_output=True, text=True,
                         cwd=tree, timeout=3600)
    if run.returncode:
        raise SystemExit(run.stderr)
    return json.loads(run.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=2000)
    ap.add_argument("--reference", default="0c2b221", help="git commit to compare with (default: before #12)")
    args = ap.parse_args(argv)
    from bench.speed import build_corpus

    with tempfile.TemporaryDirectory() as tmp:
        corpus, ref = Path(tmp) / "corpus", Path(tmp) / "ref"
        corpus.mkdir()
        n = build_corpus(corpus, args.docs)
        text_exports(corpus)
        subprocess.run(["git", "worktree", "add", "--detach", str(ref), args.reference], cwd=ROOT, check=True,
                       capture_output=True)
        try:
            ours, theirs = measure(ROOT, corpus), measure(ref, corpus)
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(ref)], cwd=ROOT, capture_output=True)
    print(f"{n} articles, each as HTML and as a text export; files per CPU-second (one process, warm):")
    print("| format | this tree | reference " + args.reference + " | failed (this / ref) |")
    print("|---|---|---|---|")
    for kind in ("txt", "html"):
        print(f"| {kind} | {ours[kind]['per_cpu_s']:.0f} | {theirs[kind]['per_cpu_s']:.0f} | "
              f"{ours[kind]['failed']} / {theirs[kind]['failed']} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
