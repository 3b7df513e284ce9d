"""Evaluates a Whoosh query tree on numpy arrays: which documents match, and their BM25 scores.

The engine builds ordinary Whoosh query objects (Term, Or, And, AndNot, AndMaybe, Phrase, Every);
this module gives each node a dense result over all documents of the generation, a boolean
`mask` and a float `score`, from the term arrays of `search.postings`. Scores follow Whoosh's
BM25 (same idf, same field lengths), a compound node adds its children's scores as Whoosh's
matchers do, and one word looked up in several fields is scored as one BM25F term
(`WordInFields`). Facet counts use the same mask.

A phrase is first narrowed to the documents holding all its words (arrays); only those have their
word positions decoded and checked. Two bonuses then rescore the best `RERANK_WINDOW` documents
only (as Lucene's query rescorer does), since they can only reorder documents that already match:
the word-pair bonus that ranks `an ninh` as a word above `an … ninh` apart, and the proximity
bonus for the query's words standing close together.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from whoosh import query as wq

from search.postings import Deadline, PostingsView

# BM25 parameters, tuned with bench/relevance.py on 300 ViNewsQA questions kept out of the reported
# sample (nDCG@10 with a title weight of 0.2: Whoosh's defaults B 0.75 K1 1.2 → 0.748; B 1.0 K1 2.0
# → 0.758; K1 3.0 → 0.760, chosen against K1 2.0 for no clear gain).
# Titles are short and alike in length, so they keep the usual length normalisation.
B, K1 = 1.0, 2.0
TITLE_B = 0.75
RERANK_WINDOW = 200
# Proximity: the best run of PROXIMITY_WINDOW consecutive body positions holding the most of the
# query's words (weighted by idf) adds PROXIMITY_WEIGHT × (its share of all the query's weight) ×
# the best score. Measured on 300 held-out ViNewsQA questions: 0.761 → 0.808 nDCG@10, unaccented
# 0.711 → 0.774; party-diplomacy set 0.963 → 0.973. Windows of 10–30 and weights of 0.6–3 all gain;
# also looking in titles gained nothing.
PROXIMITY_WINDOW = 20
PROXIMITY_WEIGHT = 1.0
PROXIMITY_FIELD = "body_fold"


class WordInFields(wq.Or):
    """One query word looked up in several fields (title, body; exact, folded, stemmed), scored
    as BM25F does: the word's frequency in each field, normalised by that field's length and
    weighted by its boost, is summed first and saturated once. So a title weighs more than the
    body (its boost is higher) without a title match running away with the score: the body
    already holds the same word, and a word's contribution is capped however many fields it is in.
    Matches exactly what the plain Or of its terms matches."""


@dataclass
class Scored:
    """A node's result over the whole generation: what `Executor.run` gives the engine."""

    mask: np.ndarray  # bool, one per document
    score: np.ndarray  # float64, one per document; 0 where mask is False
    docs: np.ndarray | None = None  # the matching documents, ascending, when known (facets count them)

    @classmethod
    def empty(cls, n: int) -> Scored:
        return cls(np.zeros(n, dtype=bool), np.zeros(n, dtype=np.float64), EMPTY_DOCS)

    def matching(self) -> np.ndarray:
        """The matching documents, ascending."""
        if self.docs is None:
            self.docs = np.flatnonzero(self.mask)
        return self.docs


@dataclass
class Matches:
    """A node's result while the tree is evaluated: only the documents it matches (ascending) and
    their scores. A query of rare words so costs what its postings hold, not what the archive does."""

    docs: np.ndarray  # int64, ascending, distinct
    score: np.ndarray  # float64, one per document of `docs`

    def dense(self, n: int) -> Scored:
        out = Scored.empty(n)
        out.mask[self.docs] = True
        out.score[self.docs] = self.score
        out.docs = self.docs
        return out


EMPTY_DOCS = np.zeros(0, dtype=np.int64)
EMPTY = Matches(EMPTY_DOCS, np.zeros(0, dtype=np.float64))
# A union of postings totalling at least this share of the generation's documents is worked out on
# arrays of one slot per document (a scatter and one scan); rarer ones are sorted and searched.
# Both give the same documents and the same float sums, in the same order: only the cost differs
# (tests/test_sparse.py runs every query both ways).
DENSE_SHARE = 1 / 16


class Executor:
    def __init__(self, postings: PostingsView, deadline: Deadline | None = None):
        self.postings = postings
        self.n = postings.size
        self.deadline = deadline or Deadline()
        # Positions decoded for the documents being reranked, per (field, word): the word-pair
        # bonus and proximity read the same body words of the same documents (one search only).
        self._held: dict[tuple, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}

    def run(self, query) -> Scored:
        """`query` evaluated, as a result over every document of the generation."""
        return self.match(query).dense(self.n)

    def match(self, query) -> Matches:
        self.deadline.check()
        handler = getattr(self, "_" + type(query).__name__.lstrip("_"), None)
        if handler is None:
            raise TypeError(f"the executor cannot evaluate {type(query).__name__} queries")
        return handler(query)

    def docs(self, query) -> np.ndarray:
        """The documents `query` matches, ascending: `match(query).docs` without the scores."""
        return np.flatnonzero(self.mask(query))

    def mask(self, query) -> np.ndarray:
        """Whether each document matches `query` (bool, one per document): the documents of
        `match(query)` without their scores, for a count (the query typed without its marks, a
        suggestion's hits): a scatter per word and whole-array ands and ors, no sorting, no sums."""
        self.deadline.check()
        kind = type(query).__name__.lstrip("_")
        if kind in ("Or", "WordInFields"):
            out = np.zeros(self.n, dtype=bool)
            for child in query.subqueries:
                if type(child).__name__.lstrip("_") == "Term":
                    out[self.postings.term(child.fieldname, child.text).docs] = True
                else:
                    out |= self.mask(child)
            return out
        if kind == "And":
            out = None
            for child in query.subqueries:
                found = self.mask(child)
                out = found if out is None else np.logical_and(out, found, out=out)
                if not out.any():
                    break
            return np.zeros(self.n, dtype=bool) if out is None else out
        if kind == "AndNot":
            out = self.mask(query.a)
            return out & ~self.mask(query.b) if out.any() else out
        if kind == "AndMaybe":
            return self.mask(query.a)
        out = np.zeros(self.n, dtype=bool)  # a word, a phrase, every document, nothing
        docs = self.postings.term(query.fieldname, query.text).docs if kind == "Term" else self.match(query).docs
        out[docs] = True
        return out

    def _is_dense(self, total: int) -> bool:
        return total >= self.n * DENSE_SHARE

    def _union(self, arrays: list[np.ndarray]) -> np.ndarray:
        """The documents in any of `arrays` (each ascending), ascending."""
        arrays = [a for a in arrays if len(a)]
        if not arrays:
            return EMPTY_DOCS
        if len(arrays) == 1:
            return arrays[0]
        if self._is_dense(sum(len(a) for a in arrays)):
            seen = np.zeros(self.n, dtype=bool)
            for a in arrays:
                seen[a] = True
            return np.flatnonzero(seen)
        return np.unique(np.concatenate(arrays))

    # --- leaves -----------------------------------------------------------------------------------
    def _Term(self, q: wq.Term) -> Matches:
        p = self.postings.term(q.fieldname, q.text)
        if not len(p.docs):
            return EMPTY
        score = self._bm25(q.fieldname, p.docs, p.tf, self.postings.idf(q.fieldname, q.text)) * q.boost
        return Matches(p.docs, np.asarray(score, dtype=np.float64))

    def _Phrase(self, q: wq.Phrase) -> Matches:
        words = list(q.words)
        docs, tf = self.phrase_matches(q.fieldname, words)
        if not len(docs):
            return EMPTY
        idf = sum(self.postings.idf(q.fieldname, w) for w in words)
        return Matches(docs, np.asarray(self._bm25(q.fieldname, docs, tf, idf) * q.boost, dtype=np.float64))

    def _Every(self, q) -> Matches:
        return Matches(np.arange(self.n, dtype=np.int64), np.zeros(self.n, dtype=np.float64))

    def _NullQuery(self, q) -> Matches:
        return EMPTY

    def _WordInFields(self, q: WordInFields) -> Matches:
        """The word's BM25F scores, kept per generation (`PostingsView.cached`): a common word's
        union and weights over tens of thousands of documents were most of a repeated query's
        evaluation, and the same word recurs across queries. The arrays are shared, so read-only."""
        key = ("words", tuple((t.fieldname, t.text, t.boost) for t in q.subqueries), q.boost)
        docs, score = self.postings.cached(key, lambda: _frozen(self._word_in_fields(q)))
        return Matches(docs, score) if len(docs) else EMPTY

    def _word_in_fields(self, q: WordInFields) -> Matches:
        found = [(term, self.postings.term(term.fieldname, term.text)) for term in q.subqueries]
        found = [(term, p) for term, p in found if len(p.docs)]
        docs = self._union([p.docs for _, p in found])
        if not len(docs):
            return EMPTY
        dense = self._is_dense(len(docs))
        weighted_tf = np.zeros(self.n if dense else len(docs), dtype=np.float64)
        idf = 0.0
        for term, p in found:
            if not term.boost:
                continue
            lengths = self.postings.lengths(term.fieldname)[p.docs]
            b = TITLE_B if term.fieldname.startswith("title") else B
            norm = (1 - b) + b * lengths / self.postings.avg_length(term.fieldname)
            slots = p.docs if dense else np.searchsorted(docs, p.docs)
            weighted_tf[slots] += term.boost * p.tf / norm
            if not term.fieldname.startswith("title"):  # rarity is judged on the body fields
                idf = max(idf, self.postings.idf(term.fieldname, term.text))
        if not idf:  # found in titles only
            idf = max((self.postings.idf(t.fieldname, t.text) for t in q.subqueries), default=0.0)
        tf = weighted_tf[docs] if dense else weighted_tf
        return Matches(docs, idf * tf * (K1 + 1) / (tf + K1) * q.boost)

    # --- compounds --------------------------------------------------------------------------------
    def _Or(self, q: wq.Or) -> Matches:
        parts = [self.match(child) for child in q.subqueries]
        docs = self._union([r.docs for r in parts])
        if not len(docs):
            return EMPTY
        dense = self._is_dense(len(docs))
        score = np.zeros(self.n if dense else len(docs), dtype=np.float64)
        for r in parts:  # summed child by child, as Whoosh's matchers add them
            score[r.docs if dense else np.searchsorted(docs, r.docs)] += r.score
        return self._boosted(Matches(docs, score[docs] if dense else score), q.boost)

    def _And(self, q: wq.And) -> Matches:
        parts = []
        for child in q.subqueries:
            r = self.match(child)
            if not len(r.docs):  # nothing can match: the other children need not be read
                return EMPTY
            parts.append(r)
        if not parts:
            return EMPTY
        docs = min(parts, key=lambda r: len(r.docs)).docs
        if self._is_dense(len(docs)):  # common words only: a scatter per child, not a binary search
            return self._boosted(self._dense_and(parts), q.boost)
        for r in parts:
            docs = docs[_present(r.docs, docs)]
        score = None
        for r in parts:
            s = r.score[np.searchsorted(r.docs, docs)]
            score = s.copy() if score is None else score + s
        return self._boosted(Matches(docs, score), q.boost)

    def _dense_and(self, parts: list[Matches]) -> Matches:
        """The documents in every one of `parts` and their summed scores, as `_And`'s sorted path
        gives them (the same sums, child by child), on arrays of one slot per document: at 100,000
        documents two common words were 2.7 ms of binary searches, 0.5 ms this way."""
        keep = np.zeros(self.n, dtype=bool)
        keep[parts[0].docs] = True
        for r in parts[1:]:
            seen = np.zeros(self.n, dtype=bool)
            seen[r.docs] = True
            keep &= seen
        docs = np.flatnonzero(keep)
        score = None
        slot = np.empty(self.n, dtype=np.int64)
        for r in parts:
            slot[r.docs] = np.arange(len(r.docs))  # where each document sits in r.docs
            s = r.score[slot[docs]]
            score = s if score is None else score + s
        return Matches(docs, score)

    def _AndNot(self, q: wq.AndNot) -> Matches:
        a = self.match(q.a)
        if not len(a.docs):
            return EMPTY
        keep = ~_present(self.match(q.b).docs, a.docs)
        return self._boosted(Matches(a.docs[keep], a.score[keep]), q.boost)

    def _AndMaybe(self, q: wq.AndMaybe) -> Matches:
        a = self.match(q.a)
        if not len(a.docs):
            return EMPTY
        b = self.match(q.b)
        extra = np.zeros(len(a.docs), dtype=np.float64)
        present = _present(b.docs, a.docs)
        extra[present] = b.score[np.searchsorted(b.docs, a.docs[present])]
        return self._boosted(Matches(a.docs, a.score + extra), q.boost)

    # --- phrases ----------------------------------------------------------------------------------
    def phrase_matches(self, field: str, words: list[str], within: np.ndarray | None = None):
        """(documents, occurrences) of `words` in a row in `field`; only among `within` if given."""
        if within is None:
            key = ("phrase", field, tuple(words))
            return self.postings.cached(key, lambda: self._phrase_matches(field, words, None))
        return self._phrase_matches(field, words, within)

    def _phrase_matches(self, field, words, within):
        if within is not None:  # the reranked documents: positions decoded once, shared with proximity
            candidates = within
            held = [self._positions_among(field, w, within) for w in words]
            if not all(counts.any() for counts, _ in held):
                return EMPTY_DOCS, np.zeros(0, dtype=np.float32)
        else:
            candidates = None
            for w in dict.fromkeys(words):
                docs = self.postings.term(field, w).docs
                candidates = docs if candidates is None else _intersect(candidates, docs)
                if not len(candidates):
                    return candidates, np.zeros(0, dtype=np.float32)
            held = [self.postings.positions_flat(field, w, candidates, self.deadline) for w in words]
        # (document, where the phrase would start) as one number, kept where every word is in place.
        stride = max((int(at.max()) for _, at in held if len(at)), default=0) + 2 * len(words) + 1
        starts = None
        for offset, (counts, at) in enumerate(held):
            keys = np.repeat(candidates, counts) * stride + (at - offset + len(words))
            starts = keys if starts is None else np.intersect1d(starts, keys, assume_unique=True)
            if not len(starts):
                return EMPTY_DOCS, np.zeros(0, dtype=np.float32)
        found_docs, counts = np.unique(starts // stride, return_counts=True)
        return found_docs.astype(np.int64), counts.astype(np.float32)

    def rerank(self, docs: np.ndarray, scores: np.ndarray, boosts: list[wq.Phrase]) -> np.ndarray:
        """`scores` of `docs` plus the word-pair bonus of each phrase in `boosts`."""
        scores = scores.astype(np.float64, copy=True)
        order = np.argsort(docs)
        sorted_docs = docs[order]
        for q in boosts:
            found, tf = self.phrase_matches(q.fieldname, list(q.words), within=sorted_docs)
            if not len(found):
                continue
            idf = sum(self.postings.idf(q.fieldname, w) for w in q.words)
            bonus = self._bm25(q.fieldname, found, tf, idf) * q.boost
            scores[order[np.searchsorted(sorted_docs, found)]] += bonus
        return scores

    def proximity(self, docs: np.ndarray, words: list[str], window: int = PROXIMITY_WINDOW) -> np.ndarray:
        """For each of `docs`, the largest share of the query's idf weight whose words all occur within
        `window` consecutive positions of the body (1.0: every word, close together)."""
        share = np.zeros(len(docs))
        idf = {w: self.postings.idf(PROXIMITY_FIELD, w) for w in words}
        total = sum(idf.values())
        if len(words) < 2 or not total:
            return share
        order = np.argsort(docs)
        rows, at, word = [], [], []
        for k, w in enumerate(sorted(words)):  # at one position, words in order (as sorted pairs were)
            counts, found = self._positions_among(PROXIMITY_FIELD, w, docs[order])
            rows.append(np.repeat(order, counts))
            at.append(found)
            word.append(np.full(len(found), k))
        best = best_windows(np.concatenate(rows), np.concatenate(at), np.concatenate(word),
                            np.array([idf[w] for w in sorted(words)]), window, len(docs))
        return best / total

    def _positions_among(self, field: str, word: str, docs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """`postings.positions_flat` of `word` in `docs` (ascending), decoded once per search."""
        key = (field, word)
        found = self._held.get(key)
        if found is None or not np.array_equal(found[0], docs):
            found = (docs, *self.postings.positions_flat(field, word, docs, self.deadline))
            self._held[key] = found
        return found[1], found[2]

    # --- scoring ----------------------------------------------------------------------------------
    def _bm25(self, field: str, docs: np.ndarray, tf: np.ndarray, idf: float) -> np.ndarray:
        if not self.postings.scorable(field):
            return tf.astype(np.float64)
        lengths = self.postings.lengths(field)[docs]
        tf = tf.astype(np.float64)
        norm = K1 * ((1 - B) + B * lengths / self.postings.avg_length(field))
        return idf * (tf * (K1 + 1)) / (tf + norm)

    @staticmethod
    def _boosted(r: Matches, boost: float) -> Matches:
        if boost != 1.0:
            r.score = r.score * boost
        return r


def _frozen(r: Matches) -> tuple[np.ndarray, np.ndarray]:
    """A result's arrays, read-only, to be cached and shared by later searches."""
    docs, score = r.docs.view(), r.score.view()
    docs.flags.writeable = False
    score.flags.writeable = False
    return docs, score


def _intersect(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The documents in both `a` and `b` (each ascending, distinct), ascending: the shorter looked up
    in the longer (a rerank's 200 documents against a common word's postings), not both sorted."""
    if len(a) > len(b):
        a, b = b, a
    return a[_present(b, a)]


def _present(docs: np.ndarray, among: np.ndarray) -> np.ndarray:
    """For each of `among`, whether it is in `docs` (both ascending)."""
    if not len(docs):
        return np.zeros(len(among), dtype=bool)
    at = np.searchsorted(docs, among)
    return docs[np.minimum(at, len(docs) - 1)] == among


def best_windows(rows: np.ndarray, at: np.ndarray, word: np.ndarray, weight: np.ndarray, window: int,
                 n_rows: int) -> np.ndarray:
    """For each row (document), the largest total weight of distinct words whose occurrences (`at`:
    positions, `word`: indexes into `weight`) lie within `window` positions of each other; 0 for a
    row with fewer than two occurrences.

    It is the sliding window that walks each row's occurrences in (position, word) order: add the
    new occurrence's word if absent, drop those more than `window` before it, keep the best sum;
    computed for all rows at once. The running sum is kept as that walk keeps it, one addition or
    subtraction at a time (a cumulative sum per row over its walk's steps, in the same order), so
    the figures are the walk's to the last bit, not a re-summed equal."""
    best = np.zeros(n_rows)
    if not len(at):
        return best
    order = np.lexsort((word, at, rows))
    rows, at, word = rows[order], at[order], word[order]
    n = len(at)
    index = np.arange(n)
    per_row = np.bincount(rows, minlength=n_rows)
    row_start = (np.cumsum(per_row) - per_row)[rows]  # where each occurrence's row starts
    # The window's first occurrence after each step: positions as one sorted key over all rows.
    stride = int(at.max()) + window + 1
    key = rows * stride + at
    lo = np.searchsorted(key, key - window, side="left")
    lo_before = np.where(index > row_start, np.roll(lo, 1), row_start)  # lo of the previous step
    # The previous and next occurrence of the same word in the same row.
    by_word = np.lexsort((index, word, rows))
    same = (rows[by_word][1:] == rows[by_word][:-1]) & (word[by_word][1:] == word[by_word][:-1])
    prev_same, next_same = np.full(n, -1), np.full(n, n)
    prev_same[by_word[1:][same]] = by_word[:-1][same]
    next_same[by_word[:-1][same]] = by_word[1:][same]
    # Step i adds its word's weight if no occurrence of it is inside, then drops occurrences
    # lo_before[i] .. lo[i] - 1, each lowering the sum if it was its word's last inside.
    w = weight[word]
    enter = np.where(prev_same < lo_before, w, 0.0)
    local = index - row_start
    enter_slot = local + (lo_before - row_start)
    checkpoint = local + (lo - row_start)
    row_end = row_start + per_row[rows]  # one past the row's last occurrence
    leaves = index < lo[row_end - 1]  # occurrences dropped at some step of their row
    j = index[leaves]
    # The step that drops j: the first of its row whose lo passes j.
    step = np.searchsorted(key_step := rows * (n + 1) + lo, rows[j] * (n + 1) + j, side="right")
    del key_step
    drop = np.where(next_same[j] > step, -w[j], 0.0)
    leave_slot = (step - row_start[j]) + (j - row_start[j]) + 1
    width = int(max(enter_slot.max(), leave_slot.max() if len(j) else 0)) + 1
    walk = np.zeros((n_rows, width))
    walk[rows, enter_slot] = enter
    walk[rows[j], leave_slot] = drop
    running = np.cumsum(walk, axis=1)  # per row, one step after another, as the walk adds them
    np.maximum.at(best, rows, running[rows, checkpoint])
    best[per_row < 2] = 0.0
    return best


def top(scored: Scored, mask: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """The `k` best (documents, scores) within `mask`, best first; ties by document number."""
    docs = np.nonzero(mask)[0]
    scores = scored.score[docs]
    if len(docs) > k:
        # Keep everything scoring at least the k-th best, so ties at the cut are broken by docnum.
        kth = np.partition(scores, len(scores) - k)[len(scores) - k]
        keep = scores >= kth
        docs, scores = docs[keep], scores[keep]
    order = np.lexsort((docs, -scores))[:k]
    return docs[order], scores[order]
