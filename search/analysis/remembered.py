"""The exact analysis of a text, done once for the fields that share it.

An article's body is indexed three times (`body` exact, `body_en` English, `body_fold` folded) and
its title likewise, and each of those analyzers starts with the same steps: ICU words | NFC | case
fold | one spelling. Whoosh analyses a document's fields in name order (`body`, `body_en`,
`body_fold`), so `ExactWords` remembers the words of the last two texts it analysed (per thread) and
a later field given the same text replays them instead of running ICU and the filters again (on
1,999 text exports the analysis of all fields went from 3.2 to 2.6 CPU-s; docs/speed.md).

The words replayed are the same tokens, positions and character offsets the steps make
(tests/test_analysis.py compares them).
"""

from __future__ import annotations

import threading
from functools import cache

from whoosh.analysis import Token

from search.analysis.icu_steps import CaseFoldFilter, ICUWordTokenizer, NFCFilter
from search.analysis.vietnamese import SpellingFilter

_recent = threading.local()  # this thread's last texts: [(locale, text, [(word, startchar, endchar), …]), …]
REMEMBERED = 2  # a title and a body: whatever order a caller analyses the fields in


@cache
def exact_steps(locale: str = "vi"):
    """The steps themselves, one chain per locale (safe across threads: see shared_analyzer)."""
    return ICUWordTokenizer(locale) | NFCFilter() | CaseFoldFilter() | SpellingFilter()


class ExactWords(ICUWordTokenizer):
    """ICU words | NFC | case fold | one spelling, as one tokenizer that remembers its last texts
    (the locale and equality are ICUWordTokenizer's)."""

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, tokenize=True, mode="", **kwargs):
        if not tokenize or keeporiginal:  # rare; not worth remembering
            yield from exact_steps(self.locale)(value, positions=positions, chars=chars,
                                                keeporiginal=keeporiginal, removestops=removestops,
                                                start_pos=start_pos, start_char=start_char,
                                                tokenize=tokenize, mode=mode, **kwargs)
            return
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for pos, (word, start, end) in enumerate(self._words(value), start_pos):
            token.text = word
            token.boost = 1.0
            token.stopped = False
            if positions:
                token.pos = pos
            if chars:
                token.startchar, token.endchar = start_char + start, start_char + end
            yield token

    def _words(self, value: str) -> list[tuple[str, int, int]]:
        recent = getattr(_recent, "texts", None)
        if recent is None:
            recent = _recent.texts = []
        for locale, text, words in recent:
            if locale == self.locale and (text is value or text == value):
                return words
        words = [(t.text, t.startchar, t.endchar) for t in exact_steps(self.locale)(value, chars=True)]
        recent.insert(0, (self.locale, value, words))
        del recent[REMEMBERED:]
        return words
