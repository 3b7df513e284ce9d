"""Strip page furniture from a story, as a pipeline of small named steps.

Real pages drag things after (and inside) the story: related-article lists (`TIN LIÊN QUAN`),
"read more" sections (`Đọc thêm`) full of ads, teaser cards (a title printed twice then a
teaser), follow-us lines and the mobile-version footer. Each step takes and returns a list of
lines, so each can be tested alone and the order is visible in `STEPS`.
"""

from __future__ import annotations

import re
from collections.abc import Callable

Lines = list[str]

# A line that starts the page's footer: everything from it on is not the story.
END_MARKER = re.compile(
    r"^\s*(đọc thêm|xem thêm|tin cùng chuyên mục|tin khác|bài liên quan|phiên bản di động|"
    r"read more|related news|related articles|more news|mobile version|相关新闻|相关阅读)\s*:?\s*$",
    re.IGNORECASE,
)
# A header that introduces a list of related headlines inside the page.
RELATED_HEADER = re.compile(r"^\s*(tin liên quan|related|see also|xem thêm tin)\s*:?\s*$", re.IGNORECASE)
FOLLOW_US = re.compile(
    r"^\s*(theo dõi|follow|mời bạn đọc theo dõi)\b.{0,60}\b(trên|on|tại)\s*:?\s*$", re.IGNORECASE
)
# Image file names left as alt text: "0653 hoi nghi 4720" (lower-case ASCII words with digits).
IMAGE_NAME = re.compile(r"^(?=.*\d)[a-z0-9_\-]+(?: [a-z0-9_\-]+){0,6}$")
SENTENCE_END = re.compile(r"[.!?…:;\"”»)。！？]\s*$")


def cut_at_end_marker(lines: Lines) -> Lines:
    """Drop the footer: everything from the first `Đọc thêm` / `Phiên bản di động` line."""
    for i, line in enumerate(lines):
        if END_MARKER.match(line):
            return lines[:i]
    return lines


def cut_at_teaser_cards(lines: Lines) -> Lines:
    """Drop teaser cards: a headline printed twice in a row starts the related-article grid."""
    previous = None  # (index, text) of the previous non-blank line
    for i, line in enumerate(lines):
        text = line.strip()
        if not text:
            continue
        if previous and text == previous[1] and len(text) >= 15:
            return lines[: previous[0]]
        previous = (i, text)
    return lines


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


def drop_image_names(lines: Lines) -> Lines:
    """Drop image file names left behind as alt text."""
    return [line for line in lines if not IMAGE_NAME.match(line.strip())]


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


STEPS: list[Callable[[Lines], Lines]] = [
    cut_at_end_marker,
    cut_at_teaser_cards,
    drop_related_lists,
    drop_follow_us,
    drop_image_names,
    collapse_blank_lines,
]


def clean_story(lines: Lines) -> Lines:
    """Run every step in order."""
    for step in STEPS:
        lines = step(lines)
    return lines
