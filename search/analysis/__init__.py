"""Analyzers by name, each a Whoosh pipeline `tokenizer | filter | …` of small named steps.

    exact    ICU words | NFC | case fold | one spelling (hoà = hòa, Ð = Đ)    diacritics kept
    folded   exact | accents folded (đ → d)                                 accent-insensitive
    english  folded | English stop words | Porter stemming                  parties = party
    plain    ICU words | NFC | case fold                                    the "ICU only" baseline

Vietnamese words are often two syllables (`an ninh`, `chính đảng`). Rather than trusting one
segmentation, the index keeps every syllable with its position (so any segmentation of a query
still matches) and the query boosts adjacent words found as a phrase (`search/engine.py`): a
document with `an ninh` as a word outranks one with `an` and `ninh` apart. An earlier `pairs`
field of syllable bigrams was dropped: its vocabulary made indexing several times slower.
Guiding that bonus by a word segmenter (underthesea) lost to plain adjacent pairs, even those
across a word boundary (docs/relevance.md). `bench/relevance.py` measures these choices.

`ANALYSIS_VERSION` is stored with each index; changing an analyzer means bumping it, and the next
`search reindex` rebuilds.
"""

from __future__ import annotations

from functools import cache

from whoosh.analysis import Analyzer, StemFilter, StopFilter
from whoosh.analysis.analyzers import CompositeAnalyzer
from whoosh.lang.stopwords import stoplists

from search.analysis.icu_steps import CaseFoldFilter, ICUWordTokenizer, NFCFilter
from search.analysis.remembered import ExactWords
from search.analysis.vietnamese import AccentFoldFilter

ANALYSIS_VERSION = 6  # 6: the `marks` field (documents written without diacritics)


def plain_analyzer() -> Analyzer:
    return ICUWordTokenizer() | NFCFilter() | CaseFoldFilter()


def exact_analyzer() -> Analyzer:
    # plain | SpellingFilter, its words remembered for the folded and English fields of the same text
    return CompositeAnalyzer(ExactWords())


def folded_analyzer() -> Analyzer:
    return exact_analyzer() | AccentFoldFilter()


def english_analyzer() -> Analyzer:
    return folded_analyzer() | StopFilter(stoplist=stoplists["en"], minsize=1) | StemFilter(lang="en")


ANALYZERS = {
    "plain": plain_analyzer,
    "exact": exact_analyzer,
    "folded": folded_analyzer,
    "english": english_analyzer,
}


def get_analyzer(name: str) -> Analyzer:
    try:
        return ANALYZERS[name]()
    except KeyError:
        raise ValueError(f"unknown analyzer {name!r}; known: {', '.join(sorted(ANALYZERS))}") from None


@cache
def shared_analyzer(name: str) -> Analyzer:
    """One instance per name for the query and highlighting paths, which analyse many short texts
    per request; safe across threads (each call makes its own token stream, ICU breakers are
    per thread)."""
    return get_analyzer(name)


def tokens(name: str, text: str) -> list[str]:
    """The terms an analyzer makes of `text` (for queries, tests and debugging)."""
    return [t.text for t in shared_analyzer(name)(text, mode="query")]
