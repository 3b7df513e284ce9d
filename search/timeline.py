"""Article counts on a real time axis: every period from the first to the last, empty ones too.

The level follows the span shown: years, or the months of up to two years, or the days of up to
two months, so that a click on a year shows its months and a click on a month its days. Dates are
`date_sort` numbers (yyyymmdd, with 00 for an unknown month or day, 0 when the year is unknown).

    >>> tl = date_timeline(np.array([20200714, 20200000, 0]), np.ones(3, bool), np.ones(3, bool),
    ...                    np.ones(3, bool), (20200101, 20201231))
    >>> tl["level"], len(tl["periods"]), tl["periods"][6]["count"], tl["imprecise"], tl["undated"]
    ('month', 12, 1, 1, 1)
"""

from __future__ import annotations

import calendar
import datetime

import numpy as np

MAX_DAYS = 62  # a span of up to two months is drawn day by day
MAX_MONTHS = 24  # up to two years month by month; longer spans year by year


def window_from(selections: dict) -> tuple[int, int] | None:
    """The span the user narrowed the dates to (years, months, from/to), as yyyymmdd bounds."""
    lo, hi = None, None
    years = [int(y) for y in selections.get("year", []) if y.isascii() and y.isdigit() and len(y) == 4]
    months = [m for m in selections.get("month", [])
              if len(m) == 7 and m[:4].isdigit() and m[5:7].isdigit() and 1 <= int(m[5:7]) <= 12]
    if months:
        lo = min(int(m[:4]) * 10000 + int(m[5:7]) * 100 + 1 for m in months)
        hi = max(int(m[:4]) * 10000 + int(m[5:7]) * 100 + 31 for m in months)
    elif years:
        lo, hi = min(years) * 10000 + 101, max(years) * 10000 + 1231
    if selections.get("from"):
        lo = max(lo or 0, selections["from"])
    if selections.get("to"):
        hi = min(hi or 99991231, selections["to"])
    if lo is None and hi is None:
        return None
    return lo, hi


def date_timeline(date_sort: np.ndarray, base: np.ndarray, final: np.ndarray, live: np.ndarray | None,
                  window: tuple[int | None, int | None] | None, every_date: np.ndarray | None = None) -> dict:
    """Counts per period of the documents in `final`, with `all` (every live document) for shares.

    `every_date`: the dates of all live dated documents, sorted (see `sorted_dates`), when the
    caller keeps them; else they are worked out from `live`.

    `base` is the result set before any date filter: its undated documents are counted apart,
    since no date filter can reach them. `imprecise`: dated, but not to this level (a month with
    no day, on a day axis)."""
    dated = final & (date_sort > 0)
    lo, hi = window or (None, None)
    if lo is None or hi is None:  # not narrowed: from the first dated result's month to the last's
        present = date_sort[dated]
        if not len(present):
            return _empty(base, date_sort)
        lo = lo or int(present.min()) // 100 * 100
        hi = hi or int(present.max()) // 100 * 100
    first, last = _as_date(lo, start=True), _as_date(hi, start=False)
    if first > last:
        return _empty(base, date_sort)
    months = (last.year - first.year) * 12 + last.month - first.month + 1
    days = (last - first).days + 1
    level = "day" if days <= MAX_DAYS else "month" if months <= MAX_MONTHS else "year"
    periods = list(_periods(level, first, last))
    shown = np.sort(date_sort[dated])
    if every_date is None:
        every_date = sorted_dates(date_sort, live)
    lower, upper = _bounds(level, periods)
    counts = _in_ranges(shown, lower, upper)
    totals = _in_ranges(every_date, lower, upper)
    _, precise = _keys(shown, level)
    return {
        "level": level, "from": first.isoformat(), "to": last.isoformat(),
        "periods": [{"key": label, "from": start, "to": end, "count": int(c), "all": int(a)}
                    for (_, label, start, end), c, a in zip(periods, counts, totals, strict=True)],
        "undated": int((base & (date_sort == 0)).sum()),
        "imprecise": int((~precise & _coarse_inside(shown, level, first, last)).sum()),
    }


def _empty(base, date_sort) -> dict:
    return {"level": "year", "from": None, "to": None, "periods": [], "imprecise": 0,
            "undated": int((base & (date_sort == 0)).sum())}


def _as_date(value: int, start: bool) -> datetime.date:
    year, month, day = value // 10000, value // 100 % 100, value % 100
    month = month or (1 if start else 12)
    last_day = calendar.monthrange(year, month)[1]
    day = min(day or (1 if start else last_day), last_day)
    return datetime.date(year, month, day)


def _keys(date_sort: np.ndarray, level: str) -> tuple[np.ndarray, np.ndarray]:
    """Each document's period number at `level` (yyyy, yyyymm or yyyymmdd) and whether its date
    is precise enough to have one."""
    if level == "year":
        return date_sort // 10000, date_sort > 0
    if level == "month":
        return date_sort // 100, (date_sort // 100 % 100) > 0
    return date_sort, (date_sort % 100) > 0


def _coarse_inside(date_sort, level, first, last) -> np.ndarray:
    """Dates known only to a coarser level (the year; the month) whose period overlaps the window."""
    if level == "year":
        return np.zeros(len(date_sort), bool)
    year, month = date_sort // 10000, date_sort // 100
    year_only = (date_sort // 100 % 100 == 0) & (year >= first.year) & (year <= last.year)
    if level == "month":
        return year_only
    month_only = (date_sort % 100 == 0) & (month >= first.year * 100 + first.month) & \
        (month <= last.year * 100 + last.month)
    return year_only | month_only


def sorted_dates(date_sort: np.ndarray, live: np.ndarray) -> np.ndarray:
    """The dates of the live dated documents, sorted: one per index generation is enough."""
    return np.sort(date_sort[live & (date_sort > 0)])


def _bounds(level: str, periods: list) -> tuple[np.ndarray, np.ndarray]:
    """Each period as an inclusive yyyymmdd range; a month's range leaves out dates known only to
    the year (yyyy0000), a day's those known only to the month (yyyymm00)."""
    keys = np.array([p[0] for p in periods], dtype=np.int64)
    if level == "year":
        return keys * 10000, keys * 10000 + 9999
    if level == "month":
        return keys * 100, keys * 100 + 99
    return keys, keys


def _in_ranges(sorted_values: np.ndarray, lower: np.ndarray, upper: np.ndarray) -> np.ndarray:
    """How many of `sorted_values` fall in each [lower, upper]: two binary searches per period."""
    return np.searchsorted(sorted_values, upper, side="right") - np.searchsorted(sorted_values, lower, side="left")


def _periods(level: str, first: datetime.date, last: datetime.date):
    """(key, label, from, to) for every period from `first` to `last`; from/to as the user types them."""
    if level == "year":
        for y in range(first.year, last.year + 1):
            yield y, str(y), str(y), str(y)
    elif level == "month":
        y, m = first.year, first.month
        while (y, m) <= (last.year, last.month):
            label = f"{y}-{m:02d}"
            yield y * 100 + m, label, label, label
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    else:
        day = first
        while day <= last:
            label = day.isoformat()
            yield day.year * 10000 + day.month * 100 + day.day, label, label, label
            day += datetime.timedelta(days=1)


def timeline_for(columns, text_mask: np.ndarray, facet_masks: dict, final: np.ndarray, selections: dict) -> dict:
    """The timeline of one search: `columns` are the generation's FacetColumns, `facet_masks` the
    selected facets' masks by name; the date filters (year, month, from/to) set the window."""
    base = text_mask.copy()
    for name, mask in facet_masks.items():
        if name not in ("year", "month"):
            base &= mask
    every = getattr(columns, "sorted_dates", None)
    if every is None:  # a generation never changes: sort its dates once
        every = columns.sorted_dates = sorted_dates(columns.date_sort, columns.live)
    return date_timeline(columns.date_sort, base, final, None, window_from(selections), every_date=every)
