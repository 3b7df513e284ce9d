"""Worst-case time of "did you mean" on hostile queries, against Whoosh's corrector in the same run.

    .venv/bin/python bench/suggest.py --docs 3000          # the figures in docs/suggest.md
    .venv/bin/python bench/suggest.py --docs 300 --rounds 1   # a quick look

The corpus is bench/speed.py's (VNTC articles, 2025-26 feed items, Reuters, from ../shared/corpus)
plus a few pages whose Russian titles hold words found nowhere else. The queries are the kind
that took 5.6–6.3 s before: 32 random words; 32 words each found in one document only; Russian
title-only words, misspelled and not; real words misspelled. Timed: `search.suggest.suggest`
alone (the vocabulary read when the generation opened), the whole `SearchEngine.search`, and the
reference, Whoosh's `searcher.corrector("body_fold").suggest(word, maxdist=2)` for each word that
matched nothing (as the engine did before), on the first few queries only (it takes seconds).
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.speed import build_corpus  # noqa: E402
from search.engine import SearchEngine, SearchRequest  # noqa: E402
from search.executor import Executor  # noqa: E402
from search.indexing.reindex import reindex  # noqa: E402
from search.indexing.store import IndexStore  # noqa: E402
from search.postings import Deadline, SearchTimeout  # noqa: E402
from search.query_builder import QueryBuilder  # noqa: E402
from search.querylang import parse  # noqa: E402
from search.ranking import evaluate  # noqa: E402
from search.readers import leased  # noqa: E402
from search.suggest import suggest  # noqa: E402

RUSSIAN_TITLES = [
    "Делегация Коммунистической партии Вьетнама посетила Хабаровск и Владивосток",
    "Единая Россия и КПВ обсудили межпартийное сотрудничество в Новосибирске",
    "Переговоры в Екатеринбурге: укрепление всеобъемлющего стратегического партнёрства",
    "Международный отдел ЦК провёл семинар в Калининграде",
]


def russian_pages(target: Path) -> list[str]:
    words = []
    for i, title in enumerate(RUSSIAN_TITLES):
        (target / f"ru-{i}.txt").write_text(f"{title}\n\nHai bên trao đổi về hợp tác giữa hai Đảng.\n", "utf-8")
        words += [w.strip(":,.").lower() for w in title.split() if len(w) > 5]
    return words


def misspell(word: str, rng: random.Random) -> str:
    i = rng.randrange(1, len(word) - 1)
    return word[:i] + word[i + 1] + word[i] + word[i + 2:]


def hostile_queries(engine: SearchEngine, russian: list[str], rng: random.Random) -> list[tuple[str, str]]:
    letters = "abcdefghijklmnopqrstuvwxyz"
    gen = engine.generation()
    reader = gen.searcher.reader()
    singletons = [t.decode("utf-8") if isinstance(t, bytes) else t for t, info in reader.iter_field("body_fold")
                  if info.doc_frequency() == 1 and len(t) >= 6 and t.isalpha()][:5000]
    common = [w for (first, length), (words, counts) in gen.vocabulary.get(None).buckets.items()
              for w, n in zip(words, counts, strict=True) if n >= 5 and length >= 6][:5000]
    queries = []
    for _ in range(3):
        queries.append(("32 random words", " ".join("".join(rng.choice(letters) for _ in range(rng.randint(5, 9)))
                                                     for _ in range(32))))
        queries.append(("32 rare words", " ".join(rng.sample(singletons, min(32, len(singletons))))))
        misspelled = [misspell(w, rng) for w in rng.sample(common, min(32, len(common)))]
        queries.append(("32 misspelled words", " ".join(misspelled)))
    queries.append(("Russian title-only words", " ".join(russian)))
    queries.append(("Russian title-only words, misspelled", " ".join(misspell(w, rng) for w in russian)))
    queries.append(("one misspelled word", misspell(rng.choice(common), rng)))
    return queries


def time_suggest(engine: SearchEngine, q: str) -> float:
    with leased(engine.generation()) as gen:
        builder = QueryBuilder(gen.searcher.reader(), gen.people, engine.registry)

        def count(parsed, seconds) -> int | None:  # as the engine does, without the filters
            probe = Executor(gen.postings, Deadline.after(max(seconds, 1e-6)))
            try:
                return int(evaluate(builder.plan(parsed, "all"), probe, gen.facets).mask.sum())
            except SearchTimeout:
                return None

        parsed = parse(q)
        builder.plan(parsed)  # as in a search: the query was planned (and its names looked up) first
        started = time.perf_counter()
        suggest(parsed, 0, gen.vocabulary.get(None), count)
        return 1000 * (time.perf_counter() - started)


def time_whoosh_corrector(engine: SearchEngine, q: str) -> float:
    from search.analysis import tokens

    with leased(engine.generation()) as gen:
        corrector = gen.searcher.corrector("body_fold")
        reader = gen.searcher.reader()
        started = time.perf_counter()
        for word in q.split():
            folded = tokens("folded", word)
            if len(folded) == 1 and len(folded[0]) >= 4 and reader.doc_frequency("body_fold", folded[0]) == 0:
                corrector.suggest(folded[0], limit=1, maxdist=2)
        return 1000 * (time.perf_counter() - started)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=3000)
    ap.add_argument("--rounds", type=int, default=3, help="timings per query; the worst is reported")
    ap.add_argument("--reference", type=int, default=3, help="queries timed with Whoosh's corrector")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-suggest-"))
    try:
        corpus = work / "corpus"
        corpus.mkdir()
        n = build_corpus(corpus, args.docs)
        russian = russian_pages(corpus)
        print(f"corpus: {n} pages + {len(RUSSIAN_TITLES)} Russian-titled; indexing…", file=sys.stderr, flush=True)
        reindex(corpus, IndexStore(work / "index"))
        engine = SearchEngine(work / "index", time_limit=None)
        opened = time.perf_counter()
        engine.generation().vocabulary.get(None)
        print(f"generation opened and its vocabulary read in {time.perf_counter() - opened:.2f} s", file=sys.stderr)
        rows = []
        for i, (kind, q) in enumerate(hostile_queries(engine, russian, random.Random(11))):
            ours = max(time_suggest(engine, q) for _ in range(args.rounds))
            search_ms = max(engine.search(SearchRequest(q=q))["took_ms"] for _ in range(args.rounds))
            ref = time_whoosh_corrector(engine, q) if i < args.reference else None
            rows.append((kind, ours, search_ms, ref))
            print(f"  {kind}: suggest {ours:.1f} ms, search {search_ms:.1f} ms"
                  + (f", Whoosh corrector {ref:.0f} ms" if ref is not None else ""), file=sys.stderr, flush=True)
        print(f"| query ({n + len(RUSSIAN_TITLES)} documents) | did you mean, worst of {args.rounds} (ms) "
              "| whole search, worst (ms) | Whoosh corrector, before (ms) |")
        print("|---|---|---|---|")
        for kind, ours, search_ms, ref in rows:
            print(f"| {kind} | {ours:.1f} | {search_ms:.1f} | {'' if ref is None else f'{ref:.0f}'} |")
        print(f"\nworst did-you-mean: {max(r[1] for r in rows):.1f} ms; median "
              f"{statistics.median(r[1] for r in rows):.1f} ms")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
