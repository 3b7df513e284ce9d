"""The date facet drawn as an SVG bar chart on the server: works without JavaScript, and each
bar is a link that filters to its year (or, inside one selected year, its month)."""

from __future__ import annotations

from markupsafe import Markup, escape

BAR_WIDTH, GAP, HEIGHT, LABEL = 34, 6, 90, 16


def timeline_svg(facets: dict, toggle_url, labels: dict) -> Markup | None:
    if "month" in facets and facets["month"]["values"]:
        facet, values = "month", facets["month"]["values"]
    else:
        facet, values = "year", facets.get("year", {}).get("values", [])
    if not values:
        return None
    top = max(v["count"] for v in values) or 1
    width = len(values) * (BAR_WIDTH + GAP)
    parts = [f'<svg class="timeline" role="img" viewBox="0 0 {width} {HEIGHT + LABEL * 2}" '
             f'width="{width}" height="{HEIGHT + LABEL * 2}" aria-label="{escape(labels["timeline"])}">']
    for i, v in enumerate(values):
        h = max(2, round(HEIGHT * v["count"] / top)) if v["count"] else 0
        x = i * (BAR_WIDTH + GAP)
        name = v["value"][5:] if facet == "month" and v["value"] != "unknown" else v["label"]
        if v["value"] == "unknown":
            name = "?"
        cls = "bar selected" if v["selected"] else "bar"
        parts.append(
            f'<a href="{escape(toggle_url(facet, v["value"]))}" class="{cls}" data-value="{escape(v["value"])}">'
            f'<title>{escape(v["label"])}: {v["count"]}</title>'
            f'<rect x="{x}" y="{HEIGHT - h + LABEL}" width="{BAR_WIDTH}" height="{h}" rx="3"></rect>'
            f'<text x="{x + BAR_WIDTH / 2}" y="{HEIGHT - h + LABEL - 3}" text-anchor="middle" class="count">'
            f'{v["count"]}</text>'
            f'<text x="{x + BAR_WIDTH / 2}" y="{HEIGHT + LABEL * 2 - 3}" text-anchor="middle">{escape(name)}</text>'
            f"</a>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))
