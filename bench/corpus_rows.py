"""One row of a shared corpus (`../shared/corpus/*.jsonl.gz`) as the fields of a page, for the
benchmarks and the OpenSearch parity test that turn those corpora into HTML pages."""

from __future__ import annotations

from datetime import datetime

VNTC_OUTLETS = {"VNE": "VnExpress", "NLD": "Người Lao Động", "TT": "Tuổi Trẻ", "TN": "Thanh Niên"}


def page_fields(name: str, row: dict, vntc_outlets: dict | None = None) -> tuple[str, str, str, str, str]:
    """(title, body, site, date, url) of `row` from corpus file `name`. VNTC has no titles (the first
    sentence stands in) and no dates; its outlet code is named through `vntc_outlets` when given."""
    if name.startswith("vntc"):
        text = (row.get("body") or row["title"]).strip()
        site = (vntc_outlets or {}).get(row.get("outlet"), "")
        return text.split(".")[0][:150], text, site, "", ""
    if name.startswith("vn_rss"):
        return row["title"], row.get("summary") or "", row["source"], row["published"][:10], row["link"]
    try:  # Reuters-21578: "26-FEB-1987 15:01:01.79"
        date = datetime.strptime(row["date"].split()[0], "%d-%b-%Y").date().isoformat()
    except ValueError:
        date = ""
    return row["title"].title(), row["body"], "Reuters", date, ""
