"""Parity: the same corpus indexed by both backends answers 50 queries (accented, unaccented,
phrases, fields, filters, dates, sorts) with the same totals, facet counts, timelines, notes and
filter chips, and the same first ten hits up to a stated tolerance.

Corpus: the seeds, the diplomacy fixtures and 2,000 articles from ../shared/corpus (300 recombined
pages when ../shared is absent), built once for the module.

Tolerance for the first ten (see docs/opensearch.md): Lucene sums a word's per-field BM25 where
the Whoosh path saturates them once (BM25F), uses one-byte field lengths, and has no proximity
bonus, so the order and the tail of the top ten can differ. Asserted: for relevance, the first
hit of each backend is in the other's top ten (MIN_TOP1 of the queries), and the top-ten sets share
at least MIN_OVERLAP of their hits on average and at least MIN_OVERLAP_EACH on every query;
for date orders, the dates of the first ten are the same, in the same order (ties may swap ids).
"""

from __future__ import annotations

import os
import statistics
import uuid

import pytest

from tests.opensearch_support import build_parity_corpus, opensearch_url  # noqa: F401  (fixture)

MIN_OVERLAP = 0.8  # mean share of the top ten held by both backends
MIN_OVERLAP_EACH = 0.5
MIN_TOP1 = 0.95  # queries whose first hit is in the other backend's top ten

QUERIES = [  # (query, other request parameters)
    # accented Vietnamese
    ("hợp tác", {}), ("Đảng Cộng sản", {}), ("chính đảng", {}), ("an ninh", {}), ("kinh tế", {}),
    ("bóng đá", {}), ("giáo dục", {}), ("hòa bình", {}), ("hoà bình", {}), ("bàn tròn", {}),
    ("Hoàng Bình Quân", {}), ("Tống Đào", {}), ("thị trường chứng khoán", {}), ("giá vàng", {}),
    ("Hà Nội", {}), ("xuất khẩu gạo", {}),
    # unaccented
    ("hop tac", {}), ("dang cong san", {}), ("hoang binh quan", {}), ("kinh te", {}), ("bao hiem y te", {}),
    ("an ninh", {"language": ["vi"]}), ("ha noi", {}), ("bong da", {}),
    # English and Chinese
    ("oil prices", {}), ("trade deficit", {}), ("party delegation", {}), ("Song Tao", {}), ("宋涛", {}),
    ("communist parties", {}),
    # phrases, prefixes, boolean, fields
    ('"hợp tác an ninh"', {}), ('"an ninh"', {}), ('"giá vàng"', {}), ("parti*", {}), ("chính*", {}),
    ("Cuba OR Japan", {}), ("kinh tế -chứng", {}), ("title:Covid", {}), ("title:\"bàn tròn\"", {}),
    ("outlet:vnexpress kinh tế", {}), ("lang:en oil", {}), ("delegate:\"Song Tao\"", {}),
    # filters and dates
    ("", {"outlet": ["tuoitre"]}), ("thành phố", {"year": ["2025"]}), ("xuất khẩu", {"date_from": "2025-09-01",
                                                                                  "date_to": "2025-12-31"}),
    ("date:2020 đảng", {}), ("date:2025-10", {}), ("", {"year": ["2025"], "month": ["2025-11"]}),
    ("kinh tế", {"sort": "newest"}), ("", {"sort": "oldest"}),
]


class MemoIngestor:
    """The real Ingestor, remembering each article it made (by path and content hash)."""

    def __init__(self):
        from search.ingest.loader import Ingestor

        self.real = Ingestor()
        self.made = {}

    def read(self, file):
        return self.real.read(file)

    def load(self, file, data=None, digest=None):
        key = (file.rel, digest)
        if key not in self.made:
            self.made[key] = self.real.load(file, data, digest)
        return self.made[key]


@pytest.fixture(scope="module")
def backends(opensearch_url, tmp_path_factory):  # noqa: F811
    from search.backends.opensearch.engine import OpenSearchEngine
    from search.backends.opensearch.indexer import reindex_opensearch
    from search.backends.opensearch.settings import OpenSearchSettings
    from search.engine import SearchEngine
    from search.indexing.reindex import reindex
    from search.indexing.store import IndexStore

    root = tmp_path_factory.mktemp("parity")
    corpus = root / "corpus"
    corpus.mkdir()
    kind = build_parity_corpus(corpus)
    ingestor = MemoIngestor()  # each file read and parsed once for both backends
    whoosh_report = reindex(corpus, IndexStore(root / "index"), ingestor=ingestor)
    settings = OpenSearchSettings.resolve(url=opensearch_url, index=f"parity-{uuid.uuid4().hex[:8]}")
    engine = OpenSearchEngine(settings, time_limit=None)
    try:
        os_report = reindex_opensearch(corpus, settings, ingestor=ingestor)
        assert (whoosh_report.added, whoosh_report.failed) == (os_report.added, os_report.failed)
        yield SearchEngine(root / "index", time_limit=None), engine, kind, os_report.added
    finally:
        engine.client.indices.delete(index=f"{settings.index}-*,{settings.index}.lock")


def test_fifty_queries(backends):
    from search.request import SearchRequest

    whoosh, opensearch, kind, documents = backends
    assert len(QUERIES) == 50
    assert documents >= (2000 if kind == "shared" else 300)
    overlaps, top1, problems = [], 0, []
    verbose = bool(os.environ.get("PARITY_VERBOSE"))
    for q, params in QUERIES:
        request = SearchRequest(q=q, **params)
        a, b = whoosh.search(request), opensearch.search(request)
        where = f"{q!r} {params}"
        if a["total"] != b["total"]:
            problems.append(f"{where}: total {a['total']} (Whoosh) vs {b['total']} (OpenSearch)")
        if a["facets"] != b["facets"]:
            problems.append(f"{where}: facets differ\n  {a['facets']}\n  {b['facets']}")
        if (a["mode"], a["filters"], a["notes"]) != (b["mode"], b["filters"], b["notes"]):
            problems.append(f"{where}: mode/filters/notes differ")
        if a["timeline"] != b["timeline"]:
            problems.append(f"{where}: timelines differ\n  {a['timeline']}\n  {b['timeline']}")
        ids_a, ids_b = [h["id"] for h in a["hits"]], [h["id"] for h in b["hits"]]
        if request.sort != "relevance" or not q.replace("date:", "").strip(" 0123456789-"):
            dates_a, dates_b = [h["date"] for h in a["hits"]], [h["date"] for h in b["hits"]]
            if dates_a != dates_b:
                problems.append(f"{where}: dates of the first ten differ\n  {dates_a}\n  {dates_b}")
            continue
        if not ids_a and not ids_b:
            continue
        overlap = len(set(ids_a) & set(ids_b)) / max(len(ids_a), len(ids_b))
        overlaps.append(overlap)
        top1 += ids_a[:1] == [] or ids_a[0] in ids_b and ids_b[0] in ids_a
        if overlap < MIN_OVERLAP_EACH:
            problems.append(f"{where}: only {overlap:.0%} of the first ten in common")
        if verbose:
            print(f"{overlap:.1f} {ids_a[:1] == ids_b[:1]!s:5} {where}")
    print(f"\nparity on {documents} articles ({kind}): mean top-10 overlap {statistics.fmean(overlaps):.3f}, "
          f"min {min(overlaps):.1f}, first hit in the other's top ten {top1}/{len(overlaps)}")
    assert not problems, "\n".join(problems)
    assert statistics.fmean(overlaps) >= MIN_OVERLAP
    assert top1 >= MIN_TOP1 * len(overlaps)


# --- did you mean ----------------------------------------------------------------------------------
# Misspelled queries: a word that matches nothing (corrected, its results shown), a rare word near a
# common one (suggested), a word that is right (left alone), and a misspelling among right words.
MISSPELLED = ["medvedv", "medvedv kazakhstan", "goverment", "cooperaton", "commnist party", "econmy",
              "petrolem", "chinh phuu", "bao hiiem", "xuat khauu", "Nguyen Tan Dugn", "thi truong chung khaon",
              "curreny", "pericles", "thanks", "mounts", "choan", "xuyet", "petroleum", "giao duc",
              "bong daa", "kinh tế curreny", "hanoi", "zqxvw"]


def test_did_you_mean_is_the_same(backends, monkeypatch):
    """search.suggest decides on both backends; OpenSearch's nearby words (a term suggester per
    field) must lead it to the same suggestion, the same confident correction and the same total."""
    import search.backends.opensearch.engine as opensearch_engine
    import search.suggest
    from search.request import SearchRequest

    monkeypatch.setattr(search.suggest, "SUGGEST_BUDGET", 60.0)  # what is suggested is tested here, not speed
    monkeypatch.setattr(opensearch_engine, "SUGGEST_BUDGET", 60.0)
    whoosh, opensearch, kind, _ = backends
    problems, changed = [], 0
    for q in MISSPELLED:
        for as_typed in (False, True):
            request = SearchRequest(q=q, as_typed=as_typed)
            a, b = whoosh.search(request), opensearch.search(request)
            seen = tuple((r["total"], r["suggestion"], r["corrected"], r["mode"]) for r in (a, b))
            if seen[0] != seen[1]:
                problems.append(f"{q!r} as_typed={as_typed}: Whoosh {seen[0]}, OpenSearch {seen[1]}")
            changed += bool(a["suggestion"] or a["corrected"])
    assert not problems, "\n".join(problems)
    # the test means something: most of these are corrected or get a suggestion (on the shared corpus)
    assert changed >= (25 if kind == "shared" else 4), changed


# --- every value of a facet, past the terms aggregation's cap ----------------------------------------
def test_every_value_of_a_facet_past_the_cap_is_the_same(backends, monkeypatch):
    """The /facets/<name> pages (search.value_list: every value, 50 a page, a filter box) with the
    terms aggregation capped at 3 values and the composite walk at 100 a request, so that every
    facet with more values is walked (the 443 delegates of the shared corpus in five requests):
    the same values, counts and pages as on Whoosh."""
    from search.backends.opensearch import engine as opensearch_engine
    from search.backends.opensearch import facets
    from search.request import SearchRequest
    from search.value_list import value_list

    monkeypatch.setattr(facets, "MAX_BUCKETS", 3)
    monkeypatch.setattr(facets, "COMPOSITE_PAGE", 100)
    whoosh, opensearch, kind, _ = backends
    opensearch._state = None
    walked = []
    real_capped = facets.capped
    monkeypatch.setattr(opensearch_engine, "capped", lambda aggs: walked.extend(real_capped(aggs)) or real_capped(aggs))
    problems, longest = [], 0
    for q, params in [("", {}), ("hợp tác", {}), ("party", {}), ("", {"language": ["vi"]}),
                      ("kinh tế", {"outlet": ["vnexpress"]}), ("", {"year": ["2025"]})]:
        for name in ("outlet", "delegate", "language", "year"):
            for contains, vpage in [("", 1), ("", 2), ("an", 1), ("nguyen", 1)]:
                request = SearchRequest(q=q, **params)
                a = value_list(whoosh, request, name, contains, vpage)
                b = value_list(opensearch, request, name, contains, vpage)
                longest = max(longest, a["total_values"])
                if a != b:
                    problems.append(f"{q!r} {params} {name} contains={contains!r} vpage={vpage}:\n  {a}\n  {b}")
        a, b = whoosh.search(SearchRequest(q=q, **params)), opensearch.search(SearchRequest(q=q, **params))
        if a["facets"] != b["facets"]:  # the top ten and the number of values, on the search page too
            problems.append(f"{q!r} {params}: search facets differ\n  {a['facets']}\n  {b['facets']}")
    assert not problems, "\n".join(problems[:5])
    assert {"outlet", "delegate"} <= set(walked)  # the walk was taken, not the terms aggregation alone
    assert longest > (100 if kind == "shared" else 3)  # some list had more than one page of values
