"""Snippets with the query's words marked, found through the folded analyzer so that an
accent-free query marks the accented words (`hoang binh quan` marks `Hoàng Bình Quân`)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from html import escape

from search.analysis.glued import MAX_INITIALS
from search.analysis.vietnamese import fold_accents

SNIPPET_CHARS = 240


@dataclass
class Span:
    start: int
    end: int


def matching_spans(text: str, terms: set[str], prefixes: tuple[str, ...] = (), keep=None,
                   folded: str | None = None) -> list[Span]:
    """Character spans of the words in `text` whose folded form is a query term (and, if given,
    for which `keep(word)` is true: a word typed with marks marks only its own spelling).
    `folded`: `text` folded already (`fold(text)`), as a cached hit keeps it."""
    if not terms and not prefixes:
        return []
    if folded is None:
        folded = fold(text)
    initials = _initials(folded) if "." in folded and any(len(t) == 1 for t in terms) else set()
    spans = [Span(m.start(), m.end()) for m in _matches(folded, frozenset(terms), tuple(prefixes))
             if (not folded[m.start() - 1:m.start()].isdigit() or _unit_of_number(folded, m.start(), m.group()))
             and not (m.end() - m.start() == 1 and m.start() in initials)]
    return spans if keep is None else [s for s in spans if keep(text[s.start:s.end])]


def _unit_of_number(folded: str, start: int, word: str) -> bool:
    """Letters right after digits are a word of their own only as a number's unit (`140.000đ`:
    `glued.pieces`), i.e. when the word they end starts with the number."""
    if not word.isalpha():
        return False
    i = start
    while i > 0 and (folded[i - 1].isdigit()
                     or (_JOINING_DIGITS.fullmatch(folded[i - 1]) and folded[i - 2:i - 1].isdigit())):
        i -= 1
    return (i == 0 or not (folded[i - 1].isalnum() or folded[i - 1] == "_")) and folded[i].isdigit()


def _initials(folded: str) -> set[int]:
    """Positions of the letters of the initials the analyzer keeps as one word (`U.S`), found in
    one pass: 2-10 single letters joined by full stops, not joined to more of a word around them
    (ICU joins letters across `.`, `@` and apostrophes, not across `:` or a digit's full stop)."""
    return {m.start() + i for m in _INITIALS.finditer(folded) for i in range(0, m.end() - m.start(), 2)}


_INITIALS = re.compile(rf"(?<!\w)(?<![^\W\d_][.@'’])[^\W\d_](?:\.[^\W\d_]){{1,{MAX_INITIALS - 1}}}"
                       r"(?!\w)(?![.@'’][^\W\d_])")


class _FoldTable(dict):
    """Character → its folded form (case and every mark removed, đ → d), one character for one,
    for `str.translate`. Filled on first sight of each character. Folding character by character
    gives what the folded analyzer gives a word (tone-mark placement no longer matters once marks
    are gone), at C speed: snippets for ten long articles took 40 ms through the analyzer."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        folded = fold_accents(char.casefold())
        value = folded if len(folded) == 1 else char
        self[code] = value
        return value


FOLD_TABLE = _FoldTable()


def fold(text: str) -> str:
    """`text` folded character by character: same length, so offsets carry over."""
    return text.translate(FOLD_TABLE)


def flatten(text: str) -> str:
    """`text` with each run of white space one space: the form a snippet is cut from."""
    return " ".join(text.split())


def _matches(folded: str, terms: frozenset[str], prefixes: tuple[str, ...]):
    """What `_pattern(terms, prefixes).finditer(folded)` finds, found faster. Every match starts
    where one of the pattern's words does, so only the places `str.find` sees one are tried (a
    regex opening with look-behinds is tried at every character: 0.1 ms for a 1,000-character
    body, most of a cold search's snippets), and there only the words found there, each through a
    pattern of its own in the order the alternation tries them (one-word patterns are kept across
    searches: compiling each query's alternation cost more than matching). Same matches, same
    order, never overlapping (tests/test_sparse.py checks it against finditer)."""
    tries = _tries(terms, prefixes)
    if not all(word for word, _ in tries):
        yield from _pattern(terms, prefixes).finditer(folded)
        return
    found: dict[int, set[str]] = {}
    for word, _ in tries:
        at = folded.find(word)
        while at >= 0:
            found.setdefault(at, set()).add(word)
            at = folded.find(word, at + 1)
    end = 0
    for at in sorted(found):
        if at < end:
            continue
        here = found[at]
        for word, pattern in tries:
            if word in here and (m := pattern.match(folded, at)):  # look-behinds see the text before `at`
                yield m
                end = m.end()
                break


# Between two digits the analyzer (ICU's word rules) keeps these in the number: `1.5`, `20,20`,
# `G20@140`, `20'20`, `20;20`, and their full-width and other scripts' forms.
_JOINS_DIGITS = ("[.,@'\u2019;\u2024\ufe52\uff0e\uff0c\ufe50\u066b\u066c\u037e\u0589\u060c\u060d\u07f8\u2044"
                 "\ufe10\ufe14\uff1b\uff07]")
_JOINING_DIGITS = re.compile(_JOINS_DIGITS)

# The parts of a highlight pattern, in the order its alternation tries them; {} takes the words.
PATTERN_PARTS = {
    "words": r"(?:(?<!\w)|(?<=\d))(?:{})(?!\w)",
    # A number stands alone, but its unit may follow it (`140.000đ`), and a unit may follow a
    # digit (checked in `matching_spans`); a number's own separators never end it (`2.5` in `2.5.6`).
    "numbers": r"(?<!\w)(?<!\d" + _JOINS_DIGITS + r")(?:{})(?!" + _JOINS_DIGITS + r"\d)(?=[^\W\d_]*(?!\w))",
    "prefixes": r"(?<!\w)(?:{})\w*",
    "unspaced": "(?:{})",
}


def _parts(terms: frozenset[str], prefixes: tuple[str, ...]) -> dict[str, list[str]]:
    """The words of each part of the pattern, longest first (as the alternation tries them)."""
    # Scripts written without spaces (Chinese, Japanese, Thai) have no word boundaries to check.
    unspaced = {t for t in terms if any(ord(c) >= 0x0E00 for c in t)}
    spaced = _spellings(terms - unspaced)
    numbers = {t for t in spaced if t[:1].isdigit() and t[-1:].isdigit()}
    words = {"words": spaced - numbers, "numbers": numbers, "prefixes": prefixes, "unspaced": unspaced}
    return {part: sorted(ws, key=len, reverse=True) for part, ws in words.items()}


def _spellings(terms: frozenset[str]) -> set[str]:
    """The terms, with the spellings the analyzer reads as theirs: it reads `nghành` as `ngành` and
    `quí` as `quý` (vietnamese.canonical_spelling); character folding does not."""
    return set(terms) | {"ngh" + t[2:] for t in terms if t[:2] == "ng" and t[2:3] in ("a", "o", "u")} | \
        ({"qui"} if "quy" in terms else set())


@lru_cache(maxsize=512)
def _pattern(terms: frozenset[str], prefixes: tuple[str, ...]) -> re.Pattern:
    """One alternation of every part: the definition `_matches` follows."""
    return re.compile("|".join(PATTERN_PARTS[part].format("|".join(map(re.escape, words)))
                               for part, words in _parts(terms, prefixes).items() if words))


@lru_cache(maxsize=512)
def _tries(terms: frozenset[str], prefixes: tuple[str, ...]) -> tuple[tuple[str, re.Pattern], ...]:
    """(word, its one-word pattern) in the order `_pattern`'s alternation tries them."""
    return tuple((word, _one_word(part, word)) for part, words in _parts(terms, prefixes).items() for word in words)


@lru_cache(maxsize=8192)
def _one_word(part: str, word: str) -> re.Pattern:
    return re.compile(PATTERN_PARTS[part].format(re.escape(word)))


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


def snippet(text: str, terms: set[str], prefixes: tuple[str, ...] = (), keep=None) -> dict:
    """{"html": escaped snippet with <mark>s, "text": plain snippet, "matches": count}."""
    flat = flatten(text)
    return flat_snippet(flat, None, terms, prefixes, keep)


def flat_snippet(flat: str, folded: str | None, terms: set[str], prefixes: tuple[str, ...] = (), keep=None) -> dict:
    """`snippet` of text flattened already (`flatten`), and folded if `folded` is given."""
    spans = matching_spans(flat, terms, prefixes, keep, folded)
    start, end = best_window(flat, spans)
    html = mark_html(flat, spans, start, end)
    plain = flat[start:end]
    if start > 0:
        html, plain = "…" + html, "…" + plain
    if end < len(flat):
        html, plain = html + "…", plain + "…"
    return {"html": html, "text": plain, "matches": len(spans)}
