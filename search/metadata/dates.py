"""Dates as real pages write them, with the precision actually known.

`parse_date("Ngày 14/7")` → `--07-14` (`day-month`: the page never says the year).
A missing year is inferred only from evidence inside the story (`infer_year`), and the
evidence is recorded; otherwise it stays unknown.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from search.model import DateInfo

MONTHS = {
    name: i
    for i, names in enumerate(
        [
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
            ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"),
            ("october", "oct"), ("november", "nov"), ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))
_DAY_PART = r"(?:ngày|hôm|sáng|chiều|tối|trưa|đêm|rạng sáng|sáng sớm|chiều tối|ngay|sang|chieu|toi|trua)"


@dataclass
class DateMatch:
    year: int | None
    month: int
    day: int | None
    text: str
    start: int


# (pattern, how to read its groups): each reader returns (year, month, day).
_PATTERNS: list[tuple[re.Pattern, callable]] = [
    # 2020年7月14日
    (re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]"), lambda g: (g[0], g[1], g[2])),
    # 2020-07-14, 2020.07.14, 2020/07/14
    (re.compile(r"(?<!\d)(\d{4})([-./])(\d{1,2})\2(\d{1,2})(?!\d)"), lambda g: (g[0], g[2], g[3])),
    # 14 tháng 7 năm 2020 / 14 tháng 7
    (re.compile(r"(?<!\d)(\d{1,2})\s+tháng\s+(\d{1,2})(?:\s*(?:năm|,)\s*(\d{4}))?", re.IGNORECASE),
     lambda g: (g[2], g[1], g[0])),
    # July 14, 2020 / July 14th / Jul. 14 2020
    (re.compile(rf"\b({_MONTH_NAMES})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(\d{{4}}))?", re.IGNORECASE),
     lambda g: (g[2], MONTHS[g[0].lower()], g[1])),
    # 14 July 2020
    (re.compile(rf"(?<!\d)(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({_MONTH_NAMES})\.?(?:,?\s+(\d{{4}}))?\b",
                re.IGNORECASE),
     lambda g: (g[2], MONTHS[g[1].lower()], g[0])),
    # 06-08-2020, 14/7/2020 (Vietnamese order: day first)
    (re.compile(r"(?<![\d/.-])(\d{1,2})([-/.])(\d{1,2})\2(\d{4})(?!\d)"), lambda g: (g[3], g[2], g[0])),
    # Ngày 14/7, sáng 5-8 (a day part word is required: a bare 5-8 is too often a score or range)
    (re.compile(rf"\b{_DAY_PART}\s+(\d{{1,2}})[/-](\d{{1,2}})(?![\d/-])", re.IGNORECASE), lambda g: (None, g[1], g[0])),
    # 7月14日
    (re.compile(r"(?<!\d)(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]"), lambda g: (None, g[0], g[1])),
]


def _valid(year: int | None, month: int, day: int | None) -> bool:
    try:
        dt.date(year or 2000, month, day or 1)  # 2000 is a leap year: 29/2 without a year is fine
    except ValueError:
        return False
    return year is None or 1900 <= year <= 2100


def find_dates(text: str) -> list[DateMatch]:
    """Every date mention in `text`, in order of position; overlapping weaker matches dropped."""
    found: list[DateMatch] = []
    taken: list[tuple[int, int]] = []
    for pattern, read in _PATTERNS:
        for m in pattern.finditer(text):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            raw = read(m.groups())
            year = int(raw[0]) if raw[0] else None
            month = int(raw[1])
            day = int(raw[2]) if raw[2] else None
            if _valid(year, month, day):
                found.append(DateMatch(year, month, day, m.group(0), m.start()))
                taken.append((m.start(), m.end()))
    return sorted(found, key=lambda d: d.start)


def parse_date(text: str) -> DateInfo | None:
    """The first date in `text` as a DateInfo; `2020-07` alone is a month."""
    month_only = re.fullmatch(r"\s*(\d{4})-(\d{1,2})\s*", text)
    if month_only and _valid(int(month_only[1]), int(month_only[2]), None):
        y, m = int(month_only[1]), int(month_only[2])
        return DateInfo(iso=f"{y:04d}-{m:02d}", precision="month", year=y, month=m)
    dates = find_dates(text)
    return to_info(dates[0]) if dates else None


def to_info(d: DateMatch, source: str | None = None) -> DateInfo:
    if d.year and d.day:
        return DateInfo(f"{d.year:04d}-{d.month:02d}-{d.day:02d}", "day", d.year, d.month, d.day, source)
    if d.day:
        return DateInfo(f"--{d.month:02d}-{d.day:02d}", "day-month", None, d.month, d.day, source)
    return DateInfo(f"{d.year:04d}-{d.month:02d}", "month", d.year, d.month, None, source)


_THIS_YEAR = re.compile(
    r"(?:năm nay|this year|今年)\D{0,12}?((?:19|20)\d{2})|((?:19|20)\d{2})\D{0,3}(?:năm nay|this year)",
    re.IGNORECASE)


def infer_year(date: DateInfo, story: str) -> DateInfo:
    """Fill in a missing year from evidence inside the story, and say which evidence.

    Accepted evidence: the same day and month written with a year elsewhere in the story, or a
    year named as "this year". Anything weaker (a year mentioned in passing) is not evidence.
    """
    if date.precision != "day-month":
        return date
    for d in find_dates(story):
        if d.year and d.month == date.month and d.day == date.day:
            return _with_year(date, d.year, f"year from '{d.text}' in the story")
    m = _THIS_YEAR.search(story)
    if m:
        year = int(m.group(1) or m.group(2))
        return _with_year(date, year, f"year from '{m.group(0).strip()}' in the story")
    return date


def _with_year(date: DateInfo, year: int, how: str) -> DateInfo:
    return DateInfo(f"{year:04d}-{date.month:02d}-{date.day:02d}", "day", year, date.month, date.day,
                    date.source, how)


def article_date(header_date: str | None, header_source: str | None, story_lines: list[str]) -> DateInfo:
    """The article's date: structured metadata first, else a dateline in the story's opening."""
    if header_date:
        info = parse_date(header_date)
        if info:
            info.source = header_source or "header"
            return infer_year(info, "\n".join(story_lines))
    opening = [line for line in story_lines if line.strip()][:2]
    for line in opening:
        dates = find_dates(line)
        if dates:
            info = to_info(dates[0], f"story opening: '{dates[0].text}'")
            return infer_year(info, "\n".join(story_lines))
    return DateInfo()
