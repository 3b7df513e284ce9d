"""ICU-based analysis steps, composable with Whoosh's `|`.

`ICUWordTokenizer` splits text with ICU's word break iterator, which knows Vietnamese syllables,
Latin words and numbers, and segments Chinese with ICU's dictionary; `glued.pieces` then cuts
the words it joins across a full stop or a number's unit. `NFCFilter` and
`CaseFoldFilter` normalise what comes out.
"""

from __future__ import annotations

import re
import threading

import icu
from whoosh.analysis import Filter, Token, Tokenizer

from search.analysis.glued import pieces

# ICU rule status ranges (ubrk.h): 0-99 spaces and punctuation, 100+ numbers, letters, kana, ideographs.
_WORD_STATUS_MIN = 100
_NON_BMP = re.compile("[\U00010000-\U0010FFFF]")
_local = threading.local()


def _word_breaker(locale: str) -> icu.BreakIterator:
    """One break iterator per thread and locale: creating one costs more than using it."""
    cache = getattr(_local, "breakers", None)
    if cache is None:
        cache = _local.breakers = {}
    if locale not in cache:
        cache[locale] = icu.BreakIterator.createWordInstance(icu.Locale(locale))
    return cache[locale]


def _utf16_to_index(text: str) -> list[int]:
    """Map UTF-16 offsets (what ICU reports) to Python string indices, for text beyond the BMP."""
    mapping = []
    for i, ch in enumerate(text):
        mapping.append(i)
        if ord(ch) > 0xFFFF:
            mapping.append(i)
    mapping.append(len(text))
    return mapping


class ICUWordTokenizer(Tokenizer):
    """Words as ICU's word break iterator finds them, cut where ICU glues words a reader keeps
    apart (`Hà Nội.Ông`, `140.000đ`: see `glued.py`); punctuation and spaces are dropped."""

    def __init__(self, locale: str = "vi"):
        self.locale = locale

    def __eq__(self, other):
        return type(other) is type(self) and other.locale == self.locale

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, tokenize=True, mode="", **kwargs):
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            token.original = token.text = value
            token.boost = 1.0
            if positions:
                token.pos = start_pos
            if chars:
                token.startchar, token.endchar = start_char, start_char + len(value)
            yield token
            return
        breaker = _word_breaker(self.locale)
        breaker.setText(value)
        index = _utf16_to_index(value) if _NON_BMP.search(value) else None
        pos = start_pos
        start = breaker.first()
        for end in breaker:
            if breaker.getRuleStatus() >= _WORD_STATUS_MIN:
                s, e = (index[start], index[end]) if index else (start, end)
                word = value[s:e]
                for ps, pe in ((0, e - s),) if word.isalpha() else pieces(word):
                    token.text = word[ps:pe]
                    token.boost = 1.0
                    token.stopped = False
                    if keeporiginal:
                        token.original = token.text
                    if positions:
                        token.pos = pos
                        pos += 1
                    if chars:
                        token.startchar, token.endchar = start_char + s + ps, start_char + s + pe
                    yield token
            start = end


class NFCFilter(Filter):
    """Unicode NFC: text typed with combining marks (NFD) becomes the precomposed form."""

    def __init__(self):
        self._normalizer = None

    def __getstate__(self):
        return {}

    def __setstate__(self, state):
        self._normalizer = None

    def __call__(self, tokens):
        normalizer = self._normalizer or icu.Normalizer2.getNFCInstance()
        self._normalizer = normalizer
        for t in tokens:
            if not t.text.isascii():
                t.text = normalizer.normalize(t.text)
            yield t


class CaseFoldFilter(Filter):
    """Full Unicode case folding (`ß` → `ss`), stronger than lower-casing."""

    def __call__(self, tokens):
        for t in tokens:
            t.text = t.text.casefold()
            yield t
