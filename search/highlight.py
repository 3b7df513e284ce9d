"""Snippets with the query's words marked, found through the folded analyzer so that an
accent-free query marks the accented words (`hoang binh quan` marks `Hoàng Bình Quân`)."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from search.analysis import shared_analyzer

SNIPPET_CHARS = 240


@dataclass
class Span:
    start: int
    end: int


def matching_spans(text: str, terms: set[str], prefixes: tuple[str, ...] = ()) -> list[Span]:
    """Character spans of the words in `text` whose folded form is a query term."""
    if not terms and not prefixes:
        return []
    spans = []
    for token in shared_analyzer("folded")(text, chars=True, mode="index"):
        if token.text in terms or (prefixes and token.text.startswith(prefixes)):
            spans.append(Span(token.startchar, token.endchar))
    return spans


def best_window(text: str, spans: list[Span], size: int = SNIPPET_CHARS) -> tuple[int, int]:
    """The window of about `size` characters holding the most matches, cut at word boundaries."""
    if not spans:
        end = min(len(text), size)
        return 0, _word_end(text, end)
    best, best_count = spans[0].start, 0
    j = 0
    for i, span in enumerate(spans):
        while j < len(spans) and spans[j].end <= span.start + size:
            j += 1
        if j - i > best_count:
            best, best_count = span.start, j - i
    start = max(0, best - size // 4)
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    return start, _word_end(text, min(len(text), start + size))


def _word_end(text: str, end: int) -> int:
    while end < len(text) and not text[end].isspace():
        end += 1
    return end


def mark_html(text: str, spans: list[Span], start: int = 0, end: int | None = None) -> str:
    """`text[start:end]` HTML-escaped, matches wrapped in <mark>."""
    end = len(text) if end is None else end
    out, pos = [], start
    for span in spans:
        if span.end <= start or span.start >= end:
            continue
        out.append(escape(text[pos:span.start]))
        out.append("<mark>" + escape(text[span.start:span.end]) + "</mark>")
        pos = span.end
    out.append(escape(text[pos:end]))
    return "".join(out)


def snippet(text: str, terms: set[str], prefixes: tuple[str, ...] = ()) -> dict:
    """{"html": escaped snippet with <mark>s, "text": plain snippet, "matches": count}."""
    flat = " ".join(text.split())
    spans = matching_spans(flat, terms, prefixes)
    start, end = best_window(flat, spans)
    html = mark_html(flat, spans, start, end)
    plain = flat[start:end]
    if start > 0:
        html, plain = "…" + html, "…" + plain
    if end < len(flat):
        html, plain = html + "…", plain + "…"
    return {"html": html, "text": plain, "matches": len(spans)}
