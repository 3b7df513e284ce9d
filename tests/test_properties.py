"""Property tests: any query string, any request parameters, gives a result or a clean error."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from search.engine import SearchEngine, SearchError, SearchRequest
from search.querylang import MAX_CLAUSES, parse
from tests.conftest import build_index
from web.requests import parse_request

QUERY_ALPHABET = st.sampled_from(list('abc xyz"():-*?[]ORANDNOT hộiđảng:宋涛\\/!&|')
                                 + ["OR", "TO", "title:", "date:", "outlet:", "lang:"])
queries = st.text(max_size=80) | st.lists(QUERY_ALPHABET, max_size=40).map("".join)


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    _, index = build_index(tmp_path_factory.mktemp("props"))
    return SearchEngine(index)


@settings(max_examples=400, deadline=None)
@given(queries)
def test_parser_never_raises_and_bounds_clauses(q):
    parsed = parse(q)
    assert sum(len(g) for g in parsed.groups) <= MAX_CLAUSES


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(queries)
def test_engine_answers_any_query(engine, q):
    result = engine.search(SearchRequest(q=q))
    assert result["total"] >= 0 and len(result["hits"]) <= 10


params = st.sampled_from(["q", "lang", "outlet", "delegate", "year", "month", "from", "to", "sort", "page",
                          "page_size", "mode", "ui", "zzz"])
values = st.text(max_size=30) | st.sampled_from(["-1", "0", "1", "101", "10" * 5, "2020", "2020-07", "newest",
                                                  "vi", "any", "unknown", ""])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(params, values), max_size=8))
def test_request_validation_gives_a_request_or_a_clean_error(engine, pairs):
    try:
        request = parse_request(MultiDict(pairs))
        engine.search(request)
    except SearchError as e:
        assert str(e)


WORDS = ["Đảng", "dang", "ĐẢNG", "hoà", "hòa", "Uỷ", "ủy", "viên", "an", "ninh", "bàn", "bán", "café", "COVID-19",
         "2.5", "宋涛", "会见", "Hoàng", "Bình", "Quân", "qúy", "quý", "khoẻ", "x",
         "Ðảm", "dàì", "buớc", "nghành", "ngành", "qui", "quí", "140.000đ", "1.600m", "thegioididong.vn", "4G", "G20"]
SEPARATORS = [" ", ", ", ". ", " – ", "\n", " (", ") ", "“", "” ", ".", "@", "-"]  # "." glues: Hà Nội.Ông


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from(SEPARATORS)), min_size=1, max_size=25),
       st.data())
def test_highlighting_marks_what_the_folded_analyzer_matches(pieces, data):
    """The fast highlighter (character folding + a regex) marks exactly the words whose folded
    analyzer token is a query term."""
    from search.analysis import shared_analyzer, tokens
    from search.highlight import matching_spans

    text = "".join(w + s for w, s in pieces)
    vocabulary = sorted(set(tokens("folded", text)))
    terms = set(data.draw(st.lists(st.sampled_from(vocabulary), max_size=4))) if vocabulary else set()
    expected = [(t.startchar, t.endchar) for t in shared_analyzer("folded")(text, chars=True, mode="index")
                if t.text in terms]
    assert [(s.start, s.end) for s in matching_spans(text, terms)] == expected


@pytest.mark.parametrize("text, term", [
    ("140.000đ G20@140.000đ ", "140.000"),  # found by the property above: `@` between digits glues
    ("G20@140đ x", "d"),
    ("x 140.000@20 y", "140.000"),
    ("20;20 x 20", "20"),
    ("20’20 x 20", "20"),
    ("giá 140.000đ", "d"),
])
def test_highlighting_numbers_glued_by_separators(text, term):
    """Between two digits ICU's word rules keep `.`, `,`, `@`, `;` and apostrophes inside the
    number, so a number (or its unit) inside such a word is not highlighted on its own."""
    from search.analysis import shared_analyzer
    from search.highlight import matching_spans

    expected = [(t.startchar, t.endchar) for t in shared_analyzer("folded")(text, chars=True, mode="index")
                if t.text == term]
    assert [(s.start, s.end) for s in matching_spans(text, {term})] == expected
