"""Language detection with lingua (offline, accurate on short and mixed text).

Restricted to the languages this archive holds or will hold, which makes it faster and keeps
it from guessing exotic languages for short headlines.
"""

from __future__ import annotations

from functools import lru_cache

from lingua import Language, LanguageDetectorBuilder

LANGUAGES = [
    Language.VIETNAMESE, Language.ENGLISH, Language.CHINESE, Language.RUSSIAN, Language.FRENCH,
    Language.GERMAN, Language.SPANISH, Language.JAPANESE, Language.KOREAN, Language.THAI,
]
UNDETERMINED = "und"
SAMPLE_CHARS = 800  # the title and the story's opening are plenty; detection cost grows with length


@lru_cache(maxsize=1)
def _detector():
    return LanguageDetectorBuilder.from_languages(*LANGUAGES).build()


def detect_language(text: str) -> str:
    """ISO 639-1 code (`vi`, `en`, `zh`, …) or `und` when the text gives no clue."""
    sample = text[:SAMPLE_CHARS]
    if not any(ch.isalpha() for ch in sample):
        return UNDETERMINED
    language = _detector().detect_language_of(sample)
    return language.iso_code_639_1.name.lower() if language else UNDETERMINED
