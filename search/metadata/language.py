"""Language detection with lingua, among every language it knows (75), never a guess.

A detector restricted to the archive's own languages labelled a Polish page Vietnamese: it can
only answer with a language it was given. So lingua is asked about all of them, in its low-
accuracy mode (trigram models only: ~0.7 s and ~120 MB to load all of them, against ~19 s and
~1 GB for the full models; reliable on the title plus 800 characters of story that it is given),
and must be clearly sure (`MIN_RELATIVE_DISTANCE`), else the answer is `und`. Text too short
to tell (`MIN_LETTERS`) is `und` too.

Two cheap rules answer first, where the text settles it beyond doubt, so most pages never ask
lingua (~3 ms a page with all 75 models, 15 % of a text-export reindex before these rules):
- `detect_by_script`: the letters alone — Chinese (Han, no kana or hangul), Vietnamese (a fifth
  of the words carry a letter only Vietnamese writes), Russian (Cyrillic with ы or э and none of
  the letters of the other Cyrillic languages lingua knows);
- `detect_english`: a tenth of the words are English function words no other Latin-script
  language lingua knows uses ("the", "of", "which", "said"…), "the" at least twice.
Every other text, and every text too short for a rule (`MIN_WORDS`), goes to lingua.
`tests/test_metadata.py` checks the rules agree with lingua on real articles.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from lingua import LanguageDetectorBuilder

UNDETERMINED = "und"
MIN_RELATIVE_DISTANCE = 0.1  # lingua answers None unless its best language leads by this much
MIN_LETTERS = 20  # "Talks held" reads as Bokmål to a trigram model: too short to tell
SAMPLE_CHARS = 800  # the title and the story's opening are plenty; detection cost grows with length
LINGUA_CHARS = 400  # all 75 trigram models: ~2.7 ms at 400 characters, ~4.7 ms at 800, same answers on the sets

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
# Cyrillic: ы/э are written by Russian (and Belarusian, Kazakh, Kyrgyz, Mongolian, which all
# write one of the letters below too); these are Ukrainian, Belarusian, Serbian, Macedonian,
# Kazakh, Kyrgyz, Mongolian, Tatar, Bashkir, Tajik, Uzbek letters Russian never uses.
_CYRILLIC = re.compile("[\u0400-\u04ff]")
_RUSSIAN_ONLY = re.compile("[ыэЫЭ]")
_NOT_RUSSIAN = re.compile("[іїєґўјљњћџђѓќѕәөүңғқһҳҷӣӯҡҙҫҗӊӈІЇЄҐЎЈЉЊЋЏЂЃЌЅӘӨҮҢҒҚҺҲҶӢӮҠҘҪҖӉӇ]")
RUSSIAN_CYRILLIC_SHARE = 0.5  # of the letters
# English function words that are not words of another Latin-script language lingua knows
# ("in", "a", "is", "on", "to", "die", "was", "will", "her", "by" are: German, Dutch, Danish…).
ENGLISH_WORDS = frozenset("the of and that for with from this which their have has said would been they its "
                          "but not are who after about were his".split())
ENGLISH_WORD_SHARE = 0.1
_LATIN_WORD = re.compile("[A-Za-z\u00c0-\u024f\u1e00-\u1eff]+")
LATIN_SHARE = 0.8  # of the letters: Latin words in a Japanese or Russian text are quotes


@lru_cache(maxsize=1)
def _detector():
    return (LanguageDetectorBuilder.from_all_languages().with_low_accuracy_mode()
            .with_minimum_relative_distance(MIN_RELATIVE_DISTANCE).build())


def load_detector() -> None:
    """Load lingua's models now rather than on the first text that needs them (~0.7 s): a
    reindex does it once before forking its workers, which would otherwise each pay for it.
    Lingua loads a model the first time a text in its script is weighed; a Latin-script
    sentence brings in most of them."""
    _detector().detect_language_of("Rozmowy delegacji partyjnych odbyły się w stolicy.")


def detect_language(text: str) -> str:
    """ISO 639-1 code (`vi`, `en`, `zh`, …) or `und` when the text gives no clue."""
    sample = text[:SAMPLE_CHARS]
    if not any(map(str.isalpha, sample)):
        return UNDETERMINED
    if cheap := detect_english(sample) or detect_by_script(sample):  # English first: names carry Vietnamese letters
        return cheap
    if sum(map(str.isalpha, sample)) < MIN_LETTERS and not (_HAN.search(sample) or _KANA_HANGUL.search(sample)):
        return UNDETERMINED  # (a dozen Han characters say more than twenty letters)
    sample = sample[:LINGUA_CHARS]
    return (_helper and _helper.detect(sample)) or lingua_code(sample)


def lingua_code(sample: str) -> str:
    """lingua's answer for `sample` (`und` when it is not sure)."""
    language = _detector().detect_language_of(sample)
    return language.iso_code_639_1.name.lower() if language else UNDETERMINED


# A process that loads lingua while a small reindex does other work, and answers in its stead
# (search.indexing.language_helper); None otherwise.
_helper = None


def set_helper(helper) -> None:
    global _helper
    _helper = helper


def lingua_loaded() -> bool:
    return _detector.cache_info().currsize > 0


def detect_by_script(text: str) -> str | None:
    """`vi`, `zh` or `ru` when the letters alone settle it, else None (ask lingua)."""
    text = unicodedata.normalize("NFC", text)
    han = len(_HAN.findall(text))
    if han >= 20 and not _KANA_HANGUL.search(text):
        letters = sum(map(str.isalpha, text))
        if han >= 0.5 * letters:
            return "zh"
    words = _WORD.findall(text)
    if len(words) >= MIN_WORDS:
        marked = sum(1 for w in words if _VIETNAMESE_LETTER.search(w))
        if marked >= VIETNAMESE_WORD_SHARE * len(words):
            return "vi"
    if len(words) >= MIN_WORDS and _RUSSIAN_ONLY.search(text) and not _NOT_RUSSIAN.search(text):
        cyrillic = len(_CYRILLIC.findall(text))
        if cyrillic >= RUSSIAN_CYRILLIC_SHARE * sum(map(str.isalpha, text)):
            return "ru"
    return None


def detect_english(text: str) -> str | None:
    """`en` when English function words settle it, else None (ask lingua)."""
    words = _LATIN_WORD.findall(text)
    if len(words) < MIN_WORDS or sum(map(len, words)) < LATIN_SHARE * sum(map(str.isalpha, text)):
        return None
    lower = [w.lower() for w in words]
    if lower.count("the") >= 2 and sum(w in ENGLISH_WORDS for w in lower) >= ENGLISH_WORD_SHARE * len(words):
        return "en"
    return None
