"""Vietnamese-specific analysis steps: one spelling per syllable, and accent folding.

Vietnamese writes a syllable's tone as a mark on one of its vowels, and two conventions place
it differently on `oa`, `oe`, `uy`: the old style writes `hoà`, `khoẻ`, `thuỷ`, `uỷ`; the new style
`hòa`, `khỏe`, `thủy`, `ủy`. Typists also write `qúy` for `quý`. `canonical_spelling` re-places the
tone of any spelling on the vowel the new style uses, so every variant meets one token, and it
repairs what typing and old encodings leave behind (the same repairs underthesea's
`text_normalize` table lists word by word, here as rules):
- `Ð`/`ð` (ETH, U+00D0/U+00F0, from legacy encodings) for `Đ`/`đ`: `Ðảm` = `Đảm`;
- a tone typed twice (`dàì`, `tạị`) counts once: `dài`, `tại`;
- `uơ`/`ưo` before a final consonant is `ươ` (`buớc` = `bước`): `ươ` always has one, and the
  real `uơ` words (`thuở`, `huơ`) never do;
- `ngh` only comes before i, e, ê: `nghành` is a misspelling of `ngành` (see `_repair`);
- `qui` is `quy` (`quí` = `quý`, `quĩ` = `quỹ`), as underthesea's table has it.
`fold_accents` removes every mark (and `đ`, `ð` → `d`, `ø` → `o`, `ł` → `l`), for accent-insensitive matching.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from whoosh.analysis import Filter

# Letters with a stroke or bar that Unicode does not decompose, folded as Lucene's ASCIIFolding
# does (one letter for one, so the highlighter's character table stays aligned).
_UNDECOMPOSED = str.maketrans("đĐðÐøØłŁıħĦŧŦ", "dDdDoOlLihHtT")

TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}  # huyền sắc ngã hỏi nặng
VOWELS = set("aăâeêioôơuưy")
QUALITY_VOWELS = set("ăâêôơư")  # vowels whose own mark makes them carry the tone
CACHE_SIZE = 200_000  # Vietnamese has ~7,000 syllables; the cache also holds other words
ETH = str.maketrans("ðÐ", "đĐ")
# u-ơ / ư-o before a final consonant (not the u of qu): the horn belongs on both, ươ.
_HALF_HORNED = re.compile(r"(?<![qQ])(?:([uU])([ơƠ])|([ưƯ])([oO]))(?=[cmnptiuCMNPTIU])")
# ngh before anything but i, e, ê (and their toned forms, gone from the toneless base): ng.
_NGH_MISSPELT = re.compile(r"^([nN][gG])[hH](?=[aăâoôơuưAĂÂOÔƠUƯ])")


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


def _repair(base: str) -> str:
    """Letter-level repairs on a toneless syllable: `buơc` → `bươc`, `nghanh` → `nganh`.

    `ngh` + a/o/u: in 2 Vietnamese news corpora (VNTC, the 2025-26 feeds) every such word is a
    misspelling of the `ng` word and none is anything else (docs/relevance.md), so it is mapped."""
    base = _HALF_HORNED.sub(_full_horn, base)
    if base.lower() == "qui":
        return base[:2] + ("Y" if base[2].isupper() else "y")  # quí = quý, quĩ = quỹ: one syllable, two spellings
    return _NGH_MISSPELT.sub(r"\1", base)


def _full_horn(m: re.Match) -> str:
    u, o = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
    return ("Ư" if u.isupper() else "ư") + ("Ơ" if o.isupper() else "ơ")


@lru_cache(maxsize=CACHE_SIZE)
def canonical_spelling(word: str) -> str:
    """One spelling per syllable: `hoà` → `hòa`, `thuỷ` → `thủy`, `qúy` → `quý`, `Ðảm` → `Đảm`,
    `dàì` → `dài`, `buớc` → `bước`, `nghành` → `ngành`; other words unchanged."""
    word = word.translate(ETH)
    decomposed = unicodedata.normalize("NFD", word)
    tones = {ch for ch in decomposed if ch in TONE_MARKS}
    if len(tones) > 1:
        return word  # two different tones: not one Vietnamese syllable
    base = unicodedata.normalize("NFC", "".join(ch for ch in decomposed if ch not in TONE_MARKS))
    if not base.isalpha():
        return word
    repaired = _repair(base)
    if not tones:
        return repaired
    lower = repaired.lower()
    pos = _tone_position(lower) if len(lower) == len(repaired) else None
    if pos is None:
        return word
    return unicodedata.normalize("NFC", repaired[: pos + 1] + tones.pop() + repaired[pos + 1:])


@lru_cache(maxsize=CACHE_SIZE)
def fold_accents(word: str) -> str:
    """Remove every diacritic: `Đảng` → `Dang`, `bán` → `ban`, `café` → `cafe`, `ð` → `d`, `Ø` → `O`."""
    decomposed = unicodedata.normalize("NFD", word.translate(_UNDECOMPOSED))
    return unicodedata.normalize("NFC", "".join(ch for ch in decomposed if not unicodedata.combining(ch)))


class SpellingFilter(Filter):
    """One spelling per syllable (`canonical_spelling`): tone marks re-placed the new-style way,
    ETH read as Đ, doubled tones and half-horned ươ repaired, so every variant is one token."""

    def __call__(self, tokens):
        for t in tokens:
            text = t.text
            if not text.isascii() or text.startswith(("ngh", "qui")):
                t.text = canonical_spelling(text)
            yield t


class AccentFoldFilter(Filter):
    """Drop all diacritics (`đ` → `d`), for accent-insensitive matching."""

    def __call__(self, tokens):
        for t in tokens:
            if not t.text.isascii():
                t.text = fold_accents(t.text)
            yield t
