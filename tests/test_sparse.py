"""Sparse evaluation (search.executor): a query is evaluated on the documents its postings hold,
with arrays of one slot per document only for common words. Every answer (hits, order, scores,
totals, facet counts, timeline, suggestions) must be exactly what the dense evaluation gives:
here the same index answers many queries through the executor forced sparse, forced dense, as
shipped, and through a reference that evaluates every node over all documents as the executor
did before sparse evaluation."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from whoosh import query as wq

import search.engine as engine_module
import search.executor as executor_module
import search.results as results_module
from search.analysis import tokens
from search.engine import SearchEngine, SearchRequest
from search.executor import K1, TITLE_B, B, Executor, Matches, WordInFields
from search.facets import FACETS
from search.indexing.reindex import reindex
from search.indexing.store import IndexStore
from search.postings import PostingsCache
from tests.conftest import FIXTURES, build_index


class DenseReference(Executor):
    """Every node a boolean mask and a score over all documents (the executor before sparse
    evaluation), turned into `Matches` only at the root."""

    def match(self, query) -> Matches:
        mask, score = self.dense(query)
        docs = np.flatnonzero(mask)
        return Matches(docs, score[docs])

    def mask(self, query) -> np.ndarray:  # counts too (Executor.mask skips the scores)
        return self.dense(query)[0]

    def dense(self, q):
        self.deadline.check()
        n = self.n
        mask, score = np.zeros(n, dtype=bool), np.zeros(n, dtype=np.float64)
        kind = type(q).__name__.lstrip("_")
        if kind == "Term":
            p = self.postings.term(q.fieldname, q.text)
            if len(p.docs):
                mask[p.docs] = True
                score[p.docs] = self._bm25(q.fieldname, p.docs, p.tf, self.postings.idf(q.fieldname, q.text)) * q.boost
        elif kind == "Phrase":
            docs, tf = self.phrase_matches(q.fieldname, list(q.words))
            if len(docs):
                mask[docs] = True
                idf = sum(self.postings.idf(q.fieldname, w) for w in q.words)
                score[docs] = self._bm25(q.fieldname, docs, tf, idf) * q.boost
        elif kind == "Every":
            mask[:] = True
        elif kind == "WordInFields":
            weighted_tf, idf = np.zeros(n, dtype=np.float64), 0.0
            for term in q.subqueries:
                p = self.postings.term(term.fieldname, term.text)
                if not len(p.docs):
                    continue
                mask[p.docs] = True
                if not term.boost:
                    continue
                b = TITLE_B if term.fieldname.startswith("title") else B
                norm = (1 - b) + b * self.postings.lengths(term.fieldname)[p.docs] / self.postings.avg_length(
                    term.fieldname)
                weighted_tf[p.docs] += term.boost * p.tf / norm
                if not term.fieldname.startswith("title"):
                    idf = max(idf, self.postings.idf(term.fieldname, term.text))
            if not idf:
                idf = max((self.postings.idf(t.fieldname, t.text) for t in q.subqueries), default=0.0)
            tf = weighted_tf[mask]
            score[mask] = idf * tf * (K1 + 1) / (tf + K1) * q.boost
        elif kind == "Or":
            for child in q.subqueries:
                m, s = self.dense(child)
                mask |= m
                score += s
        elif kind == "And":
            parts = [self.dense(child) for child in q.subqueries]
            if parts:
                mask, score = parts[0][0].copy(), parts[0][1].copy()
                for m, s in parts[1:]:
                    mask &= m
                    score += s
                score[~mask] = 0.0
        elif kind == "AndNot":
            (am, a_score), (bm, _) = self.dense(q.a), self.dense(q.b)
            mask = am & ~bm
            score = np.where(mask, a_score, 0.0)
        elif kind == "AndMaybe":
            (am, a_score), (_, b_score) = self.dense(q.a), self.dense(q.b)
            mask, score = am, a_score + np.where(am, b_score, 0.0)
        elif kind != "NullQuery":
            raise TypeError(kind)
        if kind in ("Or", "And", "AndNot", "AndMaybe") and q.boost != 1.0:
            score = score * q.boost
        return mask, score


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    """The seeds and the diplomacy fixtures, then one article deleted (a deleted document's postings
    stay in the segment: the live mask must drop it on both paths)."""
    root = tmp_path_factory.mktemp("sparse")
    corpus, index = build_index(root, {"diplomacy": FIXTURES / "diplomacy"})
    victim = sorted((corpus / "diplomacy").glob("*.txt"))[0]
    victim.unlink()
    reindex(corpus, IndexStore(index))
    gen = SearchEngine(index).generation()
    assert not gen.facets.live.all(), "the deleted article's document should still be in its segment"
    return index


def queries(index) -> list[tuple[str, dict]]:
    """Typed queries of every kind, plus two- and three-word runs from every indexed title (with and
    without marks), each alone, with a facet selected, sorted by date, and on page 2."""
    engine = SearchEngine(index)
    gen = engine.generation()
    titles = [json.loads(f["record"])["title"] for f in gen.searcher.all_stored_fields()]
    typed = ["hoang binh quan", "hội nghị an ninh", '"hợp tác an ninh"', "Song Tao", "kinh te", "",
             "Cuba OR Japan", "an ninh -covid", "hợp tác NOT kinh", "parti*", "hợp*", "title:Lào",
             '"an ninh" OR "kinh tế"', "delegate:\"Song Tao\"", "lang:en party", "đảng cộng sản việt nam",
             "dang cong san", "Trung Quốc Việt Nam", "xyzzy nothing", "hôi nghi", "Lao OR Laos OR Лаос",
             "date:2020 hợp tác", "đoàn đại biểu", "Коммунистической партии", "中国共产党", "the and of"]
    words = []
    for title in titles:
        w = [x for x in re.sub(r"[^\w]+", " ", title).split() if not x.isdigit()]
        for k in (1, 2, 3):
            if len(w) >= k:
                words.append(" ".join(w[len(w) // 3:len(w) // 3 + k]))
    out = []
    for q in typed + words:
        out.append((q, {}))
    for q in typed[:12]:
        out += [(q, {"language": ["vi"]}), (q, {"language": ["en", "vi"], "sort": "oldest"}),
                (q, {"sort": "newest"}), (q, {"page": 2, "page_size": 3})]
    return out


def answers(index, executor, share: float | None, asked) -> list[dict]:
    """`share`: the executor's DENSE_SHARE, and facets counted over a mask (0.0) or over the hits
    (infinity) whatever their number; None: as shipped."""
    with pytest.MonkeyPatch.context() as m:
        m.setattr(engine_module, "Executor", executor)
        if share is not None:
            m.setattr(executor_module, "DENSE_SHARE", share)
            m.setattr(results_module, "SPARSE_FACETS", share)
        engine = SearchEngine(index)
        out = []
        for q, kw in asked:
            result = engine.search(SearchRequest(q=q, facet_limit=50, **kw))
            result.pop("took_ms")
            out.append(result)
        return out


def test_sparse_and_dense_evaluation_give_identical_answers(index):
    asked = queries(index)
    assert len(asked) > 120
    reference = answers(index, DenseReference, None, asked)
    assert sum(r["total"] > 0 for r in reference) > 100  # the queries find things
    assert any(0 < r["total"] < 5 for r in reference)  # rare words
    assert any(len(r["hits"]) > 1 and r["hits"][0]["score"] for r in reference)
    assert any(r["without_diacritics"] for r in reference)  # counted by Executor.docs when shipped
    assert not any(h["path"].endswith("d01_vna_en_laos.txt") for r in reference for h in r["hits"])  # deleted
    for share in (0.0, float("inf"), None):  # always dense, always sparse, as shipped
        found = answers(index, Executor, share, asked)
        for (q, kw), want, got in zip(asked, reference, found, strict=True):
            assert got == want, (q, kw, share)


def test_every_node_kind_matches_the_dense_reference(index):
    """Node by node, documents and scores bit for bit, on trees the query builder may not make."""
    engine = SearchEngine(index)
    gen = engine.generation()
    words = ["hợp", "tác", "an", "ninh", "lào", "đảng", "việt", "nam", "party", "absent"]
    t = [wq.Term("body_fold", w) for w in words] + [wq.Term("title_fold", w, boost=2.0) for w in words]
    trees = [
        wq.Or(t[:4]), wq.And(t[:2]), wq.And([t[0], t[9]]), wq.AndNot(wq.Or(t[:3]), t[4]),
        wq.AndMaybe(t[5], wq.Or(t[6:8])), wq.Or([wq.And(t[:2], boost=1.5), t[10]], boost=0.5),
        WordInFields([t[2], t[12], wq.Term("body", "an", boost=0.0)]), wq.Phrase("body_fold", ["an", "ninh"]),
        wq.And([wq.Every(), t[3]]), wq.Or([wq.NullQuery, t[1]]), wq.AndNot(t[9], t[1]),
    ]
    for share in (0.0, 0.5, float("inf")):
        # A cache of its own for each share: the executor keeps a word's scores per generation.
        cache = PostingsCache(gen.searcher, length_codes=gen.postings.length_codes)
        with pytest.MonkeyPatch.context() as m:
            m.setattr(executor_module, "DENSE_SHARE", share)
            for tree in trees:
                got = Executor(cache.view(gen.searcher)).match(tree)
                again = Executor(cache.view(gen.searcher)).match(tree)  # from the cache, if kept there
                assert again.docs.tolist() == got.docs.tolist() and again.score.tobytes() == got.score.tobytes()
                want = DenseReference(gen.postings.view(gen.searcher)).match(tree)
                assert got.docs.tolist() == want.docs.tolist(), (tree, share)
                assert got.score.tobytes() == want.score.tobytes(), (tree, share)
                docs = Executor(gen.postings.view(gen.searcher)).docs(tree)
                assert docs.tolist() == want.docs.tolist(), (tree, share)  # unscored, for counts
                if type(tree).__name__ == "Or":  # a mask within a mask: a child's own words read
                    assert Executor(gen.postings.view(gen.searcher)).docs(wq.Or([tree, t[11]])).tolist() == \
                        DenseReference(gen.postings.view(gen.searcher)).match(wq.Or([tree, t[11]])).docs.tolist()
                assert np.all(np.diff(got.docs) > 0)


def test_facets_counted_over_the_hits_equal_counts_over_the_mask(index):
    gen = SearchEngine(index).generation()
    rng = np.random.default_rng(5)
    for share in (0.0, 0.01, 0.3, 1.0):
        mask = rng.random(gen.facets.size) < share
        for spec in FACETS:
            column = gen.facets.columns[spec.name]
            assert column.counts(mask) == column.counts_of(np.flatnonzero(mask))


def walked_window(events: list[tuple[int, str]], weight: dict[str, float], window: int) -> float:
    """The sliding window as it was walked in Python, one document at a time (the reference)."""
    inside: dict[str, int] = {}
    best = current = 0.0
    lo = 0
    for position, word in events:
        if not inside.get(word):
            current += weight[word]
        inside[word] = inside.get(word, 0) + 1
        while events[lo][0] < position - window:
            gone = events[lo][1]
            inside[gone] -= 1
            if not inside[gone]:
                current -= weight[gone]
            lo += 1
        best = max(best, current)
    return best


def test_the_proximity_windows_of_all_documents_at_once_are_the_walks_bit_for_bit():
    rng = np.random.default_rng(11)
    for trial in range(200):
        n_words = int(rng.integers(2, 6))
        names = [f"w{k}" for k in range(n_words)]
        weight = {w: float(rng.random() * 9 + 0.1) for w in names}
        n_docs = int(rng.integers(1, 12))
        window = int(rng.choice([1, 3, 20]))
        rows, at, word, want = [], [], [], []
        for d in range(n_docs):
            events = set()
            for k in range(n_words):
                length = int(rng.choice([0, 1, 3, 40]))
                for p in rng.integers(0, int(rng.choice([10, 60, 400])), size=length).tolist():
                    events.add((p, names[k]))
            events = sorted(events)
            want.append(walked_window(events, weight, window) if len(events) > 1 else 0.0)
            for p, w in events[::-1] if trial % 2 else events:  # the order given does not matter
                rows.append(d)
                at.append(p)
                word.append(names.index(w))
        got = executor_module.best_windows(np.array(rows, dtype=np.int64), np.array(at, dtype=np.int64),
                                           np.array(word, dtype=np.int64), np.array([weight[w] for w in names]),
                                           window, n_docs)
        assert got.tolist() == want, trial


def test_phrases_found_on_arrays_are_those_the_position_sets_give(index):
    """Every run of two or three words (and a word repeated) of some body, against the check by sets of
    start positions, document by document, that the executor used to make."""
    gen = SearchEngine(index).generation()
    view = gen.postings.view(gen.searcher)
    field = "body_fold"
    rng = np.random.default_rng(3)
    phrases = [["an", "ninh"], ["hop", "tac"], ["dang", "cong", "san"], ["viet", "nam", "viet"], ["nam", "nam"]]
    for fields in gen.searcher.all_stored_fields():  # runs of words from every body, and shuffled ones
        words = tokens("folded", json.loads(fields["record"])["body"])
        for _ in range(4):
            k = int(rng.integers(2, 4))
            i = int(rng.integers(0, max(1, len(words) - k)))
            phrases += [words[i:i + k], list(rng.permutation(words[i:i + k]))]
    checked = 0
    for words in phrases:
        executor = Executor(view)
        candidates = None
        for w in dict.fromkeys(words):
            docs = view.term(field, w).docs
            candidates = docs if candidates is None else np.intersect1d(candidates, docs, assume_unique=True)
        want_docs, want_counts = [], []
        if len(candidates):
            per_word = [view.positions(field, w, candidates, executor.deadline) for w in words]
            for doc in candidates.tolist():
                starts = set(per_word[0].get(doc, ()))
                for offset, positions in enumerate(per_word[1:], start=1):
                    starts &= {p - offset for p in positions.get(doc, ())}
                if starts:
                    want_docs.append(doc)
                    want_counts.append(len(starts))
        docs, counts = Executor(view)._phrase_matches(field, words, None)
        assert docs.tolist() == want_docs and counts.tolist() == want_counts, words
        # Among some documents, as the rerank asks (their positions decoded once, shared with proximity).
        within = np.unique(rng.integers(0, view.size, 40))
        keep = np.isin(want_docs, within)
        docs, counts = executor.phrase_matches(field, words, within=within)
        assert docs.tolist() == np.array(want_docs, dtype=np.int64)[keep].tolist(), words
        assert counts.tolist() == np.array(want_counts)[keep].tolist(), words
        executor.proximity(within, list(dict.fromkeys(words)))  # reads the same decoded positions
        checked += bool(want_docs)
    assert checked >= 100


# --- snippets: the pattern tried only where one of its words starts -------------------------------------

SNIPPET_TEXT = st.lists(st.sampled_from(["an", "ninh", "nghanh", "nganh", "qui", "quy", "2.5", "5", "140.000d",
                                         "u.s", "u", "s", "x", "an5", "5an", "ban", "中国", "国", " ", ". ", ", ",
                                         "-", "_", "đ", "ấn"]), max_size=40).map("".join)
SNIPPET_TERMS = st.frozensets(st.sampled_from(["an", "ninh", "nganh", "quy", "5", "2.5", "140.000", "u", "s", "u.s",
                                               "中国", "国", "ban", "d"]), max_size=5)


@settings(max_examples=500, deadline=None)
@example("u.s. 140.000d nghanh 2.5.6 ban an5", frozenset({"u", "u.s", "s", "140.000", "nganh", "2.5", "an"}), ("b",))
@given(SNIPPET_TEXT, SNIPPET_TERMS, st.lists(st.sampled_from(["ni", "ng", "b", "中"]), max_size=2).map(tuple))
def test_snippet_matches_are_the_patterns_own(text, terms, prefixes):
    """highlight._matches tries the pattern only where str.find sees one of its words: it must find
    exactly what the pattern's finditer finds (same spans, same order) on any text."""
    from search.highlight import _matches, _pattern, fold

    if not terms and not prefixes:
        return
    folded = fold(text)
    expected = [m.span() for m in _pattern(terms, prefixes).finditer(folded)]
    assert [m.span() for m in _matches(folded, terms, prefixes)] == expected
