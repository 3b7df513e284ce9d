"""The steps of `encodings.decode` that pages without UTF-8 or a usable declared charset reach:
their counts (made in C) are the per-character definitions, and each step still answers."""

from __future__ import annotations

import unicodedata

import pytest

from search.ingest.encodings import (
    _non_ascii,
    _reads_as_vietnamese,
    decode,
    legacy_font_encoding_name,
    mostly_utf8,
)
from search.model import IngestError

VIETNAMESE = "Đồng chí Lê Hoài Trung tiếp Đoàn đại biểu Đảng Nhân dân Cách mạng Lào tại Hà Nội. "
CHINESE = "中共中央对外联络部部长刘建超会见越南共产党代表团，双方就两党关系交换意见。"
TEXTS = [VIETNAMESE * 3, CHINESE * 3, "Делегация КПВ посетила Москву. " * 3, "plain ASCII", "",
         "a stray \udcff surrogate and é"]


@pytest.mark.parametrize("text", TEXTS)
def test_non_ascii_counts_characters_above_127(text):
    assert _non_ascii(text) == sum(1 for c in text if ord(c) > 127)


@pytest.mark.parametrize("text", TEXTS)
def test_reads_as_vietnamese_only_vietnamese(text):
    letters = [c for c in text.lower() if ord(c) > 127 and (c.isalpha() or unicodedata.combining(c))]
    expected = len(letters) >= 3 and sum(c in "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ"
                                          for c in letters) / len(letters) >= 0.95
    assert _reads_as_vietnamese(text) == expected


def test_legacy_font_encodings_are_named():
    # the shapes of tests/test_hostile_files.py's TCVN3 and VNI notes
    tcvn3 = "Céng hoµ x· héi chñ nghÜa ViÖt Nam. §¶ng Céng s¶n ViÖt Nam tæ chøc héi th¶o.\n".encode("cp1252")
    vni = "Ñaûng Coäng saûn Vieät Nam toå chöùc hoäi thaûo lyù luaän vôùi Ñaûng Laøo.\n".encode("cp1252")
    assert legacy_font_encoding_name(vni) == "VNI"
    assert legacy_font_encoding_name(tcvn3) == "TCVN3 (ABC)"
    assert legacy_font_encoding_name(CHINESE.encode("gb18030")) is None
    assert legacy_font_encoding_name("café au lait, naïve résumé à la carte".encode("latin-1")) is None
    assert legacy_font_encoding_name(b"plain ASCII text " * 20) is None
    with pytest.raises(IngestError, match="VNI"):
        decode(vni, "vni.txt")


def test_undeclared_gbk_and_a_few_stray_bytes():
    page = f"<html><body><p>{CHINESE * 4}</p></body></html>"
    assert CHINESE in decode(page.encode("gb18030"), "zh.html", is_html=True)
    stray = (VIETNAMESE * 4).encode("utf-8") + b" caf\xe9 " + (VIETNAMESE * 4).encode("utf-8")
    assert mostly_utf8(stray, "x", False).count("\ufffd") == 1
