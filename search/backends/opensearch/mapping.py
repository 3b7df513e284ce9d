"""The OpenSearch index: settings, mappings, and an Article as an OpenSearch document.

Text fields hold the project's own token streams (search.analysis), joined by single spaces and
split back by a whitespace analyzer: OpenSearch indexes exactly the terms Whoosh indexes, at the
same positions, so a term or phrase query matches the same documents on both backends. The tokens
are not kept in `_source` (the `record` is, as in Whoosh's stored field).

BM25 is set as the Whoosh path's executor sets it (search.executor: k1 2.0, b 1.0; titles b 0.75).
"""

from __future__ import annotations

from search.analysis import ANALYSIS_VERSION, shared_analyzer
from search.executor import K1, TITLE_B, B
from search.indexing.schema import NO_POSITIONS, TEXT_FIELDS, to_document
from search.model import Article

PRE_ANALYSED = "pre_analysed"
TOKEN_FIELDS = (*TEXT_FIELDS, "author", "credit", "mentioned")
FIELD_ANALYZER = {**TEXT_FIELDS, "author": "folded", "credit": "folded", "mentioned": "folded"}
KEYWORDS = ("id", "path", "content_hash", "language", "outlet", "year", "month", "date", "date_precision",
            "marks")  # marks: "none" for an article written without Vietnamese marks (search.marks)
PERSON_SEPARATOR = "\u001f"  # between a delegate's key and the name an article gives them


def index_body(shards: int, replicas: int) -> dict:
    text = {"type": "text", "analyzer": PRE_ANALYSED, "norms": True}
    properties = {name: {**text, "similarity": "title_bm25" if name.startswith("title") else "body_bm25",
                         "index_options": "freqs" if name in NO_POSITIONS else "positions"}
                  for name in TOKEN_FIELDS}
    properties.update({name: {"type": "keyword"} for name in KEYWORDS})
    properties.update({
        "delegate": {"type": "keyword"},  # one value per delegate key
        "person": {"type": "keyword"},  # key<US>name as the article writes it, for display names
        "date_sort": {"type": "integer"},  # yyyymmdd; absent when the year is unknown
        "month_start": {"type": "date", "format": "yyyy-MM-dd"},  # for the date histogram
        "size": {"type": "long", "index": False},
        "mtime_ns": {"type": "long", "index": False},
        "record": {"type": "object", "enabled": False},  # the whole Article, for hits and article pages
    })
    return {
        "settings": {
            "index": {"number_of_shards": shards, "number_of_replicas": replicas},
            "analysis": {"analyzer": {PRE_ANALYSED: {"type": "custom", "tokenizer": "whitespace"}}},
            "similarity": {"body_bm25": {"type": "BM25", "k1": K1, "b": B},
                           "title_bm25": {"type": "BM25", "k1": K1, "b": TITLE_B}},
        },
        "mappings": {
            "dynamic": "strict",
            "_meta": {"analysis_version": ANALYSIS_VERSION},
            "_source": {"excludes": list(TOKEN_FIELDS)},
            "properties": properties,
        },
    }


def analysed(analyzer: str, text: str) -> str:
    """`text` as the space-joined terms the named analyzer makes of it when indexing."""
    if not text:
        return ""
    return " ".join(t.text for t in shared_analyzer(analyzer)(text))


def to_source(article: Article, size: int | None = None, mtime_ns: int | None = None) -> dict:
    doc = to_document(article)  # the Whoosh document: the same facet values and text per field
    source = {name: doc[name] for name in KEYWORDS}
    for name in TOKEN_FIELDS:
        source[name] = analysed(FIELD_ANALYZER[name], doc[name])
    keys = [p.key for p in article.delegates]
    source["delegate"] = list(dict.fromkeys(keys))
    source["person"] = [f"{p.key}{PERSON_SEPARATOR}{p.name}" for p in article.delegates]
    if doc["date_sort"]:  # left out when the year is unknown: sorted last, outside every date range
        source["date_sort"] = doc["date_sort"]
    if doc["month"] != "unknown":
        source["month_start"] = doc["month"] + "-01"
    source["size"] = size
    source["mtime_ns"] = mtime_ns
    source["record"] = article.record()
    return source
