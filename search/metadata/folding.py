"""Accent and script folding with ICU, shared by identity keys and registry look-ups."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import icu

# Any script to Latin (宋涛 → sòng tāo, Медведев → Medvedev), then drop marks (đ → d), lower-case.
_TO_ASCII_ID = "Any-Latin; Latin-ASCII; Lower"
_NON_ALNUM = re.compile(r"[^0-9a-z]+")


@lru_cache(maxsize=1)
def _to_ascii() -> icu.Transliterator:
    return icu.Transliterator.createInstance(_TO_ASCII_ID)


def to_ascii(text: str) -> str:
    """Transliterate any script to lower-case ASCII: `Hoàng Bình Quân` → `hoang binh quan`."""
    return _to_ascii().transliterate(text)


def identity_key(name: str) -> str:
    """One key per person across scripts, spellings and spacing.

    Spaces are dropped because pinyin is written with and without them (`Qian Hongshan`,
    ICU's `qián hóng shān` for 钱洪山).
    """
    return _NON_ALNUM.sub("", to_ascii(name))


def marks_count(text: str) -> int:
    """How many letters carry diacritics: used to prefer `Hoàng Bình Quân` over `Hoang Binh Quan`."""
    return sum(1 for ch in text if ord(ch) > 127 and unicodedata.name(ch, "").startswith("LATIN"))
