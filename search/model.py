"""The shapes that flow through ingestion: a parsed page, then an article with its metadata."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from search.urls import safe_http_url


class IngestError(Exception):
    """A file that cannot be read or parsed. The message names the file and the reason."""

    def __init__(self, path: str, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


@dataclass
class ParsedPage:
    """What a page parser (plain-text export or HTML) finds, before metadata is resolved."""

    title: str
    story: list[str]  # the story's lines, boilerplate removed, byline stripped
    head: list[str]  # the raw first lines of the page, where outlet signatures are looked for
    header_date: str | None = None  # a date from structured metadata (export line, meta tag)
    header_date_source: str | None = None
    author: str | None = None
    site_name: str | None = None  # og:site_name or similar
    url: str | None = None  # canonical URL, when the page has one
    # The publishing site when the head's URL is missing or another site's (site_evidence.py):
    # only to name the outlet, never shown; with the evidence that named it.
    site_hint: str | None = None
    site_evidence: str | None = None
    original_url: str | None = None  # syndication: the original article's URL (its site is credited)
    outlet_hint: str | None = None  # outlet key found by a byline pattern while parsing
    dateline: str | None = None  # the place in "Hanoi (VNA) –"
    format: str = "text"

    @property
    def body(self) -> str:
        return "\n".join(self.story)


@dataclass
class DateInfo:
    """A publication date and how much of it is known.

    `iso` is `YYYY-MM-DD` (precision `day`), `YYYY-MM` (`month`), `--MM-DD` (`day-month`: the year
    is unknown) or None (`unknown`). `inferred` says how a missing year was filled in, if it was.
    """

    iso: str | None = None
    precision: str = "unknown"
    year: int | None = None
    month: int | None = None
    day: int | None = None
    source: str | None = None
    inferred: str | None = None


@dataclass
class Person:
    """One delegate: a canonical identity key, the name to show, and the forms seen."""

    key: str
    name: str
    forms: list[str] = field(default_factory=list)


@dataclass
class Article:
    id: str
    path: str  # relative to the corpus root, POSIX separators
    content_hash: str
    title: str
    body: str
    language: str
    outlet: str  # registry key, or "unknown"
    outlet_name: str
    date: DateInfo
    author: str | None = None
    delegates: list[Person] = field(default_factory=list)  # took part: the delegate facet
    url: str | None = None
    dateline: str | None = None
    format: str = "text"
    # False for a page that has a title and nothing else (a photo page, a stub): indexed by its
    # title, shown as such, and counted apart in the reindex summary.
    has_body: bool = True
    credit: list[str] = field(default_factory=list)  # wire services credited in the text: outlet keys
    mentioned: list[Person] = field(default_factory=list)  # named, cited or greeted, not taking part

    def metadata(self) -> dict:
        """The JSON shape of `search docs --json`."""
        return {
            "id": self.id,
            "path": self.path,
            "title": self.title,
            "date": self.date.iso,
            "date_precision": self.date.precision,
            "date_source": self.date.source,
            "date_inferred": self.date.inferred,
            "outlet": self.outlet,
            "outlet_name": self.outlet_name,
            "language": self.language,
            "author": self.author,
            "delegates": [{"key": p.key, "name": p.name} for p in self.delegates],
            "mentioned": [{"key": p.key, "name": p.name} for p in self.mentioned],
            "credit": list(self.credit),
            "url": safe_http_url(self.url),  # only http(s), whatever was stored
            "format": self.format,
            "has_body": self.has_body,
            "content_hash": self.content_hash,
        }

    def to_json(self) -> dict:
        data = self.metadata()
        data["body"] = self.body
        data["dateline"] = self.dateline
        return data

    @classmethod
    def from_json(cls, data: dict) -> Article:
        """Read back what `record()` wrote."""
        date = DateInfo(**data["date"])
        return cls(
            id=data["id"], path=data["path"], content_hash=data["content_hash"], title=data["title"],
            body=data["body"], language=data["language"], outlet=data["outlet"],
            outlet_name=data["outlet_name"], date=date, author=data.get("author"),
            delegates=[Person(**p) for p in data.get("delegates", [])], url=safe_http_url(data.get("url")),
            dateline=data.get("dateline"), format=data.get("format", "text"),
            has_body=data.get("has_body", True),
            credit=data.get("credit", []), mentioned=[Person(**p) for p in data.get("mentioned", [])],
        )

    def record(self) -> dict:
        """Everything, losslessly, for storing in the index."""
        return asdict(self)
