"""What a query means (issue #14): marks typed = marks meant, a spaced dash is punctuation, a long
query keeps its rarest words, and "did you mean" is bounded and confident."""

from __future__ import annotations

import unicodedata

import pytest

from search.engine import SearchEngine, SearchRequest
from search.querylang import parse
from tests.conftest import FIXTURES, build_index


@pytest.fixture(autouse=True)
def patient_suggestions(monkeypatch):
    """"Did you mean" stops after 30 ms (bench/suggest.py times it); here it is what it suggests
    that is tested, on a machine that may be busy."""
    from search import suggest

    monkeypatch.setattr(suggest, "SUGGEST_BUDGET", 60.0)


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    return build_index(tmp_path_factory.mktemp("semantics"),
                       {"diplomacy": FIXTURES / "diplomacy", "marks": FIXTURES / "marks"})[1]


@pytest.fixture(scope="module")
def engine(index):
    return SearchEngine(index)


def search(engine, q, **kw):
    return engine.search(SearchRequest(q=q, page_size=50, **kw))


def names(result) -> set[str]:
    return {h["path"].split("/")[-1][:3] for h in result["hits"]}


# --- marks typed = marks meant -----------------------------------------------------------------
def test_a_word_typed_with_marks_matches_that_word_only(engine):
    marked = search(engine, "tô lâm")
    assert names(marked) == {"m1_", "m3_"}  # Tô Lâm, and the text typed without marks; not tổ/tờ/làm
    assert marked["total"] == 2
    assert "m2_" in names(search(engine, "to lam"))  # without marks: every marked form
    assert names(search(engine, '"tô lâm"')) == {"m1_", "m3_"}


def test_any_tone_placement_and_nfd_mean_the_same_word(engine):
    nfc = names(search(engine, "tô lâm"))
    assert names(search(engine, unicodedata.normalize("NFD", "Tô Lâm"))) == nfc
    assert names(search(engine, "hoà bình")) == names(search(engine, "hòa bình"))


def test_mixed_queries_mix(engine):
    assert names(search(engine, "tô lam")) == {"m1_", "m3_"}  # tô as typed, lam in any form
    assert "m2_" in names(search(engine, "tổ lam"))  # tổ as typed, lam matches làm
    assert "m1_" not in names(search(engine, "tổ lam"))


def test_counts_facets_and_timeline_count_only_real_matches(engine):
    result = search(engine, "tô lâm")
    assert sum(v["count"] for v in result["facets"]["language"]["values"]) == result["total"] == 2
    assert sum(p["count"] for p in result["timeline"]["periods"]) + result["timeline"]["undated"] <= 2


def test_highlights_mark_only_the_word_typed(engine):
    hit = next(h for h in search(engine, "tổ")["hits"] if h["path"].endswith("m2_to_lam.txt"))
    assert "<mark>Tổ</mark> công tác" in hit["snippet"]["html"]
    assert "<mark>tờ</mark>" not in hit["snippet"]["html"]
    unaccented = next(h for h in search(engine, "to")["hits"] if h["path"].endswith("m2_to_lam.txt"))
    assert "<mark>tờ</mark>" in unaccented["snippet"]["html"]


def test_an_article_page_marks_only_the_word_typed(engine):
    doc = next(h for h in search(engine, "tổ")["hits"] if h["path"].endswith("m2_to_lam.txt"))
    html = " ".join(engine.article(doc["id"], "tổ")["body_html"])
    assert "<mark>Tổ</mark> công tác" in html and "<mark>tờ</mark>" not in html
    assert "<mark>tờ</mark>" in " ".join(engine.article(doc["id"], "to")["body_html"])


def test_more_results_without_diacritics_are_offered(engine):
    result = search(engine, "tô lâm")
    offer = result["without_diacritics"]
    assert offer["q"] == "to lam" and offer["more"] >= 1 and offer["total"] == search(engine, "to lam")["total"]
    assert search(engine, "to lam")["without_diacritics"] is None


# --- dashes ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("dash", ["-", "–", "—", "−"])
def test_a_dash_between_spaces_is_punctuation(engine, dash):
    assert not any(c.negated for c in parse(f"kinh tế {dash} xã hội").clauses())
    assert "m1_" in names(search(engine, f"kinh tế {dash} xã hội"))


def test_a_dash_before_a_word_is_still_not(engine):
    assert "m4_" in names(search(engine, "kinh tế"))
    assert "m4_" not in names(search(engine, "kinh tế -xanh"))
    assert "m4_" not in names(search(engine, "kinh tế NOT xanh"))


# --- did you mean ------------------------------------------------------------------------------------
def test_a_word_that_matched_is_not_corrected_to_a_distant_one(engine):
    result = search(engine, "alger")  # in one title; `tiger` is two edits away
    assert result["total"] == 1 and result["suggestion"] is None and result["corrected"] is None


def test_a_word_that_matched_nothing_is_corrected_and_its_results_shown(engine):
    result = search(engine, "medvedv kazakhstan")
    assert result["corrected"]["q"] == "medvedev kazakhstan" and result["total"] >= 1
    as_typed = search(engine, "medvedv kazakhstan", as_typed=True)  # as typed: articles with any word
    assert as_typed["corrected"] is None and as_typed["mode"] == "any"


def test_did_you_mean_looks_at_a_bounded_number_of_words(engine, monkeypatch):
    from search import suggest

    looked = []
    original = suggest.Vocabulary.closest
    monkeypatch.setattr(suggest.Vocabulary, "closest", lambda self, w, d: looked.append(w) or original(self, w, d))
    hostile = " ".join(f"zq{chr(97 + i % 26)}{chr(97 + i // 26)}xv" for i in range(32))
    assert search(engine, hostile)["total"] == 0
    assert 0 < len(looked) <= suggest.MAX_WORDS


# --- long queries -----------------------------------------------------------------------------------
def test_a_long_query_keeps_its_rarest_terms_not_its_first(engine):
    common = " ".join(["đảng", "hội", "nghị", "đại", "biểu"] * 7)  # 35 common terms first
    result = search(engine, common + " Medvedev")
    assert any("rarest" in n for n in result["notes"])
    assert result["total"] >= 1
    assert all("medvedev" in (h["title"] + h["snippet"]["text"]).lower() or h["delegates"] for h in result["hits"])
    assert result["total"] <= search(engine, "Medvedev")["total"]


# --- the same, as the web shows it ----------------------------------------------------------------
def test_pages_link_the_correction_and_the_search_without_marks(index):
    from web import create_app

    client = create_app({"INDEX_DIR": str(index), "TESTING": True}).test_client()
    page = client.get("/search?q=medvedv").get_data(as_text=True)
    assert "Showing results for" in page and "as_typed=1" in page
    as_typed = client.get("/api/search?q=medvedv&as_typed=1").get_json()
    assert as_typed["corrected"] is None and as_typed["total"] == 0 and as_typed["suggestion"]["q"] == "medvedev"
    page = client.get("/search?q=t%C3%B4+l%C3%A2m").get_data(as_text=True)
    assert "more results without diacritics" in page and "q=to+lam" in page
    assert client.get("/api/search?page=1_0").status_code == 400
