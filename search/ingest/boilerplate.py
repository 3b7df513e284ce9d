"""Strip page furniture from a story, as a pipeline of small named steps.

Real pages drag things after (and inside) the story: related-article lists (`TIN LIÊN QUAN`,
`相关新闻`, `Читайте также`), "read more" sections full of ads, teaser cards (a title printed
twice then a teaser), share bars, comment prompts, photo credits, editor lines, follow-us lines
and the mobile-version footer. Each step takes and returns a list of lines, so each can be tested
alone and the order is visible in `STEPS`; the patterns themselves are in `rules.py`.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from search.ingest.rules import (
    CAPTION,
    CREDIT_LINE,
    END_MARKER,
    FOLLOW_US,
    IMAGE_NAME,
    LIST_BULLET,
    PHOTO_CREDIT,
    RELATED_HEADER,
    SENTENCE_END,
    SHARE_WORDS,
    STORY_PARAGRAPH_CHARS,
    TEASER_MIN_CHARS,
)

Lines = list[str]


def drop_title_repeats(lines: Lines, title: str) -> Lines:
    """Drop lines that only repeat the headline (the `<h1>` inside the article, a photo caption
    that copies it), so that the teaser-card rule below never mistakes them for a card."""
    keys = {_key(title), _key(TITLE_SUFFIX.split(title)[0])} - {""}
    # A story's paragraphs are far longer than its headline: only short lines are keyed.
    longest = 2 * max(map(len, keys), default=0) + 20
    return [line for line in lines if len(line) > longest or _key(line) not in keys]


def cut_at_end_marker(lines: Lines) -> Lines:
    """Drop the footer: everything from the first `Đọc thêm` / `相关阅读` / `Читайте также` line."""
    for i, line in enumerate(lines):
        if END_MARKER.match(line):
            return lines[:i]
    return lines


def cut_at_teaser_cards(lines: Lines) -> Lines:
    """Drop teaser cards: a headline printed twice in a row, after the story has begun, starts
    the related-article grid. A headline doubled above the story (a caption copying it) is
    dropped once instead; a doubled sentence or a row of blanks to fill in is not a headline."""
    previous = None  # (index, text) of the previous non-blank line
    story_begun = False
    for i, line in enumerate(lines):
        text = line.strip()
        if not text:
            continue
        if previous and text == previous[1] and _is_headline(text):
            if story_begun:
                return lines[: previous[0]]
            return lines[:i] + cut_at_teaser_cards(lines[i + 1:])
        story_begun = story_begun or len(text) >= STORY_PARAGRAPH_CHARS or bool(SENTENCE_END.search(text))
        previous = (i, text)
    return lines


def _is_headline(text: str) -> bool:
    return (not text.startswith("|") and len(text) >= TEASER_MIN_CHARS and not SENTENCE_END.search(text)
            and sum(c.isalnum() for c in text) > 10)  # a table row ("| Pos | Player |") is no headline


def drop_related_lists(lines: Lines) -> Lines:
    """Drop a `TIN LIÊN QUAN` header and the bare headlines listed under it.

    The list ends at a blank line or at the first line that reads as a sentence (a photo
    caption or the story going on), which is kept.
    """
    out: Lines = []
    in_list = False
    for line in lines:
        if RELATED_HEADER.match(line):
            in_list = True
            continue
        if in_list:
            if not line.strip() or SENTENCE_END.search(line):
                in_list = False
            else:
                continue
        out.append(line)
    return out


def drop_follow_us(lines: Lines) -> Lines:
    """Drop "Theo dõi Baoquocte.vn trên" / "Follow us on" lines."""
    return [line for line in lines if not FOLLOW_US.match(line)]


def drop_share_bars(lines: Lines) -> Lines:
    """Drop lines made only of share and comment buttons: "Chia sẻ Facebook Zalo", "分享到"."""
    return [line for line in lines if not (line.strip() and SHARE_WORDS.match(line))]


def drop_photo_credits(lines: Lines) -> Lines:
    """Drop "(Ảnh: TTXVN)", "Фото: ТАСС", "[Image]", "Ảnh minh họa" on lines of their own, and
    captions, which end with such a credit."""
    return [line for line in lines if not (PHOTO_CREDIT.match(line) or CAPTION.search(line))]


def drop_credit_lines(lines: Lines) -> Lines:
    """Drop editor and source lines: "（责任编辑：王某）", "Theo TTXVN", "Источник: ТАСС"."""
    return [line for line in lines if not CREDIT_LINE.match(line)]


def drop_image_names(lines: Lines) -> Lines:
    """Drop image file names left behind as alt text ("0653 hoi nghi 4720", "img_2020-07-14"),
    not a list item that starts with a number ("30 minutes before bed")."""
    return [line for line in lines if not _is_image_name(line.strip())]


def _is_image_name(text: str) -> bool:
    if not IMAGE_NAME.match(text):
        return False
    words = text.split()
    return sum(any(c.isdigit() for c in w) for w in words) >= 2 or any("_" in w or "-" in w for w in words)


def strip_list_bullets(lines: Lines) -> Lines:
    """"- item" → "item": the dash is trafilatura's mark for a list item, not the story's text."""
    return [LIST_BULLET.sub("", line) for line in lines]


def collapse_blank_lines(lines: Lines) -> Lines:
    """Strip each line, keep at most one blank line between paragraphs, none at the ends."""
    out: Lines = []
    for line in lines:
        text = line.strip()
        if text or (out and out[-1]):
            out.append(text)
    while out and not out[-1]:
        out.pop()
    return out


def drop_repeated_standfirst(lines: Lines) -> Lines:
    """The standfirst printed again as the first paragraph: keep one copy."""
    if len(lines) >= 2 and lines[0] and _key(lines[0]) == _key(lines[1]):
        return lines[1:]
    return lines


STEPS: list[Callable[[Lines], Lines]] = [
    cut_at_end_marker,
    cut_at_teaser_cards,
    drop_related_lists,
    drop_follow_us,
    drop_share_bars,
    drop_photo_credits,
    drop_credit_lines,
    drop_image_names,
    strip_list_bullets,
    collapse_blank_lines,
    drop_repeated_standfirst,
]

TITLE_SUFFIX = re.compile(r"\s+[-|–—_:]\s+|_")  # "Headline - Site name", "Headline_新浪网"
QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"'})


def clean_story(lines: Lines, title: str = "") -> Lines:
    """Drop the headline's repeats, then run every step in order."""
    lines = drop_title_repeats(lines, title)
    for step in STEPS:
        lines = step(lines)
    return lines


def _key(text: str) -> str:
    return " ".join(text.translate(QUOTES).split()).lower().rstrip(".")
