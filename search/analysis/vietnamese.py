"""Vietnamese-specific analysis steps: tone-mark placement and accent folding.

Vietnamese writes a syllable's tone as a mark on one of its vowels, and two conventions place
it differently on `oa`, `oe`, `uy`: the old style writes `hoà`, `khoẻ`, `thuỷ`, `uỷ`; the new style
`hòa`, `khỏe`, `thủy`, `ủy`. Typists also write `qúy` for `quý`. `canonical_tones` re-places the
tone of any spelling on the vowel the new style uses, so every variant meets one token.
`fold_accents` removes every mark (and `đ` → `d`), for accent-insensitive matching.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from whoosh.analysis import Filter

TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}  # huyền sắc ngã hỏi nặng
VOWELS = set("aăâeêioôơuưy")
QUALITY_VOWELS = set("ăâêôơư")  # vowels whose own mark makes them carry the tone
CACHE_SIZE = 200_000  # Vietnamese has ~7,000 syllables; the cache also holds other words


def _tone_position(base: str) -> int | None:
    """Index of the vowel that carries the tone in the new style, for a toneless lower-case syllable."""
    start = 0
    if base.startswith("qu"):
        start = 2  # the u of qu belongs to the consonant: quý, quả
    elif base.startswith("gi") and len(base) > 2 and base[2] in VOWELS:
        start = 2  # likewise the i of gi: già, giữa
    i = start
    while i < len(base) and base[i] not in VOWELS:
        i += 1
    first = i
    while i < len(base) and base[i] in VOWELS:
        i += 1
    last = i  # exclusive
    if first == last or any(ch in VOWELS for ch in base[last:]):
        return None  # no vowel, or two vowel groups: not one Vietnamese syllable (café)
    marked = [j for j in range(first, last) if base[j] in QUALITY_VOWELS]
    if marked:
        return marked[-1]  # người: the ơ of ươ
    size = last - first
    if size == 1:
        return first
    if size == 3:
        return first + 1  # ngoài, khuỷu, xoáy
    if last < len(base):
        return first + 1  # a final consonant pulls it to the second vowel: hoàng, huỳnh
    return first  # hòa, khỏe, thủy, mùa, tài


@lru_cache(maxsize=CACHE_SIZE)
def canonical_tones(word: str) -> str:
    """`hoà` → `hòa`, `thuỷ` → `thủy`, `qúy` → `quý`; words without a Vietnamese tone unchanged."""
    decomposed = unicodedata.normalize("NFD", word)
    tones = [ch for ch in decomposed if ch in TONE_MARKS]
    if len(tones) != 1:
        return word  # no tone, or not a single Vietnamese syllable
    base = unicodedata.normalize("NFC", "".join(ch for ch in decomposed if ch not in TONE_MARKS))
    if not all(ch.isalpha() for ch in base):
        return word
    pos = _tone_position(base)
    if pos is None:
        return word
    return unicodedata.normalize("NFC", base[: pos + 1] + tones[0] + base[pos + 1:])


@lru_cache(maxsize=CACHE_SIZE)
def fold_accents(word: str) -> str:
    """Remove every diacritic: `Đảng` → `Dang`, `bán` → `ban`, `café` → `cafe`."""
    decomposed = unicodedata.normalize("NFD", word.replace("đ", "d").replace("Đ", "D"))
    return unicodedata.normalize("NFC", "".join(ch for ch in decomposed if not unicodedata.combining(ch)))


class ToneMarkFilter(Filter):
    """Re-place tone marks the new-style way, so old- and new-style spellings are one token."""

    def __call__(self, tokens):
        for t in tokens:
            if not t.text.isascii():
                t.text = canonical_tones(t.text)
            yield t


class AccentFoldFilter(Filter):
    """Drop all diacritics (`đ` → `d`), for accent-insensitive matching."""

    def __call__(self, tokens):
        for t in tokens:
            if not t.text.isascii():
                t.text = fold_accents(t.text)
            yield t
