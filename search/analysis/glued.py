"""Words that ICU's word breaker keeps whole but a reader sees as several.

Unicode's word rules (UAX #29) join letters across a full stop or an `@` (`U.S`,
`e.g`), and a number to the letters after it (`140.000đ`). News text glues words that way by
accident (`Hà Nội.Ông`, `present.Đoàn`), and writes units, domains and addresses the same way
(`1.600m`, `thegioididong.vn`, `ban@dangcongsan.vn`). Kept whole, no part of them can be found.

`pieces` cuts such a word:
- at every punctuation mark inside it, except between two digits (`140.000`, `2,5` stay numbers)
  and apostrophes (`don't`, `Xi’an`): `Hà Nội.Ông` → `Nội`, `Ông`; `thegioididong.vn` →
  `thegioididong`, `vn`. Initials stay one word (`U.S`, `T.Ư`, `e.g`), as ICU and Lucene keep
  them: cut, `U.S.` would be the English stop word `s` and a `u` that also stands in `U.N.`;
- between a number and the letters that end it (its unit): `140.000đ` → `140.000`, `đ`;
  `1.600m` → `1.600`, `m`. A word that starts with letters keeps its digits (`G20`, `H5N1`), and so
  does one with letters between digits (`15h30`).
The query is cut the same way, so `thegioididong.vn` typed in a search is a phrase of its parts.
"""

from __future__ import annotations

import unicodedata

APOSTROPHES = "'\u2019"


def _inside_word(ch: str) -> bool:
    """Letters, digits, marks and joiners belong to a word; punctuation and symbols do not."""
    return ch.isalnum() or ch == "_" or ch in APOSTROPHES or unicodedata.category(ch)[0] == "M" \
        or ch in "\u200c\u200d"


def pieces(word: str) -> list[tuple[int, int]]:
    """(start, end) of each piece of one ICU word, in order.

    >>> [("Nội.Ông"[s:e]) for s, e in pieces("Nội.Ông")]
    ['Nội', 'Ông']
    >>> [("140.000đ"[s:e]) for s, e in pieces("140.000đ")]
    ['140.000', 'đ']
    """
    if word.isalpha() or word.isdigit():
        return [(0, len(word))]  # nearly every word: nothing to cut
    spans = []
    start = 0
    for i, ch in enumerate(word):
        if _inside_word(ch):
            continue
        if 0 < i < len(word) - 1 and word[i - 1].isdigit() and word[i + 1].isdigit():
            continue  # a separator inside a number: 140.000, 2,5, 3.5.6
        if i > start:
            spans.append((start, i))
        start = i + 1
    if start < len(word):
        spans.append((start, len(word)))
    spans = [(s, e) for s, e in spans if any(ch.isalnum() for ch in word[s:e])]  # `@_` leaves no word in `_`
    if is_initialism(word, spans):
        return [(0, len(word))]
    out = []
    for s, e in spans:
        unit = _unit_start(word, s, e)
        out.extend([(s, unit), (unit, e)] if unit else [(s, e)])
    return out


MAX_INITIALS = 10  # U.S.A, T.Ư, e.g: longer runs of single letters are not initials


def is_initialism(word: str, spans: list[tuple[int, int]]) -> bool:
    """`U.S`, `T.Ư`, `e.g`: 2-10 single letters joined by full stops, one word as ICU reads it."""
    return 1 < len(spans) <= MAX_INITIALS and len(word) == 2 * len(spans) - 1 \
        and all(e - s == 1 and word[s].isalpha() for s, e in spans) and all(word[e] == "." for _, e in spans[:-1])


def _unit_start(word: str, start: int, end: int) -> int | None:
    """Where the letters of `<number><letters>` begin (`140.000đ` → 7), else None."""
    if not word[start].isdigit() or word[end - 1].isdigit():
        return None
    i = start
    while i < end and (word[i].isdigit() or word[i] in ".,"):
        i += 1
    if i == end or not word[i].isalpha() or word[i - 1] in ".,":
        return None
    rest = word[i:end]
    if all(ch.isalpha() or unicodedata.category(ch)[0] == "M" for ch in rest):
        return i
    return None
