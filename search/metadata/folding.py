"""Accent and script folding, shared by identity keys and registry look-ups.

One person, one key, whatever the script:
- Chinese through pypinyin, with surname readings (`曾` is Zeng, not ceng): `王毅` → `wangyi`;
- Cyrillic through ICU's BGN/PCGN romanisation, the one English-language news uses
  (`Зюганов` → `zyuganov`, `Хрущёв` → `khrushchev`), not ICU's scholarly `zjuganov`; a Chinese
  name in Russian's Palladius spelling back to pinyin (`Чжан Дэцзян` → `zhangdejiang`, palladius.py);
- everything else through ICU `Any-Latin; Latin-ASCII` (`Hoàng Bình Quân` → `hoangbinhquan`);
- then a few spelling variants of romanised Russian meet (`Dmitriy`/`Dmitry`, `Sergey`/`Sergei`).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import icu

from search.data import load_json
from search.metadata.palladius import to_pinyin

# Any script to Latin (Медведев → Medvedev), then drop marks (đ → d), lower-case.
_TO_ASCII_ID = "Any-Latin; Latin-ASCII; Lower"
_RUSSIAN_ID = "Russian-Latin/BGN; Latin-ASCII; Lower"
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
CYRILLIC = re.compile(r"[\u0400-\u04ff]")
# Surnames whose everyday reading is another one (pypinyin reads the common word).
HAN_SURNAMES = {"曾": "zeng", "单": "shan", "仇": "qiu", "解": "xie", "查": "zha", "朴": "piao", "区": "ou",
                "盖": "ge", "乐": "yue", "覃": "qin", "沈": "shen", "召": "shao", "缪": "miao", "翟": "zhai",
                "长": "chang", "重": "chong", "秘": "bi", "尉": "yu", "万": "wan", "那": "na", "黑": "he"}
# Word endings that transliterations of the same Russian name disagree on.
# Also the spellings English-language news and BGN disagree on: Nikolay/Nikolai, Shoygu/Shoigu,
# Aleksei/Alexei, Mariya/Maria, Yury/Yuri. None of these letter groups occurs in a romanised
# Vietnamese syllable (`ay` only in syllables of at most 4 letters, left alone), so Vietnamese
# names with and without marks keep meeting.
_VARIANT_ENDINGS = [(re.compile(r"iy\b"), "y"), (re.compile(r"iy(?=[^a-z])"), "y"), (re.compile(r"ey\b"), "ei"),
                    (re.compile(r"(?<=[a-z]{3})ay\b"), "ai"), (re.compile(r"oy"), "oi"), (re.compile(r"ks"), "x"),
                    (re.compile(r"iya\b"), "ia"), (re.compile(r"(?<=[a-z]{2}[^aeiouy\W])y\b"), "i")]
_HAN_NAME_SEPARATORS = re.compile(r"[·•・．.\s]+")
READINGS_FILE = "han_readings.json"


@lru_cache(maxsize=1)
def _to_ascii() -> icu.Transliterator:
    return icu.Transliterator.createInstance(_TO_ASCII_ID)


@lru_cache(maxsize=1)
def _russian() -> icu.Transliterator:
    return icu.Transliterator.createInstance(_RUSSIAN_ID)


def to_ascii(text: str) -> str:
    """Transliterate any script to lower-case ASCII: `Hoàng Bình Quân` → `hoang binh quan`."""
    return _to_ascii().transliterate(text)


def han_to_pinyin(text: str) -> str:
    """`王毅` → `wang yi`, `曾庆红` → `zeng qing hong`; a dot between parts of a foreign name is a space.

    The registries' own names are read from `search/data/han_readings.json` (what this function
    gave for them, kept by `python -m search.metadata.han_readings`): importing pypinyin and its
    phrase dictionary costs ~0.5 s, which a reindex of pages without Chinese need not pay."""
    known = _known_readings().get(text)
    return known if known is not None else pypinyin_reading(text)


@lru_cache(maxsize=1)
def _known_readings() -> dict[str, str]:
    return load_json(READINGS_FILE)


def pypinyin_reading(text: str) -> str:
    """`han_to_pinyin` through pypinyin itself (the readings file holds its answers)."""
    from pypinyin import lazy_pinyin

    words = []
    for part in _HAN_NAME_SEPARATORS.split(text.strip()):
        if not part:
            continue
        syllables = lazy_pinyin(part, errors="ignore")
        if syllables and part[0] in HAN_SURNAMES:
            syllables[0] = HAN_SURNAMES[part[0]]
        words.append(" ".join(s.replace("ü", "v") for s in syllables))
    return " ".join(words)


def romanise(text: str) -> str:
    """Lower-case ASCII in the romanisation news uses for the script: pinyin, BGN Russian, ICU otherwise."""
    if HAN.search(text):
        return han_to_pinyin(text) if not CYRILLIC.search(text) else to_ascii(text)
    if CYRILLIC.search(text):
        # a Chinese name in Palladius reads back to its pinyin (`Чжан Дэцзян` = `Zhang Dejiang` = 张德江)
        return to_pinyin(text) or _russian().transliterate(text)
    return to_ascii(text)


@lru_cache(maxsize=65536)
def identity_key(name: str) -> str:
    """One key per person across scripts, spellings and spacing.

    Spaces are dropped because pinyin is written with and without them (`Qian Hongshan`,
    `qian hong shan` for 钱洪山).
    """
    text = romanise(name).replace("'", "").replace("’", "")
    for pattern, repl in _VARIANT_ENDINGS:
        text = pattern.sub(repl, text)
    return _NON_ALNUM.sub("", text)


def marks_count(text: str) -> int:
    """How many letters carry diacritics: used to prefer `Hoàng Bình Quân` over `Hoang Binh Quan`."""
    return sum(1 for ch in text if ord(ch) > 127 and unicodedata.name(ch, "").startswith("LATIN"))
