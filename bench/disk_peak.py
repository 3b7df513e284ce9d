"""Disk space a full rebuild needs: the peak size of the index folder while `search reindex --full`
runs, against the corpus size and the final index size (the figures behind the free-space check
in search/indexing/reindex.py).

    .venv/bin/python bench/disk_peak.py --docs 2000
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def tree_bytes(path: Path) -> int:
    """Bytes in use under `path`, each inode once (generations share segment files by hard link)."""
    seen, total = set(), 0
    for dirpath, _, names in os.walk(path):
        for name in names:
            try:
                st = os.lstat(os.path.join(dirpath, name))
            except OSError:
                continue
            if st.st_ino not in seen:
                seen.add(st.st_ino)
                total += st.st_size
    return total


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--docs", type=int, default=2000)
    ap.add_argument("--corpus", type=Path, help="an existing corpus folder instead of building one")
    args = ap.parse_args()
    from bench.speed import build_corpus

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        corpus = args.corpus or tmp / "corpus"
        if not args.corpus:
            corpus.mkdir()
            build_corpus(corpus, args.docs)
        index = tmp / "index"
        corpus_bytes = tree_bytes(corpus)
        rows = []
        for label in ("first build", "rebuild beside the live index"):
            base = tree_bytes(index) if index.exists() else 0
            peak, stop = [0], threading.Event()

            def poll(stop=stop, peak=peak, base=base):
                while not stop.is_set():
                    peak[0] = max(peak[0], tree_bytes(index) - base if index.exists() else 0)
                    time.sleep(0.05)

            t = threading.Thread(target=poll)
            t.start()
            started = time.monotonic()
            subprocess.run([sys.executable, "-m", "search.cli", "reindex", "--full", "-q", "--no-space-check",
                            "--seeds", str(corpus), "--index", str(index)], cwd=ROOT, check=True,
                           stdout=subprocess.DEVNULL)
            stop.set()
            t.join()
            live = (index / (index / "CURRENT").read_text().strip())
            final = tree_bytes(live)
            rows.append((label, corpus_bytes, final, peak[0], time.monotonic() - started))
        print(f"corpus: {args.corpus or f'{args.docs} pages from bench/speed.py'}")
        print("| run | corpus MB | final index MB | peak extra MB | peak / final | final / corpus | s |")
        print("|---|---|---|---|---|---|---|")
        for label, c, f, p, s in rows:
            print(f"| {label} | {c / 2**20:.1f} | {f / 2**20:.1f} | {p / 2**20:.1f} | {p / f:.2f} | "
                  f"{f / c:.2f} | {s:.0f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
