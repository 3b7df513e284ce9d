"""Dates as real pages write them, with the precision actually known.

`parse_date("Ngày 14/7")` → `--07-14` (`day-month`: the page never says the year).
A missing year is inferred only from evidence (`infer_year`): the page's own metadata (an
export header's month, a year in its URL) or the same date written with a year in the story;
the evidence is recorded, otherwise the year stays unknown.

Not publication dates, whatever they look like: a holiday's name ("Quốc khánh 2/9", "30/4",
"National Day"), either end of a range ("từ 14 đến 18/7", "July 14-18", "7月14日至18日"), and a
breadcrumb trail ("Trang chủ > Thời sự > 14/07/2020"). Forms the patterns below do not know
("14 июля 2020 г.", "Thứ Ba ngày 14 tháng Bảy năm 2020") go to dateparser, with relative dates
("hôm qua") and the current year as a fallback both switched off.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

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
RU_MONTHS = {"январ": 1, "феврал": 2, "март": 3, "апрел": 4, "ма": 5, "июн": 6, "июл": 7, "август": 8,
             "сентябр": 9, "октябр": 10, "ноябр": 11, "декабр": 12}
_RU_MONTH = r"(января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря)"
_UPPER = "A-ZĐÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴ"
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
    # 11/20/2019 01:14 PM, 7/5/2005 9:23:57 PM: a 12-hour clock after it is the US order, month first
    # (ASP and .NET pages in en-US print dates so, whatever the page's language)
    (re.compile(r"(?<![\d/.-])(\d{1,2})/(\d{1,2})/(\d{4}),?\s+\d{1,2}:\d\d(?::\d\d)?\s*[AaPp]\.?[Mm]\b"),
     lambda g: (g[2], g[0], g[1])),
    # 06-08-2020, 14/7/2020 (Vietnamese order: day first)
    (re.compile(r"(?<![\d/.-])(\d{1,2})([-/.])(\d{1,2})\2(\d{4})(?!\d)"), lambda g: (g[3], g[2], g[0])),
    # 9/17/2004: not a day-first date (no 17th month), so month first (tried only where the one above failed)
    (re.compile(r"(?<![\d/.-])(\d{1,2})/(\d{1,2})/(\d{4})(?!\d)"), lambda g: (g[2], g[0], g[1])),
    # Ngày 14/7, sáng 5-8 (a day part word is required: a bare 5-8 is too often a score or range)
    (re.compile(rf"\b{_DAY_PART}\s+(\d{{1,2}})[/-](\d{{1,2}})(?![\d/-])", re.IGNORECASE), lambda g: (None, g[1], g[0])),
    # HÀ NỘI, 14/7 (TTXVN) – : a wire dateline, an upper-case place then day/month
    (re.compile(rf"(?:^|\n)\s*[{_UPPER}][{_UPPER} .'-]{{1,30}},\s*(\d{{1,2}})[/-](\d{{1,2}})(?![\d/-])"),
     lambda g: (None, g[1], g[0])),
    # 7月14日
    (re.compile(r"(?<!\d)(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]"), lambda g: (None, g[0], g[1])),
    # 14 июля 2020 (г.) / МОСКВА, 14 июля. /ТАСС/
    (re.compile(rf"(?<!\d)(\d{{1,2}})\s+{_RU_MONTH}(?:\s+(\d{{4}}))?", re.IGNORECASE),
     lambda g: (g[2], _ru_month(g[1]), g[0])),
]

# Words that make the date after them a holiday's or an anniversary's, not the article's.
HOLIDAY_BEFORE = re.compile(
    r"(quốc khánh|giải phóng|thống nhất đất nước|chiến thắng|cách mạng tháng|kỷ niệm|ngày thành lập|"
    r"national day|independence day|liberation|anniversary|reunification|"
    r"国庆|纪念|建党|周年|"
    r"годовщин|день победы|праздник)[^.;:!?\n。]{0,25}$",
    re.IGNORECASE)
# Words that announce the date after them as still to come: a preview's event, published before it
# ("… dự kiến diễn ra vào tối ngày 6/7/2021", "will visit Russia on July 14", "将于3月12日").
FUTURE_BEFORE = re.compile(
    r"(dự kiến|\bsẽ\b|\bsắp\b|\bwill\b|\bis expected\b|\bare expected\b|\bscheduled\b|\bdue to\b|"
    r"将于|将在|预计|拟于|定于|"
    r"планиру|намерен|состоится|пройд[её]т|будет)[^.;:!?\n。]{0,40}$",
    re.IGNORECASE)
# A date followed by another end ("14 đến 18/7", "14-18 July") or preceded by "from": a range.
# Not a clock time after a dash: "November 20th, 2019 - 07:29 GMT", "Thứ Tư, 20/11/2019 - 07:29".
RANGE_AFTER = re.compile(r"^\s*(?:-|–|—|~|đến|tới|to|until|till|through|and|至|到|по|—)\s*(?:ngày\s*)?\d"
                         r"(?!\d?\s*[:：h]\d\d)", re.IGNORECASE)
# The end of a range whose start is a word, not a date: "từ hôm nay đến ngày 2/9", "from today until
# July 14", "从今天到9月2日", "с сегодняшнего дня по 2 сентября".
RANGE_BEFORE = re.compile(r"(?:\btừ|\bfrom|\bbetween|\bс|自|从)\s*(?:ngày\s*)?$"
                          r"|\d[^\d.;!?\n]{0,15}?(?:-|–|—|~|\bđến|\btới|\bto|\buntil|\btill|\bthrough|\band|至|到|\bпо)"
                          r"\s*(?:ngày\s*)?$"
                          r"|(?:\btừ|\bfrom|\bс|自|从)\s[^\d.;!?\n]{1,25}?\s(?:đến|tới|to|until|till|through|по)\s*(?:ngày\s*)?$"
                          r"|(?:自|从)[^\d。；！？\n]{1,12}?(?:至|到)\s*$", re.IGNORECASE)
# "Trang chủ > Thời sự > 14/07/2020", "Home / News / …": a trail of short segments.
BREADCRUMB_LINE = re.compile(r"^\s*(?:[^>»›|\n]{1,40}?\s[>»›|/]\s+){2,}[^>»›|\n]{0,40}$")
DATEPARSER_MAX_CHARS = 60  # dateparser reads a date string, not a paragraph
# dateparser must find day, month and year: a string with no 4-digit year and no d/m/yy form has
# none to find (each such call cost ~2 ms, "1 day ago" being the common one).
_DATEPARSER_YEAR = re.compile(r"(?<!\d)(?:1[89]|20)\d\d(?!\d)|\d{1,2}[/.-]\d{1,2}[/.-]\d{2}\b")


def _ru_month(name: str) -> int:
    name = name.lower()
    return next(n for stem, n in sorted(RU_MONTHS.items(), key=lambda kv: -len(kv[0])) if name.startswith(stem))


def _valid(year: int | None, month: int, day: int | None) -> bool:
    try:
        dt.date(year or 2000, month, day or 1)  # 2000 is a leap year: 29/2 without a year is fine
    except ValueError:
        return False
    return year is None or 1900 <= year <= 2100


def find_dates(text: str) -> list[DateMatch]:
    """Every date mention in `text`, in order of position; overlapping weaker matches dropped,
    and holidays and ranges left out."""
    found: list[DateMatch] = []
    taken: list[tuple[int, int]] = []
    for pattern, read in _PATTERNS:
        for m in pattern.finditer(text):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            if _not_a_date_of_record(text, m):
                taken.append((m.start(), m.end()))
                continue
            raw = read(m.groups())
            year = int(raw[0]) if raw[0] else None
            month = int(raw[1])
            day = int(raw[2]) if raw[2] else None
            if _valid(year, month, day):
                found.append(DateMatch(year, month, day, m.group(0), m.start()))
                taken.append((m.start(), m.end()))
    return sorted(found, key=lambda d: d.start)


def _not_a_date_of_record(text: str, m: re.Match) -> bool:
    before = text[max(0, m.start() - 40):m.start()]
    return bool(HOLIDAY_BEFORE.search(before) or FUTURE_BEFORE.search(before) or RANGE_BEFORE.search(before)
                or RANGE_AFTER.match(text[m.end():m.end() + 12]))


def parse_date(text: str) -> DateInfo | None:
    """The first date in `text` as a DateInfo; `2020-07` alone is a month."""
    month_only = re.fullmatch(r"\s*(\d{4})-(\d{1,2})\s*", text)
    if month_only and _valid(int(month_only[1]), int(month_only[2]), None):
        y, m = int(month_only[1]), int(month_only[2])
        return DateInfo(iso=f"{y:04d}-{m:02d}", precision="month", year=y, month=m)
    dates = find_dates(text)
    if dates:
        return to_info(dates[0])
    if len(text) > DATEPARSER_MAX_CHARS or any(p.search(text) for p, _ in _PATTERNS):
        return None  # a form we know, refused (a holiday, a range): dateparser must not take it
    return _dateparser(text)


# Languages a page's own date element may be written in beyond the field's four, for dateparser:
# the open web's most common (a Brazilian page's "sexta-feira, 22 de outubro de 2010 às 20:13").
ELEMENT_LANGUAGES = ["fr", "de", "es", "pt", "it"]


def parse_element_date(text: str, lang: str | None = None) -> DateInfo | None:
    """A date element's text (`<time>`, `.date`, `itemprop="datePublished"`): as `parse_date`, and
    if that finds none, dateparser in the page's declared language or the open web's common ones.
    Only short strings a page marks as its date get this: elsewhere a foreign word is not a date."""
    info = parse_date(text)
    if info is not None or len(text) > DATEPARSER_MAX_CHARS:
        return info
    from dateparser.data import language_order  # the languages dateparser knows

    declared = (lang or "").strip().lower().replace("_", "-").split("-")[0]
    return _dateparser(text, [declared] if declared in language_order else ELEMENT_LANGUAGES)


def _dateparser(text: str, languages: list[str] | None = None) -> DateInfo | None:
    """dateparser's reading of a short date string in vi/zh/ru/en (or `languages`); a full date or nothing."""
    if not _DATEPARSER_YEAR.search(text) or not re.search(r"[^\W\d_]", text):
        return None  # no year ("1 day ago", "08-11 16:06"); digits alone were the patterns' job
    import dateparser  # ~0.3 s to import: only pages that need it pay

    parsed = dateparser.parse(text, languages=languages or ["vi", "zh", "ru", "en"], settings={
        "PARSERS": ["absolute-time"], "REQUIRE_PARTS": ["day", "month", "year"],
        "PREFER_DAY_OF_MONTH": "first", "RETURN_AS_TIMEZONE_AWARE": False})
    if parsed is None or not _valid(parsed.year, parsed.month, parsed.day):
        return None
    return DateInfo(f"{parsed.year:04d}-{parsed.month:02d}-{parsed.day:02d}", "day", parsed.year, parsed.month,
                    parsed.day, None, None)


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


_URL_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?:[/_-]?(?:0[1-9]|1[0-2]))(?:[/_-]?(?:0[1-9]|[12]\d|3[01]))?(?!\d)")


def article_date(header_date: str | None, header_source: str | None, story_lines: list[str],
                 url: str | None = None) -> DateInfo:
    """The article's date: structured metadata first, else a dateline in the story's opening.

    A header that knows only the month lets a dateline of that month give the day; a dateline
    without a year takes it from the page's own metadata (that header, a year in the URL)
    before any evidence in the story.
    """
    story = "\n".join(story_lines)
    header = parse_date(header_date) if header_date else None
    if header:
        header.source = header_source or "header"
        if header.precision == "day":
            return header
    opening = _story_opening(story_lines)
    if opening and opening.precision == "day-month":
        if header and header.month == opening.month:
            return _with_year(opening, header.year, f"year from {header.source} '{header.iso}'")
        url_year = _URL_YEAR.search(url or "")
        if url_year:
            return _with_year(opening, int(url_year.group(1)), f"year from the page URL '{url_year.group(0)}'")
        if not header:
            return infer_year(opening, story)
    if header:
        return infer_year(header, story)
    return opening or DateInfo()


def _story_opening(story_lines: list[str]) -> DateInfo | None:
    """A date in the first two lines of the story (a dateline), breadcrumb trails skipped."""
    opening = [line for line in story_lines if line.strip() and not BREADCRUMB_LINE.match(line)][:2]
    for line in opening:
        dates = find_dates(line)
        if dates:
            return to_info(dates[0], f"story opening: '{dates[0].text}'")
    return None


# --- Time zones: the publisher's calendar day -----------------------------------------------------
# A page's date is the day its publisher printed it, in the publisher's zone. A timestamp with the
# publisher's own offset ("2020-07-14T06:30:00+07:00") names that day as written. One in UTC
# ("2020-07-13T23:30:00Z", "+00:00") names an instant, whose day depends on the zone: it is
# converted to the publisher's zone when the page tells it (`publisher_zone`), else kept as written
# (UTC is then as good a guess as any). A timestamp with no zone at all is the CMS's own clock: kept.
_ISO_STAMP = re.compile(r"^\s*(\d{4}-\d\d-\d\d)[T ](\d\d:\d\d(?::\d\d(?:\.\d+)?)?)\s*(Z|[+-]\d\d:?\d\d|GMT|UTC)?\s*$",
                        re.IGNORECASE)
_OFFSET_IN_STAMP = re.compile(r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d(?::\d\d(?:\.\d+)?)?\s*([+-]\d\d):?(\d\d)(?!\d)")


def _offset(zone: str | None) -> dt.timedelta | None:
    if zone is None:
        return None
    if zone.upper() in ("Z", "GMT", "UTC"):
        return dt.timedelta(0)
    sign = -1 if zone[0] == "-" else 1
    digits = zone[1:].replace(":", "")
    return sign * dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))


def utc_instant(text: str) -> dt.datetime | None:
    """The instant of an ISO timestamp written in UTC ("…T23:30:00Z", "+00:00"); None for any other
    text, a timestamp with the publisher's own offset, or one with no zone."""
    m = _ISO_STAMP.match(text)
    if not m or _offset(m.group(3)) != dt.timedelta(0):
        return None
    try:
        return dt.datetime.fromisoformat(f"{m.group(1)}T{m.group(2)}").replace(tzinfo=dt.UTC)
    except ValueError:
        return None


def page_offset(stamps: list[str]) -> dt.timezone | None:
    """The publisher's UTC offset as its page writes it in its other timestamps (an update's time,
    a `<time datetime>`): the most common non-zero one; None when they are all UTC or zone-less."""
    seen: dict[dt.timedelta, int] = {}
    for stamp in stamps:
        for sign_hours, minutes in _OFFSET_IN_STAMP.findall(stamp):
            delta = _offset(f"{sign_hours}{minutes}")
            if delta and abs(delta) <= dt.timedelta(hours=14):
                seen[delta] = seen.get(delta, 0) + 1
    if not seen:
        return None
    return dt.timezone(max(seen, key=seen.get))


def publisher_zone(url: str | None, lang: str | None, stamps: list[str]) -> tuple[dt.tzinfo, str] | None:
    """The publisher's time zone and the evidence for it, in order of trust: the offset its page
    writes in its other timestamps; the zone of its site's country (`rules.ZONE_BY_COUNTRY_DOMAIN`);
    the zone of its page's declared language where that language is a one-zone country's
    (`rules.ZONE_BY_LANGUAGE`: Vietnamese, Chinese, Japanese, Korean, Thai). None otherwise: an
    English `.com` page says nothing of where it was written."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    from search.ingest.rules import ZONE_BY_COUNTRY_DOMAIN, ZONE_BY_LANGUAGE

    if offset := page_offset(stamps):
        return offset, f"the page's other timestamps (UTC{_format_offset(offset)})"
    host = ((urlsplit(url).hostname or "") if url else "").rstrip(".")  # "vovworld.vn." is vovworld.vn
    country = host.rsplit(".", 1)[-1].lower() if "." in host else ""
    language = (lang or "").strip().lower().replace("_", "-").split("-")[0]
    for zone, why in ((ZONE_BY_COUNTRY_DOMAIN.get(country), f"the site's country (.{country}"),
                      (ZONE_BY_LANGUAGE.get(language), f"the page's language ({language}")):
        if zone:
            try:
                return ZoneInfo(zone), f"{why}: {zone})"
            except ZoneInfoNotFoundError:  # no time zone data on this machine: the date as written
                return None
    return None


def _format_offset(zone: dt.timezone) -> str:
    minutes = int(zone.utcoffset(None).total_seconds() // 60)
    sign, minutes = ("-" if minutes < 0 else "+"), abs(minutes)
    return f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def local_day(stamp: str, zone: tuple[dt.tzinfo, str] | None) -> tuple[str, str] | None:
    """The publisher's day of a UTC timestamp, with how it was found; None when the timestamp is
    not in UTC or the zone is unknown (the date as written stands)."""
    instant = utc_instant(stamp)
    if instant is None or zone is None:
        return None
    day = instant.astimezone(zone[0]).date().isoformat()
    return day, f"'{stamp.strip()}' in the publisher's zone, from {zone[1]}"
