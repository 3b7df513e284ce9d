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
    mask: np.ndarray  # bool, one per document
    score: np.ndarray  # float64, one per document; 0 where mask is False

    @classmethod
    def empty(cls, n: int) -> Scored:
        return cls(np.zeros(n, dtype=bool), np.zeros(n, dtype=np.float64))


class Executor:
    def __init__(self, postings: PostingsView, deadline: Deadline | None = None):
        self.postings = postings
        self.n = postings.size
        self.deadline = deadline or Deadline()
        # Decoded word positions, per (field, word): the documents asked about and those found.
        # The word-pair bonus and the proximity bonus look at the same top documents.
        self._decoded: dict[tuple[str, str], tuple[set, dict]] = {}

    def run(self, query) -> Scored:
        self.deadline.check()
        handler = getattr(self, "_" + type(query).__name__.lstrip("_"), None)
        if handler is None:
            raise TypeError(f"the executor cannot evaluate {type(query).__name__} queries")
        return handler(query)

    # --- leaves -----------------------------------------------------------------------------------
    def _Term(self, q: wq.Term) -> Scored:
        out = Scored.empty(self.n)
        p = self.postings.term(q.fieldname, q.text)
        if not len(p.docs):
            return out
        out.mask[p.docs] = True
        out.score[p.docs] = self._bm25(q.fieldname, p.docs, p.tf, self.postings.idf(q.fieldname, q.text)) * q.boost
        return out

    def _Phrase(self, q: wq.Phrase) -> Scored:
        out = Scored.empty(self.n)
        words = list(q.words)
        docs, tf = self.phrase_matches(q.fieldname, words)
        if len(docs):
            idf = sum(self.postings.idf(q.fieldname, w) for w in words)
            out.mask[docs] = True
            out.score[docs] = self._bm25(q.fieldname, docs, tf, idf) * q.boost
        return out

    def _Every(self, q) -> Scored:
        return Scored(np.ones(self.n, dtype=bool), np.zeros(self.n, dtype=np.float64))

    def _NullQuery(self, q) -> Scored:
        return Scored.empty(self.n)

    def _WordInFields(self, q: WordInFields) -> Scored:
        out = Scored.empty(self.n)
        weighted_tf = np.zeros(self.n, dtype=np.float64)
        idf = 0.0
        for term in q.subqueries:
            p = self.postings.term(term.fieldname, term.text)
            if not len(p.docs):
                continue
            out.mask[p.docs] = True
            if not term.boost:
                continue
            lengths = self.postings.lengths(term.fieldname)[p.docs]
            b = TITLE_B if term.fieldname.startswith("title") else B
            norm = (1 - b) + b * lengths / self.postings.avg_length(term.fieldname)
            weighted_tf[p.docs] += term.boost * p.tf / norm
            if not term.fieldname.startswith("title"):  # rarity is judged on the body fields
                idf = max(idf, self.postings.idf(term.fieldname, term.text))
        if not idf:  # found in titles only
            idf = max((self.postings.idf(t.fieldname, t.text) for t in q.subqueries), default=0.0)
        tf = weighted_tf[out.mask]
        out.score[out.mask] = idf * tf * (K1 + 1) / (tf + K1) * q.boost
        return out

    # --- compounds --------------------------------------------------------------------------------
    def _Or(self, q: wq.Or) -> Scored:
        out = Scored.empty(self.n)
        for child in q.subqueries:
            r = self.run(child)
            out.mask |= r.mask
            out.score += r.score
        return self._boosted(out, q.boost)

    def _And(self, q: wq.And) -> Scored:
        parts = [self.run(child) for child in q.subqueries]
        if not parts:
            return Scored.empty(self.n)
        mask = parts[0].mask.copy()
        score = parts[0].score.copy()
        for r in parts[1:]:
            mask &= r.mask
            score += r.score
        score[~mask] = 0.0
        return self._boosted(Scored(mask, score), q.boost)

    def _AndNot(self, q: wq.AndNot) -> Scored:
        a, b = self.run(q.a), self.run(q.b)
        mask = a.mask & ~b.mask
        return self._boosted(Scored(mask, np.where(mask, a.score, 0.0)), q.boost)

    def _AndMaybe(self, q: wq.AndMaybe) -> Scored:
        a, b = self.run(q.a), self.run(q.b)
        return self._boosted(Scored(a.mask, a.score + np.where(a.mask, b.score, 0.0)), q.boost)

    # --- phrases ----------------------------------------------------------------------------------
    def phrase_matches(self, field: str, words: list[str], within: np.ndarray | None = None):
        """(documents, occurrences) of `words` in a row in `field`; only among `within` if given."""
        if within is None:
            key = ("phrase", field, tuple(words))
            return self.postings.cached(key, lambda: self._phrase_matches(field, words, None))
        return self._phrase_matches(field, words, within)

    def _phrase_matches(self, field, words, within):
        candidates = within
        for w in dict.fromkeys(words):
            docs = self.postings.term(field, w).docs
            candidates = docs if candidates is None else np.intersect1d(candidates, docs, assume_unique=True)
            if not len(candidates):
                return candidates, np.zeros(0, dtype=np.float32)
        per_word = [self._positions(field, w, candidates) for w in words]
        found, counts = [], []
        for doc in candidates.tolist():
            starts = set(per_word[0].get(doc, ()))
            for offset, positions in enumerate(per_word[1:], start=1):
                starts &= {p - offset for p in positions.get(doc, ())}
                if not starts:
                    break
            if starts:
                found.append(doc)
                counts.append(len(starts))
        return np.array(found, dtype=np.int64), np.array(counts, dtype=np.float32)

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
        sorted_docs = np.sort(docs)
        positions = {w: self._positions(PROXIMITY_FIELD, w, sorted_docs) for w in words}
        for j, doc in enumerate(docs.tolist()):
            events = sorted((p, w) for w in words for p in positions[w].get(doc, ()))
            if len(events) > 1:
                share[j] = _best_window(events, idf, window) / total
        return share

    def _positions(self, field: str, word: str, docs: np.ndarray) -> dict[int, tuple]:
        """Word positions of `word` in `docs` (ascending) that hold it; each document decoded once
        per search. The dict may hold other documents too."""
        asked, found = self._decoded.setdefault((field, word), (set(), {}))
        need = [d for d in docs.tolist() if d not in asked]
        if need:
            found.update(self.postings.positions(field, word, np.array(need, dtype=np.int64), self.deadline))
            asked.update(need)
        return found

    # --- scoring ----------------------------------------------------------------------------------
    def _bm25(self, field: str, docs: np.ndarray, tf: np.ndarray, idf: float) -> np.ndarray:
        if not self.postings.scorable(field):
            return tf.astype(np.float64)
        lengths = self.postings.lengths(field)[docs]
        tf = tf.astype(np.float64)
        norm = K1 * ((1 - B) + B * lengths / self.postings.avg_length(field))
        return idf * (tf * (K1 + 1)) / (tf + norm)

    @staticmethod
    def _boosted(r: Scored, boost: float) -> Scored:
        if boost != 1.0:
            r.score *= boost
        return r


def _best_window(events: list[tuple[int, str]], weight: dict[str, float], window: int) -> float:
    """Sliding window over (position, word) events in position order: the largest total weight of
    distinct words found within `window` positions of each other."""
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
