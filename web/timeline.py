"""The engine's timeline (search/timeline.py) drawn as an SVG bar chart on the server.

Every period from the first to the last has its place on the axis, empty ones too, so gaps show.
A bar with articles is a link to that period (a year shows its months, a month its days); where
JavaScript runs, static/app.js lets the user drag across bars to choose a range, and the from/to
form beside the chart does the same without it. Heights are SVG attributes, not inline styles,
which the Content-Security-Policy forbids.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from web.labels import MONTHS_EN, period_label

HEIGHT, TOP, AXIS = 90, 16, 30  # bar area, room for counts above, room for labels below
FIT = 820  # px: the whole axis fits a desktop results column; a phone scrolls it sideways
STEP_MIN, STEP_MAX = 8, 34  # px per period
LABEL_ROOM = 30  # px an axis label needs
MONTHS_VI = [f"T{m}" for m in range(1, 13)]


def timeline_svg(timeline: dict, bar_url, labels: dict, ui: str, share: bool = False) -> Markup | None:
    """`bar_url(period)` gives the link of one period's bar."""
    periods = timeline.get("periods") or []
    if not periods:
        return None
    level = timeline["level"]
    step = max(STEP_MIN, min(STEP_MAX, FIT // len(periods)))
    width = step - (4 if step >= 16 else 2)
    every = _label_every(step)
    values = [_ratio(p) if share else p["count"] for p in periods]
    top = max(values) or 1
    total_width = len(periods) * step
    parts = [f'<svg class="timeline" width="{total_width}" height="{TOP + HEIGHT + AXIS}" '
             f'viewBox="0 0 {total_width} {TOP + HEIGHT + AXIS}" role="group" '
             f'aria-label="{escape(labels["timeline"])}" data-level="{level}">',
             f'<line class="axis" x1="0" x2="{total_width}" y1="{TOP + HEIGHT + .5}" y2="{TOP + HEIGHT + .5}"></line>']
    for i, (p, value) in enumerate(zip(periods, values, strict=True)):
        x = i * step
        h = max(2, round(HEIGHT * value / top)) if p["count"] else 0
        label = period_label(p["key"], ui)
        if share:
            title = labels["share_title"].format(label=label, count=p["count"], all=p["all"], pct=_pct(value))
        else:
            title = labels["count_title"].format(label=label, count=p["count"])
        attrs = f'class="period" data-from="{escape(p["from"])}" data-to="{escape(p["to"])}" data-count="{p["count"]}"'
        bar = (f'<rect class="hit" x="{x}" y="0" width="{step}" height="{TOP + HEIGHT}"></rect>'
               f'<rect class="bar" x="{x}" y="{TOP + HEIGHT - h}" width="{width}" height="{h}"></rect>')
        if p["count"] and step >= LABEL_ROOM:
            shown = _pct(value) if share else str(p["count"])
            bar += (f'<text class="count" x="{x + width / 2}" y="{TOP + HEIGHT - h - 3}" '
                    f'text-anchor="middle" aria-hidden="true">{escape(shown)}</text>')
        if p["count"]:
            parts.append(f'<a {attrs} href="{escape(bar_url(p))}" aria-label="{escape(title)}">'
                         f'<title>{escape(title)}</title>{bar}</a>')
        else:
            parts.append(f'<g {attrs}><title>{escape(title)}</title>{bar}</g>')
        tick = _tick(p["key"], level, i, ui, every)
        if tick:
            parts.append(f'<text class="tick" x="{x + width / 2}" y="{TOP + HEIGHT + 13}" text-anchor="middle" '
                         f'aria-hidden="true">{escape(tick[0])}</text>')
            if tick[1]:
                parts.append(f'<text class="tick year" x="{x + width / 2}" y="{TOP + HEIGHT + 26}" '
                             f'text-anchor="middle" aria-hidden="true">{escape(tick[1])}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def _ratio(p: dict) -> float:
    return p["count"] / p["all"] if p["all"] else 0.0


def _pct(value: float) -> str:
    return f"{value * 100:.0f}%" if value >= 0.1 or value == 0 else f"{value * 100:.1f}%"


def _label_every(step: int) -> int:
    """Label every 1st, 2nd, 5th or 10th year so that labels do not touch."""
    return next(k for k in (1, 2, 5, 10, 20, 50) if k * step >= LABEL_ROOM)


def _tick(key: str, level: str, i: int, ui: str, every: int = 1) -> tuple[str, str] | None:
    """The axis label under a bar: (label, second line or '')."""
    if level == "year":
        return (key, "") if int(key) % every == 0 else None
    if level == "month":
        month = int(key[5:7])
        name = MONTHS_VI[month - 1] if ui == "vi" else MONTHS_EN[month - 1][:3]
        return name, key[:4] if month == 1 or i == 0 else ""
    day = int(key[8:10])
    if day == 1 or day % 5 == 0 or i == 0:
        month = int(key[5:7])
        second = (f"T{month}" if ui == "vi" else MONTHS_EN[month - 1][:3]) if day == 1 or i == 0 else ""
        return str(day), second
    return None
