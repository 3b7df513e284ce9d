"""One row of a shared corpus (`../shared/corpus/*.jsonl.gz`) as the fields of a page, for the
benchmarks and the OpenSearch parity test that turn those corpora into HTML pages."""

from __future__ import annotations

import html
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


def page_html(title: str, body: str, site: str = "", date: str = "", url: str = "") -> str:
    """A plain article page for these fields: og:title, site name, canonical URL, published time,
    one <p> per line of the body inside <article> (the speed bench's and the parity corpus's pages)."""
    paragraphs = "".join(f"<p>{html.escape(p.strip())}</p>" for p in body.split("\n") if p.strip())
    return (f'<html><head><meta charset="utf-8"><meta property="og:title" content="{html.escape(title)}">'
            + (f'<meta property="og:site_name" content="{html.escape(site)}">' if site else "")
            + (f'<link rel="canonical" href="{html.escape(url)}">' if url else "")
            + (f'<meta property="article:published_time" content="{date}">' if date else "")
            + f"</head><body><article>{paragraphs}</article></body></html>")
