""""Did you mean" on OpenSearch: the Whoosh path's own search.suggest, over the words of the index
that are near the query's words, fetched in one request.

The Whoosh path walks its whole lexicon once per generation into a Vocabulary. OpenSearch has no
way to list a text field's terms without loading them on the heap (fielddata), so instead, for
the few words of one query that search.suggest may look at, one request asks:

- how many documents hold each word, in `title_fold` and in `body_fold` (a filter aggregation
  each; the larger is the word's count, as in Vocabulary.build);
- the words of each field within two edits of it with the same first letter (a `term` suggester:
  Lucene's DirectSpellChecker, whose edits count a transposition as one, as rapidfuzz's OSA does),
  with their document counts summed over the shards.

NearbyWords then answers search.suggest's two questions (`documents`, `closest`) from that answer
with the Vocabulary's own rules: candidates in 2+ documents, alphabetic, of about the word's
length, nearest first, then the commonest. So search.suggest decides exactly as on the Whoosh
path: which words are rare, when a correction is confident, what the corrected query finds.
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz.distance import OSA

from search.suggest import FIELDS, MIN_LENGTH, RARE, lookup_words

MAX_LOOKUPS = 16  # words of one query asked about (search.suggest looks at the 4 rarest of them)
CANDIDATES = 25  # nearby words per word and field: the nearest and, among them, the commonest


@dataclass
class NearbyWords:
    """What search.suggest needs of a Vocabulary, for the words of one query."""

    counts: dict[str, int]  # word of the query → documents holding it (title or body, the larger)
    near: dict[str, dict[str, int]]  # word of the query → nearby word → documents (the larger field)

    def documents(self, word: str) -> int:
        return self.counts.get(word, 0)

    def closest(self, word: str, max_distance: int) -> tuple[str, int, int] | None:
        best = None
        for candidate, n in self.near.get(word, {}).items():
            if candidate == word or n < 2 or not candidate.isalpha() or len(candidate) < MIN_LENGTH - 1:
                continue
            if candidate[0] != word[0] or abs(len(candidate) - len(word)) > max_distance:
                continue
            dist = OSA.distance(word, candidate, score_cutoff=max_distance)
            if dist > max_distance:
                continue
            key = (dist, -n, candidate)
            if best is None or key < best[0]:
                best = (key, candidate, dist, n)
        return best and best[1:]


def nearby_words(client, index: str, parsed) -> NearbyWords | None:
    """The counts and nearby words of the query's words, in one search request; None when the
    query has no word search.suggest would look at."""
    words = list(dict.fromkeys(folded for _, folded in lookup_words(parsed)))[:MAX_LOOKUPS]
    if not words:
        return None
    aggs, suggest = {}, {}
    for i, word in enumerate(words):
        for field in FIELDS:
            aggs[f"{field}.{i}"] = {"filter": {"term": {field: word}}}
            suggest[f"{field}.{i}"] = {"text": word, "term": {
                "field": field, "analyzer": "whitespace", "suggest_mode": "always",
                "max_edits": 2, "prefix_length": 1, "min_word_length": MIN_LENGTH,
                "min_doc_freq": 1,  # per shard: a word in 2 documents may be in two shards once each
                "max_term_freq": RARE + 1,  # per shard: only a rare word can be a typo (search.suggest)
                "accuracy": 0.1, "size": CANDIDATES, "shard_size": CANDIDATES * 2, "max_inspections": 5,
                "sort": "score", "string_distance": "damerau_levenshtein"}}
    resp = client.search(index=index, body={"size": 0, "track_total_hits": False, "aggs": aggs,
                                            "suggest": suggest})
    counts: dict[str, int] = {}
    near: dict[str, dict[str, int]] = {}
    for i, word in enumerate(words):
        counts[word] = max(resp["aggregations"][f"{field}.{i}"]["doc_count"] for field in FIELDS)
        found = near.setdefault(word, {})
        for field in FIELDS:
            for entry in resp["suggest"][f"{field}.{i}"]:
                for option in entry["options"]:
                    found[option["text"]] = max(found.get(option["text"], 0), option["freq"])
    return NearbyWords(counts, near)
