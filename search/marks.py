"""Vietnamese diacritics as meaning: marks typed are marks meant.

`tô lâm` means Tô Lâm, not tổ, tờ or làm: a word typed with Vietnamese marks matches that word
only (any tone-mark placement, NFC or NFD: the exact analyzer already makes those one token),
while a word typed without marks matches every marked form. Some Vietnamese text is written
without any marks at all (chat, old feeds, `d18` in the fixtures); such a document cannot say
which word it means, so a marked query word may match it folded. The index marks those
documents (`marks:none`, see `written_without_marks`).

    >>> vietnamese_marked("lâm"), vietnamese_marked("lam"), vietnamese_marked("müller")
    (True, False, False)
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Tones (huyền sắc ngã hỏi nặng) and the vowel marks of ă â ê ô ơ ư.
VIETNAMESE_COMBINING = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323", "\u0302", "\u0306", "\u031b"}
UNMARKED_FIELD, UNMARKED = "marks", "none"  # index field and value of documents written without marks
# A document is "written without marks" when fewer than this share of its words carry one. Running
# Vietnamese text has most syllables marked (about 3 in 4); English names or quotes in it stay far
# above this, and a few marked names in unmarked text stay below.
UNMARKED_SHARE = 0.05
SAMPLE_CHARS = 20_000  # judged on the text's start: enough words, and bounded for a 5 MB "article"


@lru_cache(maxsize=20_000)
def vietnamese_marked(word: str) -> bool:
    """Does `word` carry a Vietnamese mark (a tone, ă â ê ô ơ ư, or đ), using only Vietnamese letters?
    Words with other marks (`müller`, pinyin `tāo`) are not Vietnamese spellings: they fold as before."""
    marked = False
    for ch in unicodedata.normalize("NFD", word.casefold()):
        if ch == "đ":
            marked = True
        elif ch in VIETNAMESE_COMBINING:
            marked = True
        elif unicodedata.combining(ch) or (not ch.isascii() and ch.isalpha()):
            return False
    return marked


_MARKED_LETTERS = re.compile("[" + "".join(
    sorted({ch for code in range(0xC0, 0x1EFA) if (ch := chr(code)).isalpha() and vietnamese_marked(ch)})) + "]",
    re.IGNORECASE)


def written_without_marks(text: str, language: str) -> bool:
    """Is `text` Vietnamese written without its diacritics?"""
    if language != "vi":
        return False
    text = text[:SAMPLE_CHARS]
    words = len(text.split())
    if not words:
        return False
    return len(_MARKED_LETTERS.findall(unicodedata.normalize("NFC", text))) < UNMARKED_SHARE * words


def strip_marks(text: str) -> str:
    """`text` with its Vietnamese marks removed (`Tô Lâm` → `To Lam`); other characters kept."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return unicodedata.normalize("NFC", "".join(ch for ch in decomposed if ch not in VIETNAMESE_COMBINING))
