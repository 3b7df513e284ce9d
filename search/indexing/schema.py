"""The Whoosh schema, and the mapping from an Article to an index document."""

from __future__ import annotations

import json

from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema

from search.analysis import DEFAULT_ANALYZER, get_analyzer
from search.model import Article

UNKNOWN = "unknown"


def build_schema(analyzer_name: str = DEFAULT_ANALYZER) -> Schema:
    analyzer = get_analyzer(analyzer_name)
    return Schema(
        id=ID(stored=True, unique=True),
        path=ID(stored=True),
        content_hash=ID(stored=True),
        title=TEXT(analyzer=analyzer, stored=True, field_boost=2.0),
        body=TEXT(analyzer=analyzer, stored=True, chars=True),
        author=TEXT(analyzer=analyzer, stored=True),
        # Facet fields: sortable=True keeps a column per field, so counts need no stored-field reads.
        language=ID(stored=True, sortable=True),
        outlet=ID(stored=True, sortable=True),
        delegate=KEYWORD(stored=True, commas=True, lowercase=True),
        year=ID(stored=True, sortable=True),  # "2020", or "unknown" (undated, or year not known)
        month=ID(stored=True, sortable=True),  # "2020-07", or "unknown"
        date=ID(stored=True),  # ISO as known: 2020-07-14, 2020-07, --07-14
        date_precision=ID(stored=True, sortable=True),
        date_sort=NUMERIC(stored=True, sortable=True, bits=32),  # yyyymmdd; 0 when the year is unknown
        record=STORED,  # the whole Article as JSON, for `search show` and article pages
    )


def to_document(article: Article) -> dict:
    date = article.date
    year = f"{date.year:04d}" if date.year else UNKNOWN
    month = f"{date.year:04d}-{date.month:02d}" if date.year and date.month else UNKNOWN
    date_sort = (date.year * 10000 + (date.month or 0) * 100 + (date.day or 0)) if date.year else 0
    return {
        "id": article.id,
        "path": article.path,
        "content_hash": article.content_hash,
        "title": article.title,
        "body": article.body,
        "author": article.author or "",
        "language": article.language,
        "outlet": article.outlet,
        "delegate": ",".join(p.key for p in article.delegates),
        "year": year,
        "month": month,
        "date": date.iso or "",
        "date_precision": date.precision,
        "date_sort": date_sort,
        "record": json.dumps(article.record(), ensure_ascii=False),
    }


def from_stored(fields: dict) -> Article:
    return Article.from_json(json.loads(fields["record"]))
