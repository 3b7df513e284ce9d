"""lingua in a helper process (search.indexing.language_helper): the same answers as lingua in
this process, none of its models loaded here, and lingua here again once the helper is gone."""

from __future__ import annotations

import functools
import os
import signal

import pytest

from search.indexing.language_helper import LanguageHelper
from search.metadata import language

# Short tables of figures and headlines: the cheap rules leave them to lingua (2 of #18's 10 pages).
NEED_LINGUA = [
    "Ricoh Co Ltd <Rict.T> Year Ended March 31\nGroup shr 24.20 yen vs 37.42\nNet 10.95 billion vs 15.46 billion",
    "Rozmowy delegacji partyjnych odbyły się w stolicy.",
    "Gespräche der Parteidelegationen in der Hauptstadt",
    "Hội đàm",  # too short for anyone: und without asking
]


@pytest.fixture
def fresh_lingua(monkeypatch):
    """This process as a reindex finds it: lingua not loaded yet (its cache restored afterwards)."""
    detector = language._detector
    monkeypatch.setattr(language, "_detector", functools.lru_cache(maxsize=1)(detector.__wrapped__))
    yield
    language.set_helper(None)


def test_helper_answers_as_lingua_without_loading_it_here(fresh_lingua):
    helper = LanguageHelper()
    helper.start()
    pid = helper.pid
    try:
        assert pid is not None
        answers = [language.detect_language(text) for text in NEED_LINGUA]
        assert not language.lingua_loaded()  # every lingua answer came from the helper
    finally:
        helper.close()
    assert helper.pid is None and language._helper is None
    with pytest.raises(ChildProcessError):  # killed and reaped: no process left behind
        os.waitpid(pid, os.WNOHANG)
    assert answers == [language.detect_language(text) for text in NEED_LINGUA]  # lingua here, now
    assert language.lingua_loaded()
    assert answers[1] == "pl" and answers[3] == "und"


def test_a_dead_helper_leaves_lingua_to_this_process(fresh_lingua):
    helper = LanguageHelper()
    helper.start()
    os.kill(helper.pid, signal.SIGKILL)
    try:
        assert language.detect_language(NEED_LINGUA[1]) == "pl"  # asked here instead
        assert helper.pid is None and language._helper is None
    finally:
        helper.close()


def test_no_helper_when_lingua_is_loaded_here():
    language.load_detector()
    helper = LanguageHelper()
    helper.start()
    assert helper.pid is None
