"""Delegates, mentioned people and outlets measured on real articles labelled by hand.

    .venv/bin/python -m bench.entities                 # the labelled set (tests/data/entities)
    .venv/bin/python -m bench.entities --errors vi     # list the misses and false delegates in vi
    .venv/bin/python -m bench.entities --pages         # outlets of ../shared/eval/extraction pages
    .venv/bin/python -m bench.entities --skip-labelled --archive 25000 --out top.tsv  # most frequent delegates
    .venv/bin/python -m bench.entities --speed DIR     # ms per article for the entity steps

The labelled set: `tests/data/entities/articles.jsonl` (see README there). A gold name may list
spellings of one person as `a|b`; a delegate found matches a gold person when their identity
keys (or registry entries) agree. Precision counts every delegate found that is not a labelled
participant (a mentioned person, a place, a duplicate of someone already matched).
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import time
from collections import defaultdict
from pathlib import Path

from search.metadata.folding import CYRILLIC, identity_key
from search.metadata.names import HAN, ZH_TITLES, is_place, normalise_cyrillic
from search.metadata.outlets import UNKNOWN, OutletRegistry
from search.metadata.people import DelegateExtractor, PeopleRegistry

ROOT = Path(__file__).resolve().parent.parent
LABELLED = ROOT / "tests" / "data" / "entities" / "articles.jsonl"
SHARED = ROOT.parent / "shared"
LANGS = ("vi", "en", "zh", "ru")
TITLE_FRAGMENT = re.compile("|".join(map(re.escape, ZH_TITLES)) + r"|^(?:处|会|部|长)")


def load_labelled(path: Path = LABELLED) -> list[dict]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def person_keys(registry: PeopleRegistry, name: str) -> set[str]:
    """Every key a gold name (with `|` alternatives) answers to."""
    keys = set()
    for alt in name.split("|"):
        entry = registry.canonical(alt)
        keys.add(entry.key if entry else identity_key(normalise_cyrillic(alt) if CYRILLIC.search(alt) else alt))
    return keys


def score_article(article: dict, extractor: DelegateExtractor, registry: PeopleRegistry) -> dict:
    found = extractor.extract_people(article["title"] + "\n" + article["text"])
    gold = [person_keys(registry, n) for n in article["participants"]]
    mentioned_gold = [person_keys(registry, n) for n in article.get("mentioned", [])]
    matched = [False] * len(gold)
    false = []
    for person in found.delegates:
        keys = {person.key} | {k for f in person.forms for k in person_keys(registry, f)}
        hit = next((i for i, g in enumerate(gold) if g & keys and not matched[i]), None)
        if hit is None:
            false.append(person.name)
        else:
            matched[hit] = True
    missed = [n for n, m in zip(article["participants"], matched, strict=True) if not m]
    # Mentioned people: how many of the labelled ones were put in `mentioned` (not lost, not delegates).
    mentioned_keys = {p.key for p in found.mentioned} | {k for p in found.mentioned for f in p.forms
                                                           for k in person_keys(registry, f)}
    mentioned_hit = sum(1 for g in mentioned_gold if g & mentioned_keys)
    fragments = [p.name for p in found.delegates if is_place(p.name) or (HAN.search(p.name)
                                                                           and TITLE_FRAGMENT.search(p.name))]
    return {"tp": sum(matched), "fp": len(false), "fn": len(missed), "false": false, "missed": missed,
            "mentioned_gold": len(mentioned_gold), "mentioned_hit": mentioned_hit, "fragments": fragments}


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def labelled_report(articles: list[dict], split: str | None, errors: str | None) -> dict:
    registry = PeopleRegistry.load()
    extractor = DelegateExtractor(registry)
    outlets = OutletRegistry.load()
    totals: dict[str, dict] = defaultdict(lambda: defaultdict(int))
    outlet_right = outlet_unknown = 0
    fragments = []
    for a in articles:
        s = score_article(a, extractor, registry)
        for group in (a["language"], "all"):
            for k in ("tp", "fp", "fn", "mentioned_gold", "mentioned_hit"):
                totals[group][k] += s[k]
            totals[group]["n"] += 1
        fragments += s["fragments"]
        outlet = outlets.resolve(url=a["url"])
        outlet_right += outlet.key == a["outlet"]
        outlet_unknown += outlet.key == UNKNOWN
        if errors in (a["language"], "all") and (s["false"] or s["missed"]):
            print(f"- {a['url'][:90]}\n    false: {s['false']}\n    missed: {s['missed']}")
        if errors and outlet.key != a["outlet"]:
            print(f"- outlet {outlet.key!r} != {a['outlet']!r}: {a['url'][:90]}")
    print(f"\nDelegates on {len(articles)} labelled articles ({split or 'all'}):")
    print("| language | articles | precision | recall | F1 | mentioned kept apart |")
    print("|---|---|---|---|---|---|")
    result = {}
    for group in (*LANGS, "all"):
        t = totals[group]
        if not t["n"]:
            continue
        p, r, f = prf(t["tp"], t["fp"], t["fn"])
        kept = t["mentioned_hit"] / t["mentioned_gold"] if t["mentioned_gold"] else 1.0
        result[group] = {"precision": p, "recall": r, "f1": f, "n": t["n"]}
        print(f"| {group} | {t['n']} | {p:.3f} | {r:.3f} | {f:.3f} | {kept:.2f} |")
    n = len(articles)
    print(f"\nOutlet from the URL: right {outlet_right}/{n} ({outlet_right / n:.1%}), "
          f"unknown {outlet_unknown}/{n} ({outlet_unknown / n:.1%})")
    print(f"Places or title fragments among delegates found: {len(fragments)} {fragments[:10]}")
    return result


def pages_report() -> None:
    """Outlets of real HTML pages we did not write: the outlet ingestion gives each page (from the
    page's own canonical URL, og:url, site name, byline) against the site it was crawled from."""
    from search.ingest.loader import CorpusFile, Ingestor

    truth_file = SHARED / "eval" / "extraction" / "truth.jsonl"
    if not truth_file.exists():
        print(f"skipped: {truth_file} not found")
        return
    ingestor = Ingestor()
    outlets = ingestor.outlets
    right = unknown = total = 0
    wrong = []
    for line in truth_file.read_text("utf-8").splitlines():
        row = json.loads(line)
        expected = outlets.site(row.get("url"))
        if expected is None:
            continue
        total += 1
        try:
            article = ingestor.load(CorpusFile(row["file"], truth_file.parent / row["file"]))
        except Exception as e:  # a page ingestion refuses counts as unknown
            print(f"  {row['file']}: {e}", file=sys.stderr)
            unknown += 1
            continue
        if article.outlet == UNKNOWN:
            unknown += 1
        elif article.outlet == expected.key:
            right += 1
        else:
            wrong.append((row["file"], article.outlet, expected.key))
    print(f"\nOutlets of {total} real pages (shared/eval/extraction, site known from the crawl URL):")
    print(f"right {right} ({right / total:.1%}), unknown {unknown} ({unknown / total:.1%}), wrong {len(wrong)}")
    for w in wrong[:20]:
        print("  wrong:", w)


ARCHIVE_SHARES = (("vntc.jsonl.gz", 14), ("vn_rss_2025_2026.jsonl.gz", 8), ("reuters21578.jsonl.gz", 3))


def archive_rows(n: int):
    """`n` real articles of ../shared/corpus as text: VNTC, the 2025-26 Vietnamese feeds and Reuters
    in the shares of ARCHIVE_SHARES (14:8:3), every k-th row of each file so that all sections count."""
    from bench.corpus_rows import page_fields

    total = sum(share for _, share in ARCHIVE_SHARES)
    for name, share in ARCHIVE_SHARES:
        path = SHARED / "corpus" / name
        if not path.exists():
            print(f"skipped: {path} not found", file=sys.stderr)
            continue
        want = n * share // total
        with gzip.open(path, "rt", encoding="utf-8") as f:
            rows = sum(1 for _ in f)
        step = max(1, rows // want)
        with gzip.open(path, "rt", encoding="utf-8") as f:
            taken = 0
            for i, line in enumerate(f):
                if i % step or taken >= want:
                    continue
                taken += 1
                title, body, *_ = page_fields(name, json.loads(line))
                yield name, f"{title}\n{body}"


def archive_report(n: int, top: int = 500, out: Path | None = None) -> None:
    """Delegates of `n` real articles (archive_rows): the `top` most frequent values, to be read for
    places, organisations and fragments, and how many of them the gazetteer test flags."""
    extractor = DelegateExtractor(PeopleRegistry.load())
    counts: dict[str, int] = defaultdict(int)
    articles: dict[str, int] = defaultdict(int)
    started = time.perf_counter()
    done = 0
    for name, text in archive_rows(n):
        done += 1
        articles[name] += 1
        for p in extractor.extract_people(text).delegates:
            counts[p.name] += 1
        if done % 5000 == 0:
            print(f"  {done} articles, {time.perf_counter() - started:.0f} s", file=sys.stderr)
    seconds = time.perf_counter() - started
    ranked = sorted(counts.items(), key=lambda x: (-x[1], x[0]))
    flagged = [k for k, _ in ranked if is_place(k) or (HAN.search(k) and TITLE_FRAGMENT.search(k))]
    print(f"\n{done} articles ({', '.join(f'{k} {v}' for k, v in articles.items())}) in {seconds:.0f} s "
          f"({seconds / max(done, 1) * 1000:.1f} ms each): {len(counts)} distinct delegates; "
          f"places/title fragments by the gazetteer test: {len(flagged)} "
          f"(top 200: {sum(1 for k, _ in ranked[:200] if k in flagged)}, "
          f"top 500: {sum(1 for k, _ in ranked[:500] if k in flagged)})")
    lines = [f"{i + 1}\t{c}\t{k}" for i, (k, c) in enumerate(ranked[:top])]
    if out:
        out.write_text("\n".join(lines) + "\n", "utf-8")
        print(f"the {min(top, len(ranked))} most frequent delegates written to {out} (rank, count, name)")
    else:
        print("\n".join(lines))


def speed_report(folder: Path, limit: int) -> None:
    """The steps #13 changed (outlet from a page's head, credits, delegates and mentioned people),
    per article, over the first `limit` files of `folder`: CPU time of this process, best of 3 (a
    shared machine's load does not count). Runs on older code too (`extract` before `extract_people`
    existed): put the older tree first on PYTHONPATH and run this file, for a before/after."""
    texts = [p.read_text("utf-8") for p in sorted(folder.iterdir())[:limit]]
    outlets, extractor = OutletRegistry.load(), DelegateExtractor(PeopleRegistry.load())
    new = hasattr(extractor, "extract_people")
    people_only = float("inf")
    whole = float("inf")
    for _ in range(3):
        started = time.process_time()
        for text in texts:
            (extractor.extract_people if new else extractor.extract)(text)
        people_only = min(people_only, time.process_time() - started)
        started = time.process_time()
        for text in texts:
            head = text.splitlines()[:15]
            if new:
                extractor.extract_people(text)
                outlets.resolve(head=head)
                outlets.credits(text)
            else:
                extractor.extract(text)
                outlets.match_page(head)
        whole = min(whole, time.process_time() - started)
    n = len(texts)
    print(f"\n{n} articles, CPU ms per article (best of 3): people {people_only / n * 1000:.3f}, "
          f"people + outlet + credits {whole / n * 1000:.3f}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", choices=("dev", "heldout", "fresh", "fresh2"), help="only one part of the labelled set")
    ap.add_argument("--errors", metavar="LANG", help="print the errors for a language (or 'all')")
    ap.add_argument("--pages", action="store_true", help="outlets of ../shared/eval/extraction pages")
    ap.add_argument("--archive", type=int, metavar="N", help="delegates of N articles of ../shared/corpus")
    ap.add_argument("--top", type=int, default=500, help="--archive: how many of the most frequent to list")
    ap.add_argument("--out", type=Path, help="--archive: write the list to this file")
    ap.add_argument("--skip-labelled", action="store_true", help="only the --pages/--archive/--speed reports")
    ap.add_argument("--speed", type=Path, metavar="DIR", help="time the entity steps on the files of DIR")
    ap.add_argument("--limit", type=int, default=1200, help="files for --speed (default 1200)")
    args = ap.parse_args(argv)
    articles = [] if args.skip_labelled else load_labelled()
    if args.skip_labelled:
        pass
    elif args.split:
        articles = [a for a in articles if a.get("split", "dev") == args.split]
        labelled_report(articles, args.split, args.errors)
    else:
        for split in ("dev", "heldout", "fresh", "fresh2"):
            part = [a for a in articles if a.get("split", "dev") == split]
            if part:
                labelled_report(part, split, args.errors)
        labelled_report(articles, None, None)
    if args.pages:
        pages_report()
    if args.archive:
        archive_report(args.archive, args.top, args.out)
    if args.speed:
        speed_report(args.speed, args.limit)
    return 0


if __name__ == "__main__":
    sys.exit(main())
