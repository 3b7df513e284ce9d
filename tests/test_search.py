"""The search core over the seeds and the party-diplomacy fixtures: analysis as users feel it,
the query language, facets and suggestions."""

from __future__ import annotations

import unicodedata

import pytest

from search.engine import SearchEngine, SearchError, SearchRequest
from tests.conftest import FIXTURES, build_index


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    _, index = build_index(tmp_path_factory.mktemp("search"), {"diplomacy": FIXTURES / "diplomacy"})
    return SearchEngine(index)


def paths(engine, q, **kw):
    result = engine.search(SearchRequest(q=q, page_size=50, **kw))
    return [h["path"].split("/")[-1][:3] for h in result["hits"]]


def test_accent_free_queries_find_accented_articles(engine):
    assert "001" in paths(engine, "hoang binh quan")
    assert {"001", "003"} <= set(paths(engine, "hoi nghi truc tuyen"))
    assert {"001", "003"} <= set(paths(engine, "dang cong san viet nam"))


def test_accented_query_finds_text_written_without_diacritics(engine):
    assert "d18" in paths(engine, "hội nghị trực tuyến covid")


def test_tone_mark_styles_and_nfd_input_match_both_ways(engine):
    old, new = set(paths(engine, "hoà bình")), set(paths(engine, "hòa bình"))
    assert old == new and {"d04", "d05"} <= old
    assert set(paths(engine, "uỷ ban")) == set(paths(engine, "ủy ban"))
    assert paths(engine, unicodedata.normalize("NFD", "Hoàng Bình Quân")) == paths(engine, "Hoàng Bình Quân")
    assert paths(engine, "qúy báu") == paths(engine, "quý báu") == ["d21"]


def test_marks_typed_are_marks_meant(engine):
    ranked = paths(engine, "bàn tròn")
    assert "d11" in ranked and "d12" not in ranked  # d12 sells (bán), it does not sit at a table (bàn)
    unaccented = paths(engine, "ban tron")
    assert {"d11", "d12"} <= set(unaccented)


def test_two_syllable_word_ranks_above_its_syllables_apart(engine):
    ranked = paths(engine, "an ninh")
    assert "d03" not in ranked[:5]  # Tràng An … Ninh Bình … bình an: the syllables, never the word
    assert {"d02", "d23"} <= set(ranked[:6])
    accented = paths(engine, "an ninh lương thực")
    assert accented[0] == "d23"


def test_phrase_query(engine):
    assert paths(engine, '"hợp tác an ninh"') == ["001"]
    assert paths(engine, '"hop tac an ninh"') == ["001"]


def test_english_stemming_and_stop_words(engine):
    assert "d16" in paths(engine, "party economic recoveries")
    assert set(paths(engine, "delegations")) == set(paths(engine, "delegation"))


def test_names_across_scripts_and_readings(engine):
    for q in ("宋涛", "Song Tao", "Tống Đào"):
        assert {"002", "d14", "d15"} <= set(paths(engine, q)), q
    for q in ("刘建超", "Liu Jianchao", "Lưu Kiến Siêu"):
        assert {"d06", "d07", "d08"} <= set(paths(engine, q)), q


def test_title_matches_weigh_more(engine):
    assert paths(engine, "ICAPP")[0] == "d23"  # ICAPP in its title; 003 only in the body


def test_query_language(engine):
    assert set(paths(engine, "Cuba OR LDP")) >= {"d09", "d20", "d10"}
    assert "003" not in paths(engine, "Covid -ICAPP")
    assert set(paths(engine, "title:Liu")) == {"d06"}
    assert set(paths(engine, "lang:zh")) == {"d07", "d14"}
    assert set(paths(engine, "outlet:idcpc date:2023")) == {"d06", "d07"}
    assert set(paths(engine, "date:[2021-01-01 TO 2021-04-30]")) == {"004", "d19", "d22"}
    assert set(paths(engine, 'delegate:"Qian Hongshan"')) == {"002", "d14", "d22"}
    assert set(paths(engine, "parti*")) >= {"000", "002", "d16"}


@pytest.mark.parametrize("q", ['"unclosed', "AND OR", "title:", "x" * 5000, "*a*", "((( )", "date:2020-13",
                               "outlet:", "- - -", "NOT", "a" * 300 + "*"])
def test_malformed_queries_are_answered(engine, q):
    result = engine.search(SearchRequest(q=q))
    assert isinstance(result["total"], int)


def test_bounds_are_enforced(engine):
    with pytest.raises(SearchError, match="page"):
        engine.search(SearchRequest(q="x", page=101))
    with pytest.raises(SearchError, match="sort"):
        engine.search(SearchRequest(q="x", sort="random"))
    long = engine.search(SearchRequest(q="hội " * 400))
    assert any("first" in n for n in long["notes"])


def test_all_words_by_default_with_fallback_to_any(engine):
    strict = engine.search(SearchRequest(q="Medvedev Kazakhstan"))
    assert strict["mode"] == "all" and strict["total"] >= 1
    loose = engine.search(SearchRequest(q="Zanzibar Medvedev"))
    assert loose["mode"] == "any" and loose["total"] >= 1 and loose["notes"]


def test_function_words_do_not_rank_an_any_word_question(engine):
    question = engine.rank("Ai là người dẫn đầu đoàn đại biểu Đảng Nhân dân Cách mạng Lào?", mode="any")
    content = engine.rank("dẫn đầu đoàn đại biểu Đảng Nhân dân Cách mạng Lào", mode="any")
    # The same articles, found by the content words alone (the order may still differ a little:
    # the proximity bonus counts every word the question has).
    assert set(question) == set(content) and question[:4] == content[:4]
    # Only function words: they are all the query has, so they are searched.
    assert engine.rank("là của", mode="any")


def test_words_close_together_rank_above_words_far_apart(tmp_path):
    # Two articles with exactly the same words, title and length: in one the query's words stand
    # together, in the other they are paragraphs apart. Word scores and word pairs tie; only
    # proximity separates them (a tie would put apart.txt, indexed first, on top).
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    filler = " ".join(["Hội nghị thường niên diễn ra tại thủ đô với nhiều đại biểu tham dự."] * 6)
    (corpus / "apart.txt").write_text(
        f"Tin hội nghị\n\nHai bên ký thỏa thuận. {filler} Về đào tạo cán bộ.\n", "utf-8")
    (corpus / "close.txt").write_text(
        f"Tin hội nghị\n\nHai bên ký thỏa thuận về đào tạo cán bộ. {filler}\n", "utf-8")
    from search.indexing.reindex import reindex
    from search.indexing.store import IndexStore
    reindex(corpus, IndexStore(tmp_path / "index"))
    engine = SearchEngine(tmp_path / "index")
    hits = engine.search(SearchRequest(q="thỏa thuận đào tạo"))["hits"]
    assert [h["path"] for h in hits] == ["close.txt", "apart.txt"]
    assert engine.rank("thỏa thuận đào tạo") == [hits[0]["id"], hits[1]["id"]]


def test_disjunctive_facets_and_undated_counted(engine):
    everything = engine.search(SearchRequest())
    years = {v["value"]: v["count"] for v in everything["facets"]["year"]["values"]}
    assert years["unknown"] >= 10 and sum(years.values()) == everything["total"] == 29
    vna = engine.search(SearchRequest(outlet=["vna"]))
    outlets = {v["value"]: v for v in vna["facets"]["outlet"]["values"]}
    assert outlets["vna"]["selected"] and outlets["tgvn"]["count"] > 0  # what one could switch to
    langs = {v["value"]: v["count"] for v in vna["facets"]["language"]["values"]}
    assert langs == {"en": vna["total"]}
    both = engine.search(SearchRequest(outlet=["vna", "idcpc"], language=["en"]))
    assert both["total"] == vna["total"] + 3
    months = engine.search(SearchRequest(year=["2020"]))["facets"]["month"]["values"]
    assert {m["value"] for m in months} == {"2020-07", "2020-11"}


def test_delegate_facet_is_one_person_across_languages(engine):
    result = engine.search(SearchRequest(q="hoang binh quan"))
    people = {v["value"]: v for v in result["facets"]["delegate"]["values"]}
    assert people["hoangbinhquan"]["label"] == "Hoàng Bình Quân" and people["hoangbinhquan"]["count"] == 3
    langs = {h["language"] for h in engine.search(SearchRequest(delegate=["Hoang Binh Quan"]))["hits"]}
    assert langs == {"en", "vi"}


def test_did_you_mean(engine, monkeypatch):
    from search import suggest

    monkeypatch.setattr(suggest, "SUGGEST_BUDGET", 60.0)  # what it suggests, on a machine that may be busy
    as_typed = engine.search(SearchRequest(q="medvedv", as_typed=True))
    assert as_typed["total"] == 0 and as_typed["suggestion"]["q"] == "medvedev"
    assert as_typed["suggestion"]["total"] >= 3
    # Nothing found, and a confident correction: its results are shown, and the query as typed offered.
    result = engine.search(SearchRequest(q="medvedv"))
    assert result["corrected"] == {"q": "medvedev", "original": "medvedv"} and result["query"] == "medvedv"
    assert result["total"] == as_typed["suggestion"]["total"]


def test_the_vocabulary_is_read_only_when_a_search_needs_a_suggestion(tmp_path, monkeypatch):
    # Walking the lexicon holds the interpreter lock: reading it as a generation opens slowed the
    # opening and the searches beside it, and most searches never need it.
    from search import suggest

    monkeypatch.setattr(suggest, "SUGGEST_BUDGET", 60.0)
    _, index = build_index(tmp_path, {"diplomacy": FIXTURES / "diplomacy"})
    fresh = SearchEngine(index)
    assert fresh.search(SearchRequest(q="medvedev"))["total"] >= 3
    assert not fresh.generation().vocabulary.started
    result = fresh.search(SearchRequest(q="medvedv", as_typed=True))
    assert fresh.generation().vocabulary.started and result["suggestion"]["q"] == "medvedev"


def test_snippets_escape_and_mark(engine):
    hit = engine.search(SearchRequest(q="hoang binh quan", language=["vi"]))["hits"][0]
    assert "<mark>Hoàng</mark>" in hit["snippet"]["html"]
    assert "<mark>" not in hit["snippet"]["text"]


def test_sorting(engine):
    newest = engine.search(SearchRequest(sort="newest", page_size=3))["hits"]
    assert [h["date"] for h in newest] == ["2023-06-20", "2023-06-20", "2023-03-15"]
    oldest = engine.search(SearchRequest(sort="oldest", page_size=50))["hits"]
    assert oldest[0]["date"] == "2019-11-05" and oldest[-1]["date_precision"] in ("day-month", "unknown")


def test_best_window_counts_distinct_words_within_the_window():
    import numpy as np

    from search.executor import best_windows

    weight = np.array([1.0, 2.0, 2.5])  # a, b, c
    events = [(0, 0), (3, 0), (5, 1), (40, 2), (48, 1)]  # (position, word)

    def best(window: int) -> float:
        at, word = (np.array(column, dtype=np.int64) for column in zip(*events, strict=True))
        return float(best_windows(np.zeros(len(at), dtype=np.int64), at, word, weight, window, 1)[0])

    assert best(10) == 4.5  # c at 40 and b at 48
    assert best(4) == 3.0  # a at 3 and b at 5; a twice counts once
    assert best(100) == 5.5


def test_bad_dates_in_the_query_are_notes_and_ignored(engine):
    plain = engine.search(SearchRequest(q="Medvedev"))["total"]
    for q in ("Medvedev date:2025-13", "Medvedev date:[2020 TO 2010]"):
        result = engine.search(SearchRequest(q=q))
        assert result["total"] == plain, q  # the bad clause is ignored, not read as "nothing"
        assert any("no such date" in n or "is after" in n for n in result["notes"]), result["notes"]


def test_filters_typed_in_the_query_are_chips_that_remove_their_clause(engine):
    result = engine.search(SearchRequest(q="Medvedev lang:en", outlet=["vna"]))
    chips = {c["facet"]: c for c in result["filters"]}
    assert chips["language"]["source"] == "query" and chips["language"]["q_without"] == "Medvedev"
    assert chips["outlet"]["source"] == "parameter" and "q_without" not in chips["outlet"]
