"""HTML pages: one lxml tree for the story (trafilatura), the metadata and the date (htmldate).

The page is parsed once, by lxml (trafilatura's `load_html` steps, with its repairs of faulty markup),
and every step reads that tree:
- `parse_html` reads what the `<head>` says about the page: `og:title`, `<title>`, canonical
  URL, `og:site_name`, author, and the dates in `<meta>` and JSON-LD, each with the name of the
  tag it came from (the evidence kept with the date); and the few things the body says (its
  `<h1>`, a byline element, JSON-LD placed in the body);
- `main_text` hands the tree to trafilatura (which works on a copy);
- `page_date` reads the date a page prints, then hands the tree to htmldate.
The metadata was read by BeautifulSoup from a second parse of the head; on the shared pages that
second parse (and the regex that cut scripts out before it) cost a fifth of a page's time outside
trafilatura, for the same values (`tests/test_extraction.py::test_head_metadata_*`).

The tree rules name elements by the words in their class or id (`rules.py`). Those words are read
once per page (`ClassIndex`) and every rule (breadcrumbs, byline, date furniture, date elements)
filters that list: one pass instead of one per rule.

Rules that are ours, not trafilatura's (breadcrumbs out before anything reads the tree, the
furniture of the field's outlets after) live in `rules.py` and `boilerplate.py`.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import unicodedata
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import htmldate
import lxml.html
import trafilatura
from lxml import etree
from lxml.html import HtmlComment, HtmlElement, HtmlEntity, HtmlProcessingInstruction
from trafilatura.utils import DOCTYPE_TAG, FAULTY_HTML, is_dubious_html, repair_faulty_html

from search.ingest.rules import (
    BREADCRUMB,
    BREADCRUMB_MAX_CHARS,
    BYLINE_CLASS,
    BYLINE_ROLE,
    DATE_ELEMENT,
    DATE_ELEMENT_MAX_CHARS,
    DATE_FURNITURE,
    DATE_FURNITURE_TAGS,
    ISSUE_MONTH,
    LONG_TEXT_XPATH,
    PUBLISHED_ELEMENT,
    PUBLISHED_LABEL_TAIL,
    PUBLISHED_LABELS,
    PUBLISHED_META,
    UPDATED_ELEMENT,
    UPDATED_LABEL,
)
from search.ingest.source_url import http_url, resolve_source_url
from search.metadata.dates import (
    MONTHS,
    find_dates,
    local_day,
    parse_date,
    parse_element_date,
    publisher_zone,
    utc_instant,
)
from search.metadata.site_evidence import publishing_site
from search.model import ParsedPage

# trafilatura and htmldate log every page they give up on at WARNING; a reindex reports for itself.
for _name in ("trafilatura", "htmldate"):
    logging.getLogger(_name).setLevel(logging.CRITICAL)

# Trafilatura, as benchmarked in docs/extraction.md: comments are not the story; tables are
# (programmes, delegation lists).
TRAFILATURA_OPTIONS = dict(include_comments=False, include_tables=True, include_images=False,
                           include_links=False, deduplicate=False, output_format="txt")
TRAFILATURA_FAST = {**TRAFILATURA_OPTIONS, "output_format": "python"}  # a Document: its text and body
EARLIEST = dt.datetime(1990, 1, 1)  # no party-diplomacy article online predates the web
# A date as whole path segments: /2005/03/11/, /20050311/, /2024/1022/, /2020-07-14/ (a number
# that merely starts with eight digits, /20050311123.html, is an id).
URL_DATE = re.compile(r"/((?:19|20)\d\d)[/_-]?(0[1-9]|1[0-2])[/_-]?(0[1-9]|[12]\d|3[01])(?=/)")
DATE_ELEMENTS_TRIED = 30
_JSON_LD = '//script[@type="application/ld+json"]'


# trafilatura's parser (`trafilatura.utils.HTML_PARSER`, same options), but every element is a
# plain HtmlElement chosen by lxml in C: lxml.html's default lookup calls a Python method for each
# element object made (for per-tag form classes no step here uses), ~600,000 calls on the shared
# pages, 5 % of a page's time. Same tree, same text; trafilatura and htmldate take it as it is.
_PARSER = lxml.html.HTMLParser(collect_ids=False, default_doctype=False, encoding="utf-8", remove_comments=True,
                               remove_pis=True)
_PARSER.set_element_class_lookup(etree.ElementDefaultClassLookup(
    element=HtmlElement, comment=HtmlComment, pi=HtmlProcessingInstruction, entity=HtmlEntity))


def load_html(text: str) -> HtmlElement | None:
    """trafilatura's `load_html` for a decoded page, with `_PARSER`: its repairs of faulty markup
    (`repair_markup`), its fallback to the other input type, and its refusal of what is not HTML
    (see `_document_tree`).

    lxml reads the page's UTF-8 bytes first (trafilatura starts with the string): the same tree
    on every page of the shared set and ours, and 0.25 ms a page less than parsing the string.
    With `repair_markup`: 2.2 → 1.6 ms a shared page.
    """
    beginning = text[:50].lower()
    dubious = is_dubious_html(beginning)
    data = text.encode("utf-8", "surrogatepass")
    repaired = repair_markup(text, beginning, data)
    if repaired != text:
        text, data = repaired, repaired.encode("utf-8", "surrogatepass")
    tree = _parse(data)
    if tree is None or not len(tree):  # then the string, else what the bytes gave, as trafilatura
        from_string = _parse(text)
        tree = from_string if from_string is not None and len(from_string) else tree
    if tree is not None and dubious and len(tree) < 2:
        return None
    return tree


def _parse(markup: str | bytes) -> HtmlElement | None:
    try:
        return lxml.html.fromstring(markup, parser=_PARSER)
    except Exception:  # noqa: BLE001 - as trafilatura: a page lxml cannot read is no tree
        return None


# What trafilatura's `repair_faulty_html` deletes (`INVALID_XML_CHARS`): the C0 controls but
# tab, LF and CR, and the non-characters U+FFFE and U+FFFF.
_C0_DELETED = bytes(range(0x00, 0x09)) + b"\x0b\x0c" + bytes(range(0x0E, 0x20))


def repair_markup(text: str, beginning: str, data: bytes | None = None) -> str:
    """`trafilatura.utils.repair_faulty_html`, the same result, without its regex scan of every
    page for control characters (0.65 ms on a 136 kB page) when a test of the UTF-8 bytes (`data`,
    the bytes lxml then reads; 0.1 ms) finds none, as on all but 2 of the 250 shared pages: then
    only its two other repairs run, of a doctype lxml misreads and of a self-closing `<html/>`."""
    if data is None:
        data = text.encode("utf-8", "surrogatepass")
    # In UTF-8 a C0 control is one byte and no byte of any other character.
    if len(data.translate(None, _C0_DELETED)) != len(data) or "\ufffe" in text or "\uffff" in text:
        return repair_faulty_html(text, beginning)
    if "doctype" in beginning:
        firstline, _, rest = text.partition("\n")
        text = DOCTYPE_TAG.sub("", firstline, count=1) + "\n" + rest
    for line in text[:4096].splitlines()[:4]:
        if "<html" in line and line.endswith("/>"):
            return FAULTY_HTML.sub(r"\1>", text, count=1)
    return text


_INDEXED_TAGS = frozenset({"time", "nav", "aside", "footer", "h1"})  # h1: where the story's header starts
_ROLE_ATTRIBUTES = frozenset({"aria-label", "itemtype", "itemprop", "rel"})


class ClassIndex:
    """The elements the tree rules look at, read in one pass in document order: those with a
    class or id (lower-cased into `key`), a tag a rule names (`<time>`, `<nav>`…), or a role
    attribute (`aria-label`, `itemtype`, `itemprop="author"`/`"datePublished"`, `rel="author"`,
    into `role`).
    Each rule filters this list; elements later cut from the tree are left out (`forget`).
    One XPath per rule cost ~1 ms each on the shared pages. The pass is a walk over the elements
    that reads an attribute only when the element's attribute names hold it: 2.0 → 1.2 ms a
    shared page against one XPath of all the conditions, the same entries
    (`tests/test_extraction_parse.py`)."""

    TAGS = _INDEXED_TAGS

    def __init__(self, tree: HtmlElement):
        self.entries = [entry for top in _top_level(tree) for entry in self._walk(top)]

    @classmethod
    def _walk(cls, top: HtmlElement):
        for el in top.iter(etree.Element):
            names = el.keys()
            if not names:
                if el.tag in _INDEXED_TAGS:
                    yield el, el.tag, " ", _NO_ROLE
                continue
            get = el.get
            key = f"{get('class') or ''} {get('id') or ''}".lower()
            if _ROLE_ATTRIBUTES.isdisjoint(names):
                if "class" in names or "id" in names or el.tag in _INDEXED_TAGS:
                    yield el, el.tag, key, _NO_ROLE
            elif ("class" in names or "id" in names or "aria-label" in names or "itemtype" in names
                  or get("itemprop") in ("author", "datePublished") or get("rel") == "author"
                  or el.tag in _INDEXED_TAGS):
                yield el, el.tag, key, cls.role(el)

    @staticmethod
    def role(el: HtmlElement | None) -> str:
        """"aria-label itemtype prop:itemprop rel:rel", lower-cased (`rules.BYLINE_ROLE` reads it)."""
        get = el.get if el is not None else (lambda name: None)
        return (f"{get('aria-label') or ''} {get('itemtype') or ''} prop:{get('itemprop') or ''}"
                f" rel:{get('rel') or ''}").lower()

    def named(self, words: re.Pattern, tags: frozenset | set = frozenset()) -> list:
        """Elements whose class or id matches `words`, or whose tag is in `tags`, in document order."""
        return [el for el, tag, key, _ in self.entries if tag in tags or words.search(key)]

    def breadcrumbs(self) -> list:
        """Named a breadcrumb, labelled one (`aria-label`) or typed a BreadcrumbList (schema.org)."""
        return [el for el, _, key, role in self.entries if BREADCRUMB.search(key) or "breadcrumb" in role]

    def bylines(self) -> list:
        """`itemprop="author"`, `rel="author"`, or the class word `author` or `byline`."""
        return [el for el, _, key, role in self.entries  # `key` holds the class, lower-cased
                if BYLINE_ROLE.search(role) or (("author" in key or "byline" in key)
                                                and BYLINE_CLASS.search(f" {el.get('class') or ''} "))]

    def forget(self, removed: list) -> None:
        gone = {el for node in removed for el in node.iter()}
        if gone:
            self.entries = [entry for entry in self.entries if entry[0] not in gone]


_NO_ROLE = ClassIndex.role(None)


def _top_level(tree: HtmlElement) -> list[HtmlElement]:
    """The document's root element and, in broken markup, the elements lxml leaves beside it
    (after `</html>`), which `//*` reads too."""
    root = tree.getroottree().getroot()
    return [*reversed(list(root.itersiblings(preceding=True))), root, *root.itersiblings()]


@dataclass
class HtmlPage:
    """A parsed page: the lxml tree for the story and date, and what the page says about itself."""

    tree: HtmlElement | None
    page: ParsedPage
    classes: ClassIndex | None = field(default=None, repr=False)


def parse_html(text: str) -> HtmlPage:
    """Title, URL, site name, author and the page's declared date; the story is left to `main_text`."""
    # trafilatura refuses markup without `<html>` made of one element: a crawl wrapper
    # (`<text id=URL title=…>` around the page) is one. It is still a page: lxml reads it whole.
    tree = load_html(text)
    if tree is None:
        tree = _document_tree(text)
    if tree is None:
        return HtmlPage(None, ParsedPage(title="", story=[], head=[], format="html"))
    head = _head(tree)
    meta = meta_values(head)
    title = (meta.get("og:title") or _first_text(tree.xpath("//h1")) or _first_text(list(head.iter("title")))
             or _wrapper_attr(tree, "title") or "")
    url = source_url(tree, head, meta)
    classes = ClassIndex(tree)
    author = meta.get("author") or meta.get("article:author") or _first_text(classes.bylines())
    date, date_source = published_meta(tree, meta)
    if date and utc_instant(date) and (local := local_day(date, page_zone(tree, head, url))):
        date, date_source = local[0], f"{date_source} {local[1]}"
    site_name = meta.get("og:site_name") or meta.get("application-name")
    # No URL in the head, or another site's (syndication): the publishing site from the whole page.
    site = publishing_site(tree, url, site_name, meta)
    page = ParsedPage(title=" ".join(title.split()), story=[], head=[], header_date=date,
                      header_date_source=date_source, author=author.strip() if author else None,
                      site_name=site_name, url=url, site_hint=site.url if site else None,
                      site_evidence=site.evidence if site else None,
                      original_url=site.original if site else None, format="html")
    # A breadcrumb's date is no one's publication date.
    trails = [el for el in classes.breadcrumbs()  # not <body class="has-breadcrumb">
              if len(el.text_content()) <= BREADCRUMB_MAX_CHARS]
    _drop(trails)
    classes.forget(trails)
    return HtmlPage(tree, page, classes)


def main_text(html: HtmlPage) -> list[str]:
    """The story's paragraphs, one per line, as trafilatura finds them (nothing if it finds none).

    Trafilatura's own extractor first (`fast`); its comparison with readability and jusText
    (a quarter of its time) only when that came back empty or without the shape of a story (no
    paragraph text, more tables than paragraphs): the cases where trafilatura's rules prefer the
    other extractors whatever their length. Measured in docs/extraction.md: on the shared set
    the same F1 as the full cascade on every page (0.970 / 0.903 vs 0.969 / 0.904), at three
    quarters of the time.
    """
    if html.tree is None:
        return []
    doc = trafilatura.bare_extraction(html.tree, url=html.page.url, fast=True, **TRAFILATURA_FAST)
    if doc is not None and doc.text and not _story_shape_missing(doc.body):
        text = unicodedata.normalize("NFC", doc.text)
    else:
        text = trafilatura.extract(html.tree, url=html.page.url, **TRAFILATURA_OPTIONS)
    return text.splitlines() if text else []


def _story_shape_missing(body) -> bool:
    return not body.xpath(".//p//text()") or len(body.findall(".//table")) > len(body.findall(".//p"))


def page_date(html: HtmlPage) -> tuple[str | None, str | None]:
    """The page's own date, with its evidence, in order of trust:

    1. its `<meta>`/JSON-LD publication date (read by `parse_html`);
    2. a date element it prints (`<time>`, `.date`, `.info`…), read by our patterns and
       dateparser, so "2026年01月30日 10:05" and "14 июля 2020, 12:00" count;
    3. htmldate's reading of the markup: the original date, not "updated", no download, no
       search of the free text, and never the current date as a fallback.
    Other articles' dates (related lists, sidebars, comments, footers) and the story's long
    paragraphs (a trip's dates, an anniversary) are cut from the tree first: it is read after
    `main_text`, which works on its own copy.
    """
    page = html.page
    if page.header_date or html.tree is None:
        return page.header_date, page.header_date_source
    tree, classes = html.tree, html.classes
    furniture = [el for el in classes.named(DATE_FURNITURE, DATE_FURNITURE_TAGS)
                 if el.tag not in ("html", "body") and el.find(".//h1") is None]  # not a wrapper named "has-sidebar"
    _drop(furniture)
    classes.forget(furniture)
    found, updated = _date_element(classes, tree.get("lang"))
    if found and utc_instant(found[0]) and (local := local_day(found[0], page_zone(tree, _head(tree), page.url))):
        found = local[0], f"{found[1]} {local[1]}"
    if found:
        return found
    if found := url_date(page.url):
        return found
    body = tree.find("body")
    text = (body if body is not None else tree).text_content()  # furniture out: no comment's label
    if found := labelled_date(text) or stamp_under_headline(text, page.title) or updated:
        return found
    _drop(tree.xpath(LONG_TEXT_XPATH))
    found = htmldate.find_date(tree, extensive_search=False, original_date=True, url=page.url,
                               min_date=EARLIEST, max_date=dt.datetime.now() + dt.timedelta(days=1))
    if found:
        return found, "htmldate (page markup)"
    return issue_month(text) or (None, None)


def labelled_date(text: str) -> tuple[str, str] | None:
    """The first whole date the page's text labels as published (`rules.PUBLISHED_LABELS`).

    The labels are found with `str.find` in the lowered text and only their tails read by a
    regex: one case-blind regex of all the labels cost ~15 ms on a 100 kB page."""
    low = text.lower()  # same length for the letters of the labels; positions are only read in `low`
    hits = []
    for label in PUBLISHED_LABELS:
        at = low.find(label)
        while at >= 0:
            if not (label.isascii() and at and low[at - 1].isalpha()):  # "published", not "unpublished"
                hits.append((at, label))
            at = low.find(label, at + len(label))
    for at, label in sorted(hits):
        tail = PUBLISHED_LABEL_TAIL.match(low, at + len(label))
        if not tail:
            continue
        after = tail.group(1)
        dates = find_dates(after)
        # the date right after its label ("Posted on Monday, July 14, 2020", "Published 11:26 pm EST,
        # Tuesday, November 19, 2019"), not "posted 3 comments … July 4"
        if not dates or dates[0].start > 30 or re.search(r"\d", _CLOCK.sub("", after[:dates[0].start])):
            continue
        d = dates[0]
        if d.year and d.day and EARLIEST.year <= d.year <= dt.date.today().year:
            shown = text if len(text) == len(low) else low
            evidence = " ".join(shown[at:tail.start(1) + d.start + len(d.text)].split())
            return f"{d.year:04d}-{d.month:02d}-{d.day:02d}", f"page text '{evidence}'"
    return None


HEADLINE_STAMP_CHARS = 300  # how far after the headline its byline line may sit
_CLOCK = re.compile(r"\s*\d{1,2}[:：]\d\d")


def stamp_under_headline(text: str, title: str) -> tuple[str, str] | None:
    """A whole date with its clock time in the lines right after the headline, unlabelled: the
    byline line of pages built from tables ("AUTO.SOHU.COM 2003年11月12日16:36 金羊网—新快报",
    "http://www.sina.com.cn 2005年03月02日 10:21 新华网"), in the text of the page's body. The time
    makes it a stamp, not a date the story's first sentence mentions."""
    head = title[:12].strip()  # the title may carry a site suffix ("…(图)-搜狐汽车") the headline has not
    if len(head) < 4:
        return None
    at = text.find(head)
    for _ in range(3):  # the headline may be printed in a menu or a script's string first
        if at < 0:
            return None
        window = text[at + len(head):at + len(head) + HEADLINE_STAMP_CHARS]
        for d in find_dates(window):
            if d.year and d.day and _CLOCK.match(window, d.start + len(d.text)):
                return f"{d.year:04d}-{d.month:02d}-{d.day:02d}", f"stamp under the headline '{d.text}'"
        at = text.find(head, at + len(head))
    return None


def issue_month(text: str) -> tuple[str, str] | None:
    """The month of the magazine issue a story is reprinted from (`rules.ISSUE_MONTH`)."""
    m = ISSUE_MONTH.search(text)
    if not m:
        return None
    year, month = (int(m[1]), int(m[2])) if m[1] else (int(m[4]), MONTHS[m[3].lower()])
    if not 1 <= month <= 12:
        return None
    return f"{year:04d}-{month:02d}", f"magazine issue '{' '.join(m.group(0).split())}'"


def url_date(url: str | None) -> tuple[str, str] | None:
    """A whole date as a segment of the URL's path (`/20050311/`, `/2024/10/22/`, `/n3/2024/1022/`):
    news systems file a story under the day it is published."""
    if not url:
        return None
    path = urlsplit(url).path
    for m in URL_DATE.finditer(path):
        year, month, day = (int(g) for g in m.groups())
        try:
            date = dt.date(year, month, day)
        except ValueError:
            continue
        if EARLIEST.date() <= date <= dt.date.today() + dt.timedelta(days=1):
            return date.isoformat(), f"page URL '{m.group(0).strip('/')}'"
    return None


def _date_element(classes: ClassIndex, lang: str | None = None) -> tuple[tuple[str, str] | None,
                                                                          tuple[str, str] | None]:
    """The first date element after the headline (`<h1>`), else the first before it: a headline
    is followed by its byline and date, while the masthead above it prints today's date ("November
    20, 2019" above a story of the 19th) and tickers print other stories'. Second, the first
    printed as an update's ("Updated 9:05 am, Nov. 21"), for when the page labels no other."""
    before, after, headline, marked_updated = [], [], False, set()
    for el, tag, key, role in classes.entries:
        if tag == "h1":
            headline = True
        elif tag == "time" or DATE_ELEMENT.search(key) or "prop:datepublished" in role:
            (after if headline else before).append(el)
            if UPDATED_ELEMENT.search(f"{key} {role}") and not PUBLISHED_ELEMENT.search(f"{key} {role}"):
                marked_updated.add(el)
    updated = None
    for node in (after + before)[:DATE_ELEMENTS_TRIED]:
        if node.tag != "time" and node.find(".//time[@datetime]") is not None:
            continue  # its <time datetime> comes next and says the same date as the metadata would
        shown = " ".join(node.text_content().split())
        text = node.get("datetime") or node.get("content") or shown
        if utc_instant(text) and len(shown) <= DATE_ELEMENT_MAX_CHARS and (day := parse_date(shown)) \
                and day.precision == "day":
            text = shown  # a UTC instant printed as the publisher's day: the day the reader sees
        if not text or len(text) > DATE_ELEMENT_MAX_CHARS:
            continue
        info = parse_element_date(text, lang)  # "22 de outubro de 2010": the page's language too
        if info and info.precision == "day":
            if UPDATED_LABEL.match(text) or node in marked_updated:  # "Updated 11:21 pm, Nov. 19": only if
                # nothing else is printed
                updated = updated or (text, f"page date element <{node.tag}> '{text}' (an update's)")
                continue
            day = text if utc_instant(text) else info.iso  # a UTC instant: its day is the publisher's (page_date)
            return (day, f"page date element <{node.tag}> '{text}'"), None
    return None, updated


def _drop(nodes: list) -> None:
    for node in nodes:
        if node.getparent() is not None:
            node.drop_tree()


_LENIENT = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True)


def _document_tree(text: str) -> HtmlElement | None:
    """lxml's reading of markup trafilatura will not take as a document, as a whole document."""
    try:
        return lxml.html.document_fromstring(text.encode("utf-8", "surrogatepass"), parser=_LENIENT)
    except (ValueError, lxml.etree.ParserError):
        return None


def _head(tree: HtmlElement) -> HtmlElement:
    """Where a page says what it is: its `<head>` (lxml puts the metadata of a page without
    one there too); the whole document when there is no head at all (a crawl wrapper)."""
    head = tree.find("head")
    return head if head is not None and len(head) else tree


def meta_values(head: HtmlElement) -> dict[str, str]:
    """Every `<meta>` with content, by its property, name or itemprop (lower-cased); the first wins."""
    values: dict[str, str] = {}
    for tag in head.iter("meta"):
        content = tag.get("content")
        if not content or not content.strip():
            continue
        for attr in ("property", "name", "itemprop"):
            key = tag.get(attr)
            if key and key.strip():
                values.setdefault(key.strip().lower(), content.strip())
    return values


def page_zone(tree: HtmlElement, head: HtmlElement, url: str | None):
    """The publisher's time zone (`dates.publisher_zone`) from what this page says: the offsets of
    its other timestamps (`<meta>`, JSON-LD, `<time datetime>`), its URL, its `<html lang>`."""
    stamps = [tag.get("content") or "" for tag in head.iter("meta")]
    stamps += [s.text or "" for s in tree.xpath(_JSON_LD)] + tree.xpath("//time/@datetime")
    return publisher_zone(url, tree.get("lang"), stamps)


def published_meta(tree: HtmlElement, meta: dict[str, str]) -> tuple[str | None, str | None]:
    """A publication date the page declares in `<meta>` or JSON-LD, with the tag it came from."""
    for name in PUBLISHED_META:
        if value := meta.get(name.lower()):
            return value, f"meta {name}"
    for script in tree.xpath(_JSON_LD):
        if value := _json_ld_date(script.text or ""):
            return value, "JSON-LD datePublished"
    return None, None


def _first_text(nodes: list) -> str | None:
    """The text of the first of (at most three) elements that has any."""
    for node in nodes[:3]:
        text = " ".join(node.text_content().split())
        if text:
            return text
    return None


def _wrapper_attr(tree: HtmlElement, name: str) -> str | None:
    """Crawl corpora wrap pages in `<text id="URL" title="…">`: their only URL and title."""
    wrapper = next(tree.iter("text"), None)
    value = wrapper.get(name) if wrapper is not None else None
    return value.strip() if value and value.strip() else None


def _json_ld_date(raw: str) -> str | None:
    try:
        data = json.loads(raw)
    except ValueError:
        return None
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if isinstance(item.get("datePublished"), str):
                return item["datePublished"]
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return None


def _links(head: HtmlElement, rel: str) -> list[HtmlElement]:
    return [link for link in head.iter("link") if link.get("href") and rel in (link.get("rel") or "").lower().split()]


def source_url(tree: HtmlElement, head: HtmlElement, meta: dict[str, str]) -> str | None:
    """The canonical URL (else `og:url`, else a crawl wrapper's URL), relative ones resolved
    against whichever of them is absolute; only http(s) is ever kept."""
    canonical = next((link.get("href") for link in _links(head, "canonical")), None)
    candidates = [canonical, meta.get("og:url"), _wrapper_attr(tree, "id")]
    base = next((u for u in candidates + [_base_href(head)] if http_url(u)), None)
    return next((url for c in candidates if (url := resolve_source_url(c, base))), None)


def _base_href(head: HtmlElement) -> str | None:
    base = next((b for b in head.iter("base") if b.get("href")), None)
    return base.get("href").strip() if base is not None else None
