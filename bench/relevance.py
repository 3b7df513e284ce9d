"""Retrieval quality of the analyzers, in one table.

    .venv/bin/python bench/relevance.py [--sample N] [--out docs/relevance.md]

1. ViNewsQA (../shared/eval/vinewsqa: 898 Vietnamese health-news articles, 4,484 questions, one
   judged article each): nDCG@10, P@1, R@10, R@100, for every query as written and with its
   diacritics removed (the "unaccented twin").
2. The party-diplomacy set (bench/diplomacy_queries.json over seeds/ + tests/fixtures/diplomacy/):
   queries as users type them, with judged relevant articles.

Rows, in the same run: Whoosh's StandardAnalyzer (the baseline), ICU words + accent folding
only, and the full engine (the real `reindex` path and the real query path, `SearchEngine.rank`,
OR of the words as in a ranked retrieval). Index time is documents per second on the same docs.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from whoosh import index as whoosh_index  # noqa: E402
from whoosh.analysis import StandardAnalyzer  # noqa: E402
from whoosh.fields import ID, TEXT, Schema  # noqa: E402
from whoosh.qparser import OrGroup, QueryParser  # noqa: E402
from whoosh.scoring import BM25F  # noqa: E402

from search.analysis import plain_analyzer  # noqa: E402
from search.analysis.vietnamese import AccentFoldFilter, fold_accents  # noqa: E402
from search.engine import SearchEngine  # noqa: E402
from search.indexing.reindex import reindex  # noqa: E402
from search.indexing.store import IndexStore  # noqa: E402
from search.ingest.loader import doc_id  # noqa: E402

VINEWSQA = ROOT.parent / "shared" / "eval" / "vinewsqa"
DIPLOMACY = ROOT / "bench" / "diplomacy_queries.json"


# --- collections ------------------------------------------------------------------------------
def load_vinewsqa(sample: int | None):
    docs = [json.loads(line) for line in (VINEWSQA / "corpus.jsonl").open(encoding="utf-8")]
    queries = {q["_id"]: q["text"] for q in map(json.loads, (VINEWSQA / "queries.jsonl").open(encoding="utf-8"))}
    qrels: dict[str, set[str]] = {}
    for line in (VINEWSQA / "qrels.tsv").read_text("utf-8").splitlines()[1:]:
        qid, did, score = line.split("\t")
        if int(score) > 0:
            qrels.setdefault(qid, set()).add(did)
    ids = sorted(q for q in queries if q in qrels)
    if sample:
        ids = random.Random(42).sample(ids, min(sample, len(ids)))
    # Each article becomes a file in the exports' title-first form; its id is its file name.
    files = {f"{d['_id']}.txt": f"{d['title']}\n\n{d['text']}\n" for d in docs}
    return files, [(qid, queries[qid], qrels[qid]) for qid in ids], {f"{d['_id']}.txt": d["_id"] for d in docs}


def load_diplomacy():
    spec = json.loads(DIPLOMACY.read_text("utf-8"))
    files = {}
    for folder in (ROOT / "seeds", ROOT / "tests" / "fixtures" / "diplomacy"):
        for path in sorted(folder.rglob("*")):
            if path.is_file() and path.suffix in (".txt", ".html"):
                files[path.name] = path.read_text("utf-8")
    queries = [(str(i), q["q"], set(q["relevant"])) for i, q in enumerate(spec["queries"])]
    return files, queries, {name: name for name in files}


# --- systems ----------------------------------------------------------------------------------
class SimpleWhoosh:
    """One text field, one analyzer, an OR query: the comparison rows."""

    def __init__(self, analyzer, files: dict, names: dict, workdir: Path):
        from search.ingest.html_page import main_text, parse_html

        schema = Schema(id=ID(stored=True), text=TEXT(analyzer=analyzer))
        ix = whoosh_index.create_in(str(workdir), schema)
        started = time.perf_counter()
        writer = ix.writer(limitmb=256)
        for name, text in files.items():
            if name.endswith(".html"):
                html = parse_html(text)  # the comparison rows index the same main text as ours
                text = html.page.title + "\n" + "\n".join(main_text(html))
            writer.add_document(id=names[name], text=text)
        writer.commit()
        self.docs_per_s = len(files) / (time.perf_counter() - started)
        self.searcher = ix.searcher(weighting=BM25F())
        self.parser = QueryParser("text", schema, group=OrGroup)

    def rank(self, q: str, limit: int) -> list[str]:
        # Drop the query syntax characters so every question parses as plain words.
        cleaned = "".join(ch if ch.isalnum() or ch.isspace() else " " for ch in q)
        results = self.searcher.search(self.parser.parse(cleaned), limit=limit)
        return [hit["id"] for hit in results]


class Engine:
    """The real thing: files on disk, `reindex`, `SearchEngine.rank`."""

    def __init__(self, files: dict, names: dict, workdir: Path):
        corpus = workdir / "corpus"
        corpus.mkdir()
        for name, text in files.items():
            (corpus / name).write_text(text, "utf-8")
        started = time.perf_counter()
        reindex(corpus, IndexStore(workdir / "index"))
        self.docs_per_s = len(files) / (time.perf_counter() - started)
        self.engine = SearchEngine(workdir / "index")
        self.by_doc_id = {doc_id(name): ident for name, ident in names.items()}

    def rank(self, q: str, limit: int) -> list[str]:
        return [self.by_doc_id[i] for i in self.engine.rank(q, limit=limit, mode="any")]


# --- metrics ----------------------------------------------------------------------------------
def evaluate(system, queries, fold: bool) -> dict:
    ndcg = p1 = r10 = r100 = 0.0
    started = time.perf_counter()
    for _, text, relevant in queries:
        ranked = system.rank(fold_accents(text) if fold else text, 100)
        gains = [1.0 if d in relevant else 0.0 for d in ranked[:10]]
        dcg = sum(g / math.log2(i + 2) for i, g in enumerate(gains))
        ideal = sum(1 / math.log2(i + 2) for i in range(min(len(relevant), 10)))
        ndcg += dcg / ideal
        p1 += 1.0 if ranked[:1] and ranked[0] in relevant else 0.0
        r10 += len(relevant & set(ranked[:10])) / len(relevant)
        r100 += len(relevant & set(ranked[:100])) / len(relevant)
    n = len(queries) or 1
    return {"ndcg10": ndcg / n, "p1": p1 / n, "r10": r10 / n, "r100": r100 / n,
            "ms_per_query": 1000 * (time.perf_counter() - started) / n}


def run(collection: str, files, queries, names, engine_only: bool = False) -> list[dict]:
    rows = []
    systems = [
        ("Whoosh StandardAnalyzer (baseline)", lambda d: SimpleWhoosh(StandardAnalyzer(), files, names, d)),
        ("ICU words + accent folding only", lambda d: SimpleWhoosh(plain_analyzer() | AccentFoldFilter(), files,
                                                                    names, d)),
        ("Full analyzer (engine)", lambda d: Engine(files, names, d)),
    ]
    if engine_only:
        systems = systems[-1:]
    for label, build in systems:
        workdir = Path(tempfile.mkdtemp(prefix="relevance-"))
        try:
            system = build(workdir)
            accented = evaluate(system, queries, fold=False)
            plain = evaluate(system, queries, fold=True)
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
        loss = (accented["ndcg10"] - plain["ndcg10"]) / accented["ndcg10"] if accented["ndcg10"] else 0.0
        rows.append({"collection": collection, "system": label, **accented, "ndcg10_unaccented": plain["ndcg10"],
                     "unaccented_loss": loss, "docs_per_s": system.docs_per_s, "queries": len(queries)})
        print(f"  {label}: nDCG@10 {accented['ndcg10']:.3f} (unaccented {plain['ndcg10']:.3f}), "
              f"{system.docs_per_s:.0f} docs/s", file=sys.stderr, flush=True)
    return rows


def table(rows: list[dict]) -> str:
    lines = ["| collection | system | nDCG@10 | P@1 | R@10 | R@100 | nDCG@10 unaccented | loss | index docs/s "
             "| ms/query |", "|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        lines.append(f"| {r['collection']} ({r['queries']} q) | {r['system']} | {r['ndcg10']:.3f} | {r['p1']:.3f} "
                     f"| {r['r10']:.3f} | {r['r100']:.3f} | {r['ndcg10_unaccented']:.3f} "
                     f"| {100 * r['unaccented_loss']:.1f}% | {r['docs_per_s']:.0f} | {r['ms_per_query']:.1f} |")
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sample", type=int, help="evaluate a random sample of ViNewsQA queries (seed 42)")
    ap.add_argument("--skip-vinewsqa", action="store_true")
    ap.add_argument("--engine-only", action="store_true", help="only the engine row (before/after a change)")
    ap.add_argument("--out", help="also write the table (markdown) to this file")
    args = ap.parse_args()
    rows = []
    if not args.skip_vinewsqa:
        if VINEWSQA.is_dir():
            print("ViNewsQA…", file=sys.stderr)
            rows += run("ViNewsQA", *load_vinewsqa(args.sample), engine_only=args.engine_only)
        else:
            print(f"ViNewsQA not found at {VINEWSQA}; skipped", file=sys.stderr)
    if DIPLOMACY.exists():
        print("party-diplomacy set…", file=sys.stderr)
        rows += run("party diplomacy", *load_diplomacy(), engine_only=args.engine_only)
    out = table(rows)
    print(out)
    if args.out:
        Path(args.out).write_text(out + "\n", "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
