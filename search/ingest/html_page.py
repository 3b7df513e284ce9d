"""HTML pages: the story from trafilatura, the metadata from BeautifulSoup, the date from htmldate.

The page is parsed twice, each parser doing what it does best:
- lxml (through trafilatura) builds the tree that `main_text` reads the story from and that
  `page_date` hands to htmldate; the few things the body says about the page (its `<h1>`, a
  byline element, JSON-LD placed in the body) are looked up in that same tree;
- BeautifulSoup reads what the `<head>` says about the page: `og:title`, `<title>`, canonical
  URL, `og:site_name`, author, and the dates in `<meta>` and JSON-LD, each with the name of the
  tag it came from (the evidence kept with the date). Only the head, with scripts and styles cut
  out first: over a whole 140 kB page html.parser costs ~3x what trafilatura does (measured in
  bench/extraction.py), over the head ~1/3.

Rules that are ours, not trafilatura's (breadcrumbs out before anything reads the tree, the
furniture of the field's outlets after) live in `rules.py` and `boilerplate.py`.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
from dataclasses import dataclass

import htmldate
import trafilatura
from bs4 import BeautifulSoup, Tag
from lxml.html import HtmlElement
from trafilatura.utils import load_html

from search.ingest.rules import (
    BREADCRUMB,
    BREADCRUMB_MAX_CHARS,
    BREADCRUMB_XPATH,
    BYLINE_XPATH,
    DATE_ELEMENT,
    DATE_ELEMENT_MAX_CHARS,
    DATE_FURNITURE,
    DATE_FURNITURE_TAGS,
    LONG_TEXT_XPATH,
    PUBLISHED_META,
)
from search.ingest.source_url import http_url, resolve_source_url
from search.metadata.dates import parse_date
from search.metadata.site_evidence import publishing_site
from search.model import ParsedPage

# trafilatura and htmldate log every page they give up on at WARNING; a reindex reports for itself.
for _name in ("trafilatura", "htmldate"):
    logging.getLogger(_name).setLevel(logging.CRITICAL)

# Cut before BeautifulSoup reads the head: scripts (JSON-LD kept), styles, comments.
HEAD_NOISE = re.compile(r"<(script|style|svg|noscript)\b(?![^>]*ld\+json)[^>]*>.*?</\1\s*>|<!--.*?-->",
                        re.S | re.I)
HEAD_END = re.compile(r"</head\s*>|<body\b", re.I)
HEAD_WITHOUT_END = 50_000  # a page with no </head>: its metadata is in the first part
# Trafilatura, as benchmarked in docs/extraction.md: comments are not the story; tables are
# (programmes, delegation lists).
TRAFILATURA_OPTIONS = dict(include_comments=False, include_tables=True, include_images=False,
                           include_links=False, deduplicate=False, output_format="txt")
EARLIEST = dt.datetime(1990, 1, 1)  # no party-diplomacy article online predates the web


@dataclass
class HtmlPage:
    """A parsed page: the lxml tree for the story and date, and what the page says about itself."""

    tree: HtmlElement | None
    page: ParsedPage


def parse_html(text: str) -> HtmlPage:
    """Title, URL, site name, author and the page's declared date; the story is left to `main_text`."""
    tree = load_html(text)
    end = HEAD_END.search(text)
    soup = BeautifulSoup(HEAD_NOISE.sub("", text[:end.start()] if end else text[:HEAD_WITHOUT_END]), "lxml")
    meta = meta_values(soup)
    h1 = _first_text(tree, "//h1")
    title = meta.get("og:title") or h1 or _text(soup.find("title")) or _wrapper_attr(soup, "title") or ""
    url = source_url(soup, meta)
    author = meta.get("author") or meta.get("article:author") or _first_text(tree, BYLINE_XPATH)
    date, date_source = published_meta(soup, meta)
    if not date and tree is not None:
        date, date_source = _body_json_ld_date(tree)
    site_name = meta.get("og:site_name") or meta.get("application-name")
    # No URL in the head, or another site's (syndication): the publishing site from the whole page.
    site = publishing_site(tree, url, site_name, meta)
    page = ParsedPage(title=" ".join(title.split()), story=[], head=[], header_date=date,
                      header_date_source=date_source, author=author.strip() if author else None,
                      site_name=site_name, url=url, site_hint=site.url if site else None,
                      site_evidence=site.evidence if site else None,
                      original_url=site.original if site else None, format="html")
    if tree is not None:  # a breadcrumb's date is no one's publication date
        _drop([el for el in elements_named(tree, BREADCRUMB) + tree.xpath(BREADCRUMB_XPATH)
               if len(el.text_content()) <= BREADCRUMB_MAX_CHARS])  # not <body class="has-breadcrumb">
    return HtmlPage(tree, page)


def main_text(html: HtmlPage) -> list[str]:
    """The story's paragraphs, one per line, as trafilatura finds them (nothing if it finds none)."""
    if html.tree is None:
        return []
    text = trafilatura.extract(html.tree, url=html.page.url, **TRAFILATURA_OPTIONS)
    return text.splitlines() if text else []


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
    tree = html.tree
    _drop([el for el in elements_named(tree, DATE_FURNITURE, DATE_FURNITURE_TAGS)
           if el.tag not in ("html", "body") and el.find(".//h1") is None])  # not a wrapper named "has-sidebar"
    if found := _date_element(tree):
        return found
    _drop(tree.xpath(LONG_TEXT_XPATH))
    found = htmldate.find_date(tree, extensive_search=False, original_date=True, url=page.url,
                               min_date=EARLIEST, max_date=dt.datetime.now() + dt.timedelta(days=1))
    return (found, "htmldate (page markup)") if found else (None, None)


def _date_element(tree: HtmlElement) -> tuple[str, str] | None:
    for node in elements_named(tree, DATE_ELEMENT, {"time"})[:30]:
        text = node.get("datetime") or " ".join(node.text_content().split())
        if not text or len(text) > DATE_ELEMENT_MAX_CHARS:
            continue
        info = parse_date(text)
        if info and info.precision == "day":
            return text, f"page date element <{node.tag}> '{text}'"
    return None


def elements_named(tree: HtmlElement, words: re.Pattern, tags: frozenset | set = frozenset()) -> list:
    """Elements whose lower-cased class or id matches `words`, or whose tag is in `tags`, in
    document order. lxml picks the candidates (a `translate()` XPath per word cost more than
    trafilatura itself on large pages); one regex decides."""
    condition = "@class or @id" + "".join(f" or self::{tag}" for tag in sorted(tags))
    found = []
    for el in tree.xpath(f"//*[{condition}]"):
        if el.tag in tags or words.search(((el.get("class") or "") + " " + (el.get("id") or "")).lower()):
            found.append(el)
    return found


def _drop(nodes: list) -> None:
    for node in nodes:
        if node.getparent() is not None:
            node.drop_tree()


def published_meta(soup: BeautifulSoup, meta: dict[str, str]) -> tuple[str | None, str | None]:
    """A publication date the page declares in `<meta>` or JSON-LD, with the tag it came from."""
    for name in PUBLISHED_META:
        if value := meta.get(name.lower()):
            return value, f"meta {name}"
    for script in soup.find_all("script", type="application/ld+json"):
        value = _json_ld_date(script.string or "")
        if value:
            return value, "JSON-LD datePublished"
    return None, None


def meta_values(soup: BeautifulSoup) -> dict[str, str]:
    """Every `<meta>` with content, by its property, name or itemprop (lower-cased); the first wins."""
    values: dict[str, str] = {}
    for tag in soup.find_all("meta"):
        content = tag.get("content")
        if not isinstance(content, str) or not content.strip():
            continue
        for attr in ("property", "name", "itemprop"):
            key = tag.get(attr)
            if isinstance(key, str) and key.strip():
                values.setdefault(key.strip().lower(), content.strip())
    return values


def _text(tag: Tag | None) -> str | None:
    text = tag.get_text(" ", strip=True) if tag else None
    return text or None


def _first_text(tree: HtmlElement | None, xpath: str) -> str | None:
    if tree is None:
        return None
    for node in tree.xpath(xpath)[:3]:
        text = " ".join(node.text_content().split())
        if text:
            return text
    return None


def _body_json_ld_date(tree: HtmlElement) -> tuple[str | None, str | None]:
    for script in tree.xpath('//body//script[@type="application/ld+json"]'):
        value = _json_ld_date(script.text or "")
        if value:
            return value, "JSON-LD datePublished"
    return None, None


def _wrapper_attr(soup: BeautifulSoup, name: str) -> str | None:
    """Crawl corpora wrap pages in `<text id="URL" title="…">`: their only URL and title."""
    wrapper = soup.find("text")
    value = wrapper.get(name) if wrapper else None
    return value.strip() if isinstance(value, str) and value.strip() else None


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


def source_url(soup: BeautifulSoup, meta: dict[str, str]) -> str | None:
    """The canonical URL (else `og:url`, else a crawl wrapper's URL), relative ones resolved
    against whichever of them is absolute; only http(s) is ever kept."""
    canonical = next((link["href"] for link in soup.find_all("link", href=True)
                      if "canonical" in (link.get("rel") or [])), None)
    candidates = [canonical, meta.get("og:url"), _wrapper_attr(soup, "id")]
    base = next((u for u in candidates + [_base_href(soup)] if http_url(u)), None)
    return next((url for c in candidates if (url := resolve_source_url(c, base))), None)


def _base_href(soup: BeautifulSoup) -> str | None:
    base = soup.find("base", href=True)
    return base["href"].strip() if base else None
