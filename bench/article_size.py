"""Cost of a 5 MB article: size and time of its page, its JSON, its plain text and a search that
hits it, bounded (as served) and unbounded (the limits lifted, as before), through the Flask test
client on the seeds plus that article.

    .venv/bin/python bench/article_size.py
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PATHS = ["/articles/b000000000000001?q=Hoàng+Bình+Quân", "/api/articles/b000000000000001?q=Hoàng+Bình+Quân",
         "/articles/b000000000000001.txt", "/api/search?q=an+ninh+khu+vực"]


def main() -> int:
    import search.engine as engine
    import search.results as results
    import tests.test_article_bounds as t
    from tests.conftest import build_index
    from web import create_app

    root = Path(tempfile.mkdtemp())
    try:
        _, index = build_index(root)
        big = "\n".join([t.BIG_PARAGRAPH] * (5_000_000 // len(t.BIG_PARAGRAPH.encode()) + 1))
        t._add(index, [t._article("b000000000000001", big)])
        client = create_app({"INDEX_DIR": str(index)}).test_client()
        client.get("/api/search?q=kinh")  # open the generation
        print(f"article: {len(big.encode()) / 1e6:.1f} MB, {len(big):,} characters")
        print("| limits | request | status | size | time (best of 3) |")
        print("|---|---|---|---|---|")
        for label in ("bounded", "unbounded (before)"):
            if label != "bounded":
                engine.ARTICLE_PAGE_CHARS = results.SNIPPET_SCAN_CHARS = 10**9
            for path in PATHS:
                best, reply = None, None
                for _ in range(3):
                    started = time.perf_counter()
                    reply = client.get(path)
                    took = time.perf_counter() - started
                    best = took if best is None else min(best, took)
                print(f"| {label} | `{path}` | {reply.status_code} | {len(reply.data) / 1e6:.2f} MB | {best:.2f} s |")
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
