"""A QueryPlan's Whoosh query tree as OpenSearch query DSL.

The Whoosh path builds one query tree (search.query_builder) and evaluates it on its own arrays;
this backend builds the same tree and sends it as bool / term / match_phrase / prefix queries over
the same pre-analysed terms, so both backends match the same documents. Scores differ in detail:
Lucene sums a word's per-field BM25 where the Whoosh path saturates them once (BM25F), see
docs/opensearch.md for what that does to the order.
"""

from __future__ import annotations

from whoosh import query as wq

from search.backends.opensearch.mapping import PRE_ANALYSED

# The query builder expands a prefix (`parti*`) through the index's lexicon. OpenSearch does that
# itself: the lexicon below hands the builder one marked pseudo-term per prefix, which becomes a
# `prefix` query capped at 64 expansions, each scored as a term (Whoosh takes the first 64 in
# alphabetical order, OpenSearch the 64 most frequent: the same unless a prefix has more than 64).
PREFIX_MARK = "\u0000prefix\u0000"
MAX_PREFIX_TERMS = 64


class PrefixLexicon:
    """Stands in for a Whoosh reader in QueryBuilder: `expand_prefix` yields the marked prefix;
    `doc_frequency` (which words of a very long query are rarest) is asked of OpenSearch."""

    def __init__(self, client=None, index: str | None = None):
        self.client, self.index = client, index

    def expand_prefix(self, fieldname: str, prefix: str):
        yield PREFIX_MARK + prefix

    def doc_frequency(self, fieldname: str, word: str) -> int:
        if self.client is None:
            return 0
        return self.client.count(index=self.index, body={"query": {"term": {fieldname: word}}})["count"]


def to_dsl(q) -> dict:
    if q is None or isinstance(q, wq.Every):
        return {"match_all": {}}
    if q is wq.NullQuery or isinstance(q, type(wq.NullQuery)):
        return {"match_none": {}}
    boost = float(getattr(q, "boost", 1.0))
    if isinstance(q, wq.Term):
        text = q.text.decode("utf-8") if isinstance(q.text, bytes) else str(q.text)
        if text.startswith(PREFIX_MARK):
            return {"prefix": {q.fieldname: {"value": text[len(PREFIX_MARK):], "boost": boost,
                                             "rewrite": f"top_terms_{MAX_PREFIX_TERMS}"}}}
        return {"term": {q.fieldname: {"value": text, "boost": boost}}}
    if isinstance(q, wq.Phrase):
        return {"match_phrase": {q.fieldname: {"query": " ".join(q.words), "analyzer": PRE_ANALYSED,
                                               "slop": max(0, q.slop - 1), "boost": boost}}}
    if isinstance(q, wq.AndNot):
        return {"bool": {"must": [to_dsl(q.a)], "must_not": [to_dsl(q.b)], "boost": boost}}
    if isinstance(q, wq.AndMaybe):
        return {"bool": {"must": [to_dsl(q.a)], "should": [to_dsl(q.b)], "boost": boost}}
    if isinstance(q, wq.And):
        return {"bool": {"must": [to_dsl(s) for s in q.subqueries], "boost": boost}}
    if isinstance(q, wq.Or):  # WordInFields too: Lucene sums the fields' scores
        return {"bool": {"should": [to_dsl(s) for s in q.subqueries], "minimum_should_match": 1, "boost": boost}}
    raise TypeError(f"no OpenSearch translation for {type(q).__name__} queries")
