"""Analyzers by name. The index schema asks for an analyzer by name, so a better one (the
Vietnamese-aware analyzer) drops in by registering it here and bumping `ANALYSIS_VERSION`,
which makes the next `search reindex` rebuild the index."""

from __future__ import annotations

from whoosh.analysis import Analyzer

from search.analysis.icu_steps import CaseFoldFilter, ICUWordTokenizer, NFCFilter

ANALYSIS_VERSION = 1


def plain_analyzer() -> Analyzer:
    """ICU word segmentation, NFC, case folding: no language knowledge, no accent folding."""
    return ICUWordTokenizer() | NFCFilter() | CaseFoldFilter()


ANALYZERS = {
    "plain": plain_analyzer,
}
DEFAULT_ANALYZER = "plain"


def get_analyzer(name: str = DEFAULT_ANALYZER) -> Analyzer:
    try:
        return ANALYZERS[name]()
    except KeyError:
        raise ValueError(f"unknown analyzer {name!r}; known: {', '.join(sorted(ANALYZERS))}") from None
