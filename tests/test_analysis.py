"""Each analysis step alone, the composed analyzers, and properties that must hold for any text."""

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from search.analysis import get_analyzer, tokens
from search.analysis.icu_steps import CaseFoldFilter, ICUWordTokenizer, NFCFilter
from search.analysis.vietnamese import AccentFoldFilter, ToneMarkFilter, canonical_tones, fold_accents


def run(step, words):
    """Feed words through one filter step on its own."""
    from whoosh.analysis import Token

    def stream():
        for w in words:
            t = Token()
            t.text = w
            yield t

    return [t.text for t in step(stream())]


def test_icu_tokenizer_words_positions_and_chars():
    text = "Đảng Cộng sản, 宋涛出席会议 2020!"
    toks = [(t.text, t.pos, t.startchar, t.endchar) for t in ICUWordTokenizer()(text, positions=True, chars=True)]
    assert [t[0] for t in toks][:3] == ["Đảng", "Cộng", "sản"]
    assert "出席" in [t[0] for t in toks] and "2020" in [t[0] for t in toks]
    assert [t[1] for t in toks] == list(range(len(toks)))
    assert all(text[s:e] == w for w, _, s, e in toks)


def test_icu_tokenizer_offsets_beyond_the_bmp():
    text = "a😀 Hà𝐍ội bình"
    toks = [(t.text, t.startchar, t.endchar) for t in ICUWordTokenizer()(text, chars=True)]
    assert all(text[s:e] == w for w, s, e in toks)
    assert toks[-1][0] == "bình"


def test_nfc_filter_composes_decomposed_marks():
    nfd = unicodedata.normalize("NFD", "Hoàng")
    assert run(NFCFilter(), [nfd]) == ["Hoàng"]


def test_case_fold_is_full_folding():
    assert run(CaseFoldFilter(), ["ĐẢNG", "Straße"]) == ["đảng", "strasse"]


@pytest.mark.parametrize("old,new", [("hoà", "hòa"), ("uỷ", "ủy"), ("thuỷ", "thủy"), ("khoẻ", "khỏe"),
                                     ("qúy", "quý"), ("toà", "tòa"), ("hoá", "hóa")])
def test_tone_mark_styles_meet(old, new):
    assert canonical_tones(old) == canonical_tones(new) == new
    assert run(ToneMarkFilter(), [old]) == [new]


@pytest.mark.parametrize("word", ["hoàng", "người", "quả", "già", "giữa", "ngoài", "khuỷu", "huỳnh", "nguyễn",
                                  "café", "an", "bàn", "bán"])
def test_tone_marks_left_where_already_right(word):
    assert canonical_tones(word) == word


def test_accent_folding():
    assert run(AccentFoldFilter(), ["đảng", "Đông", "bán", "bàn", "café"]) == ["dang", "Dong", "ban", "ban", "cafe"]


def test_analyzers_compose_the_steps():
    assert tokens("exact", "Uỷ viên HOÀ BÌNH") == ["ủy", "viên", "hòa", "bình"]
    assert tokens("folded", "Uỷ viên HOÀ BÌNH") == ["uy", "vien", "hoa", "binh"]
    assert tokens("english", "The political parties and delegations") == ["polit", "parti", "deleg"]
    assert tokens("english", "party") == tokens("english", "parties")
    nfd = unicodedata.normalize("NFD", "Hoàng Bình Quân")
    assert tokens("exact", nfd) == tokens("exact", "Hoàng Bình Quân")
    with pytest.raises(ValueError, match="unknown analyzer"):
        get_analyzer("klingon")


vietnamese_text = st.text(alphabet=st.sampled_from(list("aăâeêioôơuưyđbcdghklmnpqrstvx ÀÁẢÃẠàáảãạèéẻẽẹ"
                                                         "ìíỉĩịòóỏõọùúủũụỳýỷỹỵ\u0300\u0301\u0303\u0309\u0323")),
                          max_size=40)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60) | vietnamese_text)
def test_folding_and_analysis_never_raise(text):
    for name in ("plain", "exact", "folded", "english"):
        tokens(name, text)
    fold_accents(text)
    canonical_tones(text)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60) | vietnamese_text)
def test_normalisation_is_idempotent(text):
    for name in ("exact", "folded"):
        once = tokens(name, text)
        assert tokens(name, " ".join(once)) == once
    assert fold_accents(fold_accents(text)) == fold_accents(text)
    word = canonical_tones(text)
    assert canonical_tones(word) == word
