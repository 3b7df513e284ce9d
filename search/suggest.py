"""Presentation: "did you mean", for queries that find little because a word is misspelled.

Bounded whatever the query: only words that match nothing or very little are looked at (the
rarest first, at most MAX_WORDS of them, within SUGGEST_BUDGET seconds), and each is compared with
the index's words of about its length and its first letter only (rapidfuzz's edit distance in C,
over a Vocabulary built once per generation). Whoosh's own corrector walks the whole lexicon per
word: 5.6–6.3 s on 32 rare words. bench/suggest.py measures the worst case.

A suggestion is confident when the query found nothing and every changed word matched nothing:
the engine then shows the suggestion's results ("Showing results for …; search instead for …").
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import OSA

from search.analysis import tokens
from search.querylang import ParsedQuery, Text, parse

log = logging.getLogger(__name__)
SUGGEST_BUDGET = 0.030  # seconds for a suggestion, counting its results included; past it, none
MAX_WORDS = 4  # words of one query looked up, the rarest first
RARE = 3  # a word found in at most this many documents may be a typo of a much commoner one
COMMONER = 20  # … if the correction is found in at least this many times as many documents
MIN_LENGTH = 4  # shorter words have too many neighbours to guess from
FIELDS = ("title_fold", "body_fold")


@dataclass
class Vocabulary:
    """The index's folded words: those found in 2+ documents by (first letter, length) with their
    document counts (the corrections), and those found in one (to tell rare from absent)."""

    buckets: dict[tuple[str, int], tuple[list[str], np.ndarray]]
    counts: dict[str, int]  # word → documents, for words in 2+
    once: frozenset[str]  # words in one document only

    @classmethod
    def build(cls, reader) -> Vocabulary:
        counts: dict[str, int] = {}
        for field in FIELDS:
            if field not in reader.schema:
                continue
            in_field: dict[str, int] = {}
            for leaf, _ in reader.leaf_readers():  # segment by segment: a merged lexicon is several times slower
                for term, info in leaf.iter_field(field):
                    word = term.decode("utf-8") if isinstance(term, bytes) else term
                    if len(word) >= MIN_LENGTH - 1 and word.isalpha():
                        in_field[word] = in_field.get(word, 0) + info.doc_frequency()
            for word, n in in_field.items():
                if n > counts.get(word, 0):
                    counts[word] = n
        grouped: dict[tuple[str, int], list[str]] = {}
        for word, n in counts.items():
            if n >= 2:
                grouped.setdefault((word[0], len(word)), []).append(word)
        return cls({key: (words, np.array([counts[w] for w in words])) for key, words in grouped.items()},
                   {w: n for w, n in counts.items() if n >= 2}, frozenset(w for w, n in counts.items() if n == 1))

    def documents(self, word: str) -> int:
        """In how many documents `word` is (title or body); 0, 1, or the count for commoner words."""
        return self.counts.get(word) or (1 if word in self.once else 0)

    def closest(self, word: str, max_distance: int) -> tuple[str, int, int] | None:
        """(word, distance, documents) of the nearest commonest word within `max_distance`."""
        best = None
        for length in range(len(word) - max_distance, len(word) + max_distance + 1):
            words, counts = self.buckets.get((word[0], length), ((), None))
            if not words:
                continue
            for candidate, dist, i in process.extract(word, words, scorer=OSA.distance,
                                                      score_cutoff=max_distance, limit=5):
                key = (dist, -int(counts[i]))
                if candidate != word and (best is None or key < best[0]):
                    best = (key, candidate, dist, int(counts[i]))
        return best and best[1:]


class VocabularyLoader:
    """A generation's Vocabulary, read in a thread of its own the first time a search asks for it
    (with its own searcher: searchers are not shared). Not at opening: walking the whole lexicon is
    pure Python that holds the interpreter lock, so reading it as the generation opened slowed the
    opening and the first searches beside it (1.0-1.2 s to open at 25,000 articles instead of 46 ms);
    most searches never need a suggestion."""

    def __init__(self, index):
        self._index = index
        self._ready = threading.Event()
        self._started = False
        self._start_lock = threading.Lock()
        self._vocabulary: Vocabulary | None = None

    def _start(self) -> None:
        with self._start_lock:
            if self._started:
                return
            self._started = True
        threading.Thread(target=self._load, name="vocabulary", daemon=True).start()

    def _load(self) -> None:
        try:
            with self._index.searcher() as searcher:
                self._vocabulary = Vocabulary.build(searcher.reader())
        except Exception:  # a generation deleted while opening, say: no suggestions from it
            log.exception("could not read the vocabulary for suggestions")
        finally:
            self._ready.set()

    @property
    def started(self) -> bool:
        return self._started

    def get(self, timeout: float | None) -> Vocabulary | None:
        """The vocabulary, starting to read it on the first call and waiting at most `timeout`
        seconds for it (None: until read)."""
        self._start()
        self._ready.wait(timeout)
        return self._vocabulary


@dataclass
class Suggestion:
    q: str
    confident: bool  # the query found nothing and every word changed matched nothing

    def as_json(self, total: int) -> dict:
        return {"q": self.q, "total": total}


def suggest(parsed: ParsedQuery, total: int, vocabulary: Vocabulary | None, count,
            budget: float | None = None) -> tuple[Suggestion, int] | None:
    """A better query than `parsed` (which found `total`), and what it finds: `count(query, seconds)`
    counts a query's results, or gives None when that takes longer than `seconds`."""
    if vocabulary is None:
        return None
    budget = SUGGEST_BUDGET if budget is None else budget
    started = time.perf_counter()
    words = []
    for typed, folded in lookup_words(parsed):
        df = vocabulary.documents(folded)
        if df <= RARE:
            words.append((df, typed, folded))
    words.sort(key=lambda w: w[0])
    fixes: dict[str, str] = {}
    confident = total == 0
    for df, typed, folded in words[:MAX_WORDS]:
        if time.perf_counter() - started > budget:
            break
        found = vocabulary.closest(folded, 1 if len(folded) <= 5 else 2)
        if found is None:
            continue
        correction, _, documents = found
        if df == 0 or documents >= COMMONER * df:
            fixes[typed] = correction
            confident = confident and df == 0
    if not fixes or time.perf_counter() - started > budget / 2:
        return None  # no time left to count what the suggestion finds
    q = " ".join(part for part in _replaced(parsed, fixes) if part)
    found_total = count(parse(q), budget - (time.perf_counter() - started))
    if found_total is None or found_total <= total:
        return None
    return Suggestion(q, confident), found_total


def lookup_words(parsed: ParsedQuery) -> list[tuple[str, str]]:
    """(as typed, folded) for each word of the query that may be a typo: a plain word of the text
    (no phrase, prefix, field or minus) of MIN_LENGTH letters or more."""
    out = []
    for c in parsed.clauses():
        node = c.node
        if isinstance(node, Text) and not node.phrase and not node.prefix and not c.negated and node.field is None:
            folded = tokens("folded", node.text)
            if len(folded) == 1 and len(folded[0]) >= MIN_LENGTH and folded[0].isalpha():
                out.append((node.text, folded[0]))
    return out


def _replaced(parsed: ParsedQuery, fixes: dict[str, str]):
    """The query's text with each fixed word replaced, everything else as typed."""
    text, pos = parsed.text, 0
    for c in parsed.clauses():
        start, end = c.span
        if isinstance(c.node, Text) and c.node.text in fixes and not c.negated:
            yield text[pos:start].strip()
            yield fixes[c.node.text]
            pos = end
    yield text[pos:].strip()
