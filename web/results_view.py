"""What a results page shows besides the hits, worked out from the engine's answer and the URL:
the chips of active filters, the page numbers, the timeline's zoom path."""

from __future__ import annotations

from flask import request

from search.request import MAX_PAGE
from web.labels import labels_for, period_label, value_label
from web.urls import q_without_all, toggle_url, url_with

DATE_PARAMS = ("from", "to")


def chips(result: dict, ui: str) -> list[dict]:
    """One chip per active filter, typed or clicked, each with the link that removes it.

    A typed filter (`lang:vi` in the query; "source": "query" from the engine) is removed by
    searching the query without that clause; a from/to pair is one chip ("July 2020")."""
    L = labels_for(ui)
    out, dates = [], []
    for f in result.get("filters", []):
        typed = f.get("source") == "query"
        if f["facet"] in DATE_PARAMS:
            dates.append(f)
            continue
        if typed:
            remove = url_with(q=f.get("q_without") or None)
        else:
            remove = toggle_url(f["facet"], f["value"])
        out.append({"facet": f["facet"], "value": f["value"], "typed": typed, "url": remove,
                    "text": f"{L.get(f['facet'], f['facet'])}: {value_label(f['facet'], f['value'], f['label'], ui)}"})
    typed_dates = [f for f in dates if f.get("source") == "query"]
    param_dates = [f for f in dates if f.get("source") != "query"]
    for group, typed in ((typed_dates, True), (param_dates, False)):
        if not group:
            continue
        if typed:
            raw = {f["facet"]: f["value"] for f in group}
            remove = url_with(q=group[0].get("q_without") or None)
        else:
            raw = {f["facet"]: request.args.get(f["facet"]) or f["value"] for f in group}  # as typed: 2020-07
            remove = url_with(**{"from": None, "to": None})
        out.append({"facet": "period", "value": "{}..{}".format(raw.get("from", ""), raw.get("to", "")),
                    "typed": typed, "url": remove, "text": f"{L['period']}: {period_text(raw, L, ui)}"})
    return out


def period_text(raw: dict, L: dict, ui: str) -> str:
    lo, hi = raw.get("from"), raw.get("to")
    if lo and hi:
        return period_label(lo, ui) if lo == hi else f"{period_label(lo, ui)} – {period_label(hi, ui)}"
    if lo:
        return f"{L['from'].lower()} {period_label(lo, ui)}"
    return f"{L['to'].lower()} {period_label(hi, ui)}"


def clear_all_url(result: dict) -> str:
    """Every filter off, typed ones too; the words of the query and the sort stay."""
    q = q_without_all(request.args.get("q", ""), result.get("filters", []))
    return url_with(q=q or None, lang=None, outlet=None, delegate=None, year=None, month=None,
                    **{"from": None, "to": None})


def pager(result: dict, link=None) -> dict | None:
    """Page numbers around the current page, with the first and the last; `capped` when the
    results go on past the pages that can be opened. `link(n)` makes a page's URL."""
    link = link or (lambda n: url_with(page=str(n)))
    pages = result["pages"]
    if pages <= 1:
        return None
    last = min(pages, result.get("cap", MAX_PAGE))
    page = result["page"]
    shown = sorted({1, last, *range(max(1, page - 2), min(last, page + 2) + 1)})
    items, previous = [], 0
    for n in shown:
        if n - previous > 1:
            items.append(None)  # a gap: …
        items.append({"n": n, "url": link(n), "current": n == page})
        previous = n
    return {"items": items, "last": last, "capped": pages > last, "cap": last,
            "prev": link(page - 1) if page > 1 else None,
            "next": link(page + 1) if page < last else None}


def timeline_path(result: dict, ui: str) -> list[dict]:
    """The zoom path shown above the timeline: All dates › 2020 › July 2020 (links up)."""
    tl = result.get("timeline") or {}
    narrowed = any(request.args.get(k) for k in ("from", "to", "year", "month"))
    if not narrowed or not tl.get("from"):
        return []
    L = labels_for(ui)
    path = [{"text": L["all_years"], "url": url_with(year=None, month=None, **{"from": None, "to": None})}]
    lo, hi = tl["from"], tl["to"]
    if lo[:4] == hi[:4] and tl["level"] in ("month", "day"):
        path.append({"text": lo[:4], "url": url_with(year=None, month=None, **{"from": lo[:4], "to": lo[:4]})})
        if lo[:7] == hi[:7] and tl["level"] == "day":
            path.append({"text": period_label(lo[:7], ui),
                         "url": url_with(year=None, month=None, **{"from": lo[:7], "to": lo[:7]})})
    path[-1]["url"] = None  # where we are
    return path


def bar_url(period: dict) -> str:
    return url_with(year=None, month=None, **{"from": period["from"], "to": period["to"]})
