"""The Whoosh schema, and the mapping from an Article to an index document."""

from __future__ import annotations

import json

from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema

from search.analysis import get_analyzer
from search.marks import UNMARKED, written_without_marks
from search.metadata.outlets import UNKNOWN, credit_text  # one "unknown" for every facet, outlets included
from search.model import Article

# Text fields by analysis; the query (search.engine) weighs them. English fields are filled for
# English articles only, so stemming never touches Vietnamese syllables.
TEXT_FIELDS = {
    "title": "exact", "body": "exact",  # diacritics kept: exact marks rank higher
    "title_fold": "folded", "body_fold": "folded",  # accent-insensitive recall, and phrases
    "title_en": "english", "body_en": "english",  # stemmed, stop words removed
}
# Positions cost index time and space; phrases and word pairs are matched on the folded fields
# (and on the short title), so the exact body keeps frequencies only.
NO_POSITIONS = {"body", "body_en"}


def build_schema() -> Schema:
    text_fields = {
        name: TEXT(analyzer=get_analyzer(analyzer), phrase=name not in NO_POSITIONS)  # text is in `record`
        for name, analyzer in TEXT_FIELDS.items()
    }
    return Schema(
        id=ID(stored=True, unique=True),
        path=ID(stored=True),
        content_hash=ID(stored=True),
        **text_fields,
        author=TEXT(analyzer=get_analyzer("folded"), stored=True),
        # Facet fields: sortable=True keeps a column per field, so counts need no stored-field reads.
        language=ID(stored=True, sortable=True),
        outlet=ID(stored=True, sortable=True),
        delegate=KEYWORD(stored=True, commas=True, lowercase=True),
        # Searchable, not facets: wire services credited, and people named without taking part.
        credit=TEXT(analyzer=get_analyzer("folded")),
        mentioned=TEXT(analyzer=get_analyzer("folded")),
        year=ID(stored=True, sortable=True),  # "2020", or "unknown" (undated, or year not known)
        month=ID(stored=True, sortable=True),  # "2020-07", or "unknown"
        date=ID(stored=True),  # ISO as known: 2020-07-14, 2020-07, --07-14
        date_precision=ID(stored=True, sortable=True),
        date_sort=NUMERIC(stored=True, sortable=True, bits=32),  # yyyymmdd; 0 when the year is unknown
        marks=ID(),  # "none": Vietnamese written without diacritics, matched folded by marked words (search.marks)
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
        "title_fold": article.title,
        "body_fold": article.body,
        "title_en": article.title if article.language == "en" else "",
        "body_en": article.body if article.language == "en" else "",
        "author": article.author or "",
        "language": article.language,
        "outlet": article.outlet,
        "delegate": ",".join(p.key for p in article.delegates),
        "credit": credit_text(article.credit),
        "mentioned": " ".join(f"{p.name} {p.key}" for p in article.mentioned),
        "year": year,
        "month": month,
        "date": date.iso or "",
        "date_precision": date.precision,
        "date_sort": date_sort,
        "marks": UNMARKED if written_without_marks(article.title + "\n" + article.body, article.language) else "some",
        "record": json.dumps(article.record(), ensure_ascii=False),
    }


def from_stored(fields: dict) -> Article:
    return Article.from_json(json.loads(fields["record"]))
