"""Find the corpus files, read one, and turn it into an `Article` with all its metadata."""

from __future__ import annotations

import hashlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path

import icu

from search.ingest.boilerplate import clean_story
from search.ingest.encodings import decode
from search.ingest.text_export import parse_text_export, strip_byline
from search.metadata.dates import article_date
from search.metadata.language import detect_language
from search.metadata.outlets import OutletRegistry
from search.metadata.people import DelegateExtractor, PeopleRegistry
from search.model import Article, DateInfo, IngestError, ParsedPage

TEXT_SUFFIXES = {".txt", ".text"}
HTML_SUFFIXES = {".html", ".htm"}
SUPPORTED = TEXT_SUFFIXES | HTML_SUFFIXES
HEAD_LINES = 15  # outlet signatures are looked for this far into the story
MAX_FILE_BYTES = 20 * 1024 * 1024  # a news page is kilobytes; anything this big is not an article


@dataclass
class CorpusFile:
    rel: str  # POSIX path relative to the corpus root: the document's identity
    path: str | Path  # plain strings from discovery: 100,000 Path objects cost seconds
    stat: os.stat_result | None = None  # as the walk found it (discover_files), if it did


def doc_id(rel: str) -> str:
    """Stable id from the path: 16 hex digits, safe in URLs and unable to name a file."""
    return hashlib.blake2b(rel.encode("utf-8", "surrogateescape"), digest_size=8).hexdigest()


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def discover_files(root: Path, follow_outside_links: bool = False) -> tuple[list[CorpusFile], list[tuple[str, str]]]:
    """Every supported file under `root` (recursively, hidden ones skipped, links not followed
    into directories, so a symlink loop cannot trap the walk), and the files skipped with why.
    A symbolic link is followed only to a file inside `root` (a link to /etc/passwd must not be
    published), unless `follow_outside_links`. Each file comes with its `os.stat` (None if that
    failed), taken by the walk itself: one system call a file, which the reindex's plan needs."""
    found: list[CorpusFile] = []
    skipped: list[tuple[str, str]] = []
    top = os.fspath(root)
    _walk(top, "", os.path.realpath(top), follow_outside_links, found, skipped)
    return found, skipped


def _walk(folder: str, prefix: str, real_top: str, follow_outside_links: bool,
          found: list[CorpusFile], skipped: list[tuple[str, str]]) -> None:
    """One folder, as os.walk(followlinks=False) lists it (its files by name, then its folders by
    name; an unreadable folder skipped), from os.scandir's entries: their file types come with the
    listing, so telling links and folders apart costs no system call."""
    try:
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=lambda e: e.name)
    except OSError:
        return
    folders = []
    for entry in entries:
        try:
            is_dir = entry.is_dir()
        except OSError:
            is_dir = False
        name = entry.name
        if is_dir:
            if not name.startswith(".") and not entry.is_symlink():
                folders.append(entry)
            continue
        if name.startswith("."):
            continue
        # A name that is not UTF-8 arrives with surrogate escapes; show its bad bytes as \xNN.
        rel = (prefix + name).encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
        dot = name.rfind(".")  # os.path.splitext's suffix (the name has no leading dot), at half its cost
        if name[dot:].lower() not in SUPPORTED:
            skipped.append((rel, f"not an article file (supported: {', '.join(sorted(SUPPORTED))})"))
            continue
        path = entry.path
        if not follow_outside_links and entry.is_symlink() and (outside := _outside(path, real_top)):
            skipped.append((rel, f"symbolic link to a file outside the corpus folder ({outside}); "
                                 "not indexed (--follow-outside-links allows it)"))
            continue
        try:
            info = entry.stat()
        except OSError:
            info = None
        found.append(CorpusFile(rel, path, info))
    for entry in folders:
        _walk(entry.path, prefix + entry.name + "/", real_top, follow_outside_links, found, skipped)


def _outside(path: str, real_top: str) -> str | None:
    """The target of a symbolic link that leads out of the corpus folder, else None."""
    target = os.path.realpath(path)
    return None if os.path.commonpath([target, real_top]) == real_top else target


class Ingestor:
    """Reads corpus files into Articles. Registries are passed in (or loaded from the package)."""

    def __init__(self, outlets: OutletRegistry | None = None, people: PeopleRegistry | None = None):
        self.outlets = outlets or OutletRegistry.load()
        self.people = people or PeopleRegistry.load()
        self.delegates = DelegateExtractor(self.people)
        self._nfc = icu.Normalizer2.getNFCInstance()

    def read(self, file: CorpusFile) -> tuple[bytes, str]:
        """The file's bytes and content hash; IngestError if it cannot be read."""
        try:
            info = os.stat(file.path)
            if not stat.S_ISREG(info.st_mode):  # a named pipe would block the reindex forever
                raise IngestError(file.rel, "not a regular file (a pipe, socket or device)")
            size = info.st_size
            if size > MAX_FILE_BYTES:
                raise IngestError(file.rel, f"file too large ({size / 1e6:.0f} MB; "
                                            f"limit {MAX_FILE_BYTES // 2**20} MiB)")
            with open(file.path, "rb") as f:
                data = f.read()
        except IngestError:
            raise
        except FileNotFoundError:
            if os.path.islink(file.path):
                raise IngestError(file.rel, "broken symbolic link (its target does not exist)") from None
            raise IngestError(file.rel, "file vanished before it could be read") from None
        except PermissionError:
            raise IngestError(file.rel, "permission denied") from None
        except OSError as e:
            raise IngestError(file.rel, f"cannot read: {e.strerror or e}") from None
        return data, content_hash(data)

    def load(self, file: CorpusFile, data: bytes | None = None, digest: str | None = None) -> Article:
        """The pipeline, in order: bytes → text → page parts → main text → clean story → metadata."""
        if data is None:
            data, digest = self.read(file)
        is_html = os.path.splitext(file.path)[1].lower() in HTML_SUFFIXES
        # 1. Bytes to text (encodings.STEPS), one normal form for everything after.
        text = decode(data, file.rel, is_html)
        if not self._nfc.isNormalized(text):  # most pages are NFC already: the check costs a third
            text = self._nfc.normalize(text)
        # 2. Parse: title, metadata and, for HTML, the tree; 3. the main text, raw.
        if is_html:
            # Imported here: trafilatura and htmldate cost a text-export reindex ~0.2 s it never uses.
            from search.ingest.html_page import main_text, page_date, parse_html

            html = parse_html(text)
            page = html.page
            page.story = main_text(html)
            page.head = page.story[:HEAD_LINES]
            page.header_date, page.header_date_source = page_date(html)
        else:
            try:
                page = parse_text_export(text)
            except ValueError as e:
                raise IngestError(file.rel, str(e)) from None
        if not page.title:
            raise IngestError(file.rel, "no title (no og:title, <h1> or <title>)" if is_html else "no title")
        # 4. Clean: page furniture out of the story (boilerplate.STEPS).
        page.story = clean_story(page.story, page.title)
        # 5. Date, read before the byline goes: "HÀ NỘI, 14/7 (TTXVN) –" is a dateline too.
        date = article_date(page.header_date, page.header_date_source, page.story, page.url)
        strip_byline(page, self.outlets)
        # 6. Metadata: outlet, language, delegates.
        return self._article(file, page, date, digest or content_hash(data))

    def _article(self, file: CorpusFile, page: ParsedPage, date: DateInfo, digest: str) -> Article:
        # The publishing site (URL, site name, then byline or signature); wire credits apart.
        outlet = self.outlets.resolve(page.site_hint or page.url, page.site_name, page.outlet_hint, page.head)
        body = page.body.strip()
        text = page.title + "\n" + body
        people = self.delegates.extract_people(text, exclude=[page.author])
        return Article(
            id=doc_id(file.rel),
            path=file.rel,
            content_hash=digest,
            title=page.title,
            body=body,
            language=detect_language(page.title + "\n" + body),
            outlet=outlet.key,
            outlet_name=outlet.name,
            date=date,
            author=page.author,
            delegates=people.delegates,
            mentioned=people.mentioned,
            credit=self.outlets.credits(text, page.outlet_hint, page.original_url),
            url=page.url,
            dateline=page.dateline,
            format=page.format,
            has_body=bool(body),
        )
