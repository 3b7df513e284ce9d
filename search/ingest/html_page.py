"""HTML pages, parsed with BeautifulSoup.

Title from `og:title`, then `<h1>`, then `<title>`; date from `article:published_time`, `<time>`,
or JSON-LD `datePublished`; outlet from `og:site_name` or the canonical URL's domain; the story
from the article's container (`<article>`, `[itemprop=articleBody]`, common content classes),
with scripts, styles, navigation, asides and forms dropped before the text is read.
"""

from __future__ import annotations

import json

from bs4 import BeautifulSoup, Tag

from search.ingest.boilerplate import clean_story
from search.ingest.text_export import strip_byline
from search.metadata.outlets import OutletRegistry
from search.model import ParsedPage

DROP_TAGS = ["script", "style", "noscript", "nav", "header", "footer", "aside", "form", "iframe",
             "svg", "button", "template"]
CONTAINERS = [
    "[itemprop=articleBody]", "article .article-body", "article .content", "article",
    ".article-body", ".article__body", ".detail-content", ".content-detail", ".article-content",
    ".post-content", ".entry-content", "#content", "main",
]
BLOCKS = ["p", "h2", "h3", "h4", "li", "blockquote", "figcaption", "pre", "td"]


def parse_html(text: str, outlets: OutletRegistry) -> ParsedPage:
    soup = BeautifulSoup(text, "html.parser")
    title = (_meta(soup, "og:title") or _text(soup.find("h1")) or _text(soup.find("title")) or "").strip()
    date, date_source = _published(soup)
    url = _canonical_url(soup)
    site_name = _meta(soup, "og:site_name")
    author = (_meta(soup, "author", attr="name") or _meta(soup, "article:author")
              or _text(soup.select_one("[itemprop=author], [rel=author], .author, .byline")))

    for tag in soup.find_all(DROP_TAGS):  # one pass; find_all is much cheaper than CSS selectors
        if not tag.decomposed:
            tag.decompose()
    container = next((c for sel in CONTAINERS if (c := soup.select_one(sel))), None) or soup.body or soup
    lines = _block_lines(container)
    if lines and title and lines[0].strip() == title:
        lines = lines[1:]  # the <h1> inside the article repeats the title
    head = lines[:15]
    story = clean_story(lines)
    if not title:
        raise ValueError("no title (no og:title, <h1> or <title>)")
    page = ParsedPage(title=title, story=story, head=head, header_date=date, header_date_source=date_source,
                      author=author.strip() if author else None, site_name=site_name, url=url, format="html")
    strip_byline(page, outlets)
    if not page.story:
        raise ValueError("no story text in the page")
    return page


def _meta(soup: BeautifulSoup, name: str, attr: str = "property") -> str | None:
    tag = soup.find("meta", attrs={attr: name}) or soup.find("meta", attrs={"name": name})
    content = tag.get("content") if tag else None
    return content.strip() if isinstance(content, str) and content.strip() else None


def _text(tag: Tag | None) -> str | None:
    return tag.get_text(" ", strip=True) if tag else None


def _published(soup: BeautifulSoup) -> tuple[str | None, str | None]:
    for name in ("article:published_time", "og:published_time", "datePublished", "pubdate", "date"):
        value = _meta(soup, name) or _meta(soup, name, attr="itemprop")
        if value:
            return value, f"meta {name}"
    time = soup.find("time")
    if time:
        value = time.get("datetime") or time.get_text(" ", strip=True)
        if value:
            return value, "<time>"
    for script in soup.find_all("script", type="application/ld+json"):
        value = _json_ld_date(script.string or "")
        if value:
            return value, "JSON-LD datePublished"
    return None, None


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


def _canonical_url(soup: BeautifulSoup) -> str | None:
    link = soup.find("link", rel="canonical")
    if link and link.get("href"):
        return link["href"].strip()
    return _meta(soup, "og:url")


def _block_lines(container: Tag) -> list[str]:
    """One line per paragraph-like block; text directly in the container counts as a block too."""
    lines = []
    blocks = container.find_all(BLOCKS)
    if not blocks:
        return [ln.strip() for ln in container.get_text("\n").splitlines() if ln.strip()]
    for block in blocks:
        if block.find_parent(BLOCKS):  # a <p> inside an <li> is read with its <li>
            continue
        text = " ".join(block.get_text(" ", strip=True).split())
        if text:
            lines.append(text)
    return lines
