"""Plain-text pages, as the crawler exports them.

Two shapes are seen:
- ` date 2020-07-14 <title>` (or ` date 2020-07 <title>`) on the first line, then the story;
- a title-first page: title, an optional date line `( 2020.07.14 )`, an optional author line
  (`Thư Kỳ`), then the story, then page furniture.

The parser only splits the page into its parts; the loader's pipeline cleans the story
(`boilerplate`) and strips its byline (`strip_byline`, shared with HTML pages).
"""

from __future__ import annotations

import re

from search.metadata.outlets import OutletRegistry
from search.model import ParsedPage

EXPORT_HEADER = re.compile(r"^\s*date\s+(\d{4}-\d{1,2}(?:-\d{1,2})?)\s+(.+?)\s*$")
DATE_LINE = re.compile(r"^\s*\(?\s*(\d{4}[.\-/]\d{1,2}[.\-/]\d{1,2})\s*\)?\s*$")
# An author line: two to four capitalised words, nothing else (`Thư Kỳ`, `Chu Văn`), or "By …".
AUTHOR_LINE = re.compile(r"^\s*(?:by\s+|theo\s+)?((?:[^\W\d_]+\s+){1,3}[^\W\d_]+)\s*$", re.IGNORECASE)
HEAD_LINES = 15  # outlet signatures are looked for this far into the raw page
QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"'})


def parse_text_export(text: str) -> ParsedPage:
    lines = text.splitlines()
    while lines and not lines[0].strip():
        lines.pop(0)
    if not lines:
        raise ValueError("no text")
    head = lines[:HEAD_LINES]
    header_date = header_source = None
    first = lines.pop(0)
    m = EXPORT_HEADER.match(first)
    if m:
        header_date, title = m.group(1), m.group(2)
        header_source = "export header"
    else:
        title = first.strip()

    # A date line right under the title: "( 2020.07.14 )".
    rest = _skip_blank(lines)
    if rest and DATE_LINE.match(rest[0]) and not header_date:
        header_date = DATE_LINE.match(rest[0]).group(1)
        header_source = f"date line '{rest[0].strip()}'"
        rest = _skip_blank(rest[1:])

    author = None
    if len(rest) > 1 and _is_author_line(rest[0]):
        author = AUTHOR_LINE.match(rest[0]).group(1).strip()
        rest = rest[1:]

    return ParsedPage(title=title, story=rest, head=head, header_date=header_date,
                      header_date_source=header_source, author=author)


def strip_byline(page: ParsedPage, outlets: OutletRegistry) -> None:
    """Remove `Hanoi (VNA) –` / `TGVN.` from the story's first lines; remember outlet and place."""
    for i, line in enumerate(page.story[:3]):
        match = outlets.match_byline(line)
        if match:
            page.outlet_hint = match.outlet.key
            page.dateline = match.dateline
            page.story[i] = match.rest
            # The standfirst above a wire byline repeats the first sentence: keep one copy.
            if i == 1 and _same_text(page.story[0], match.rest):
                del page.story[0]
            return


def _is_author_line(line: str) -> bool:
    m = AUTHOR_LINE.match(line)
    return bool(m) and len(line.strip()) <= 40 and all(w[0].isupper() for w in m.group(1).split())


def _skip_blank(lines: list[str]) -> list[str]:
    i = 0
    while i < len(lines) and not lines[i].strip():
        i += 1
    return lines[i:]


def _same_text(a: str, b: str) -> bool:
    return a.translate(QUOTES).strip().lower() == b.translate(QUOTES).strip().lower()
