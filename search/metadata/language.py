"""Language detection with lingua (offline, accurate on short and mixed text).

Restricted to the languages this archive holds or will hold, which makes it faster and keeps
it from guessing exotic languages for short headlines.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from lingua import Language, LanguageDetectorBuilder

LANGUAGES = [
    Language.VIETNAMESE, Language.ENGLISH, Language.CHINESE, Language.RUSSIAN, Language.FRENCH,
    Language.GERMAN, Language.SPANISH, Language.JAPANESE, Language.KOREAN, Language.THAI,
]
UNDETERMINED = "und"
SAMPLE_CHARS = 800  # the title and the story's opening are plenty; detection cost grows with length

# Letters only Vietnamese writes: ă â đ ê ô ơ ư and the precomposed tone-marked vowels
# (Latin Extended Additional, U+1EA0–U+1EF9). When a fifth of the words carry one, the text is
# Vietnamese beyond doubt, and lingua (whose models take ~1.5 s to load, the largest cost of a
# 10-file reindex) is not asked. English with a few Vietnamese names stays far below that share.
_VIETNAMESE_LETTER = re.compile("[ăâđêôơưĂÂĐÊÔƠƯ\u1ea0-\u1ef9]")
_WORD = re.compile(r"\w+")
_HAN = re.compile("[\u4e00-\u9fff\u3400-\u4dbf]")
_KANA_HANGUL = re.compile("[\u3040-\u30ff\uac00-\ud7af]")
VIETNAMESE_WORD_SHARE = 0.2
MIN_WORDS = 8


@lru_cache(maxsize=1)
def _detector():
    return LanguageDetectorBuilder.from_languages(*LANGUAGES).build()


def detect_language(text: str) -> str:
    """ISO 639-1 code (`vi`, `en`, `zh`, …) or `und` when the text gives no clue."""
    sample = text[:SAMPLE_CHARS]
    if not any(ch.isalpha() for ch in sample):
        return UNDETERMINED
    by_script = detect_by_script(sample)
    if by_script:
        return by_script
    language = _detector().detect_language_of(sample)
    return language.iso_code_639_1.name.lower() if language else UNDETERMINED


def detect_by_script(text: str) -> str | None:
    """`vi` or `zh` when the letters alone settle it, else None (ask lingua)."""
    text = unicodedata.normalize("NFC", text)
    han = len(_HAN.findall(text))
    if han >= 20 and not _KANA_HANGUL.search(text):
        letters = sum(ch.isalpha() for ch in text)
        if han >= 0.5 * letters:
            return "zh"
    words = _WORD.findall(text)
    if len(words) >= MIN_WORDS:
        marked = sum(1 for w in words if _VIETNAMESE_LETTER.search(w))
        if marked >= VIETNAMESE_WORD_SHARE * len(words):
            return "vi"
    return None
