"""Each cause of #12, on a short page written in the shape of a real one (tests/fixtures/pages/)."""

from __future__ import annotations

import pytest

from search.ingest.encodings import decode
from search.ingest.loader import CorpusFile
from search.ingest.source_url import resolve_source_url
from search.metadata.dates import article_date, parse_date
from search.metadata.language import detect_language
from tests.conftest import FIXTURES

PAGES = FIXTURES / "pages"


@pytest.fixture(scope="module")
def page(ingestor):
    return lambda name: ingestor.load(CorpusFile(name, PAGES / name))


def test_the_story_article_not_the_first_one(page):
    a = page("several_articles.html")
    assert a.body.startswith("Đồng chí Lê Hoài Trung") and a.body.endswith("Đảng Cộng sản Việt Nam.")
    for junk in ("Giá vàng", "Trang chủ", "Chia sẻ", "Tin liên quan", "Phiên bản", "0653 hoi nghi", "Ảnh: TTXVN"):
        assert junk not in a.body
    assert (a.date.iso, a.date.source) == ("2024-03-12", "meta article:published_time")  # not the breadcrumb's 2020
    assert a.url == "https://baoquocte.vn/chinh-tri/tiep-doan-lao-123.html"  # relative canonical resolved


def test_empty_content_wrapper_and_div_paragraphs(page):
    a = page("empty_content_wrapper.html")
    assert a.body.count("\n") >= 3 and "Thongsavanh Phomvihane cảm ơn" in a.body
    assert (a.date.iso, a.date.precision) == ("2024-03-05", "day")


def test_form_and_header_pages_and_inline_tags(page):
    a = page("aspnet_form.html")
    assert "Le Hoai Trung held talks" in a.body  # the lead inside <header> is story
    assert "Code of conduct" in a.body and "OReilly-style" in a.body and "Code ," not in a.body
    assert "\n2026-01-15\n" in a.body  # a date paragraph is not an image file name
    assert a.date.iso == "2024-03-12" and a.language == "en"


def test_unparseable_time_does_not_end_the_date_search(page):
    assert page("time_unparseable.html").date.iso == "2023-09-18"


def test_chinese_furniture_and_dateline(page):
    a = page("zh_end_markers.html")
    assert a.body.endswith("愿同中方加强治党治国经验交流。")
    for junk in ("责任编辑", "分享到", "相关新闻", "理论研讨会", "首页"):
        assert junk not in a.body
    # The page's own date line, not the breadcrumb's 2020-01-01 nor the dateline's year-less 3月12日.
    assert (a.date.iso, a.date.precision) == ("2024-03-12", "day") and "date element" in a.date.source


def test_russian_furniture_and_dateline_year_from_page_url(page):
    a = page("ru_end_markers.html")
    assert a.body.endswith("подготовку к международному форуму.")
    assert "Читайте также" not in a.body and "Фото: ТАСС" not in a.body and "съезд" not in a.body
    assert a.language == "ru" and a.date.iso == "--07-14"  # the URL has no year: none is made up


def test_title_only_page_is_indexed_and_marked(page):
    a = page("title_only.html")
    assert (a.title, a.body, a.has_body) == ("Ảnh: Lễ đón chính thức Tổng Bí thư Lào", "", False)
    assert a.metadata()["has_body"] is False


def test_declared_gbk_with_broken_bytes_is_read(page):
    a = page("gbk_declared.html")
    assert a.title == "中越两党举行会谈" and "越方表示愿同中方" in a.body and a.language == "zh"


def test_polish_is_polish_and_unsure_is_und(page):
    assert page("pl_page.html").language == "pl"
    assert detect_language("Talks held") == "und"


@pytest.mark.parametrize("text", ["Quốc khánh 2/9/1945", "kỷ niệm 30/4/1975", "từ 14 đến 18/7", "July 14-18, 2020",
                                  "7月14日至18日", "hôm qua"])
def test_holidays_ranges_and_relative_words_are_not_dates(text):
    assert parse_date(text) is None


@pytest.mark.parametrize("text,iso", [("14 июля 2020 г.", "2020-07-14"), ("МОСКВА, 14 июля. /ТАСС/", "--07-14"),
                                      ("Thứ Ba, 14 tháng Bảy 2020", "2020-07-14"),
                                      ("HÀ NỘI, 14/7 (TTXVN) –", "--07-14")])
def test_vi_zh_ru_forms(text, iso):
    assert parse_date(text).iso == iso


def test_dateline_takes_its_year_from_the_page_metadata():
    d = article_date("2020-07", "export header", ["HÀ NỘI, 14/7 (TTXVN) – Sáng nay…"])
    assert (d.iso, d.inferred) == ("2020-07-14", "year from export header '2020-07'")
    d = article_date(None, None, ["HÀ NỘI, 14/7 (TTXVN) – Sáng nay…"], "https://bnews.vn/2020/07/x.html")
    assert d.iso == "2020-07-14" and "URL" in d.inferred
    d = article_date(None, None, ["Trang chủ > Thời sự > 14/07/2020", "Ngày 15/7, hội nghị…"])
    assert d.iso == "--07-15"  # the breadcrumb's date is skipped


def test_source_urls_are_http_only():
    assert resolve_source_url("javascript:alert(1)", "https://a.vn/") is None
    assert resolve_source_url("data:text/html,x") is None
    assert resolve_source_url("/x.html", "https://a.vn/y/") == "https://a.vn/x.html"
    assert resolve_source_url("x.html") is None  # relative, and nothing to resolve it against


def test_stray_latin1_bytes_in_utf8_do_not_refuse_the_page():
    data = ("<html><head><title>Hội đàm</title></head><body><p>" + "Đảng Cộng sản Việt Nam hội đàm. " * 50
            + "</p></body></html>").encode("utf-8").replace("hội".encode(), b"h\xe9i", 3)
    text = decode(data, "x.html", is_html=True)
    assert text.count("\ufffd") == 3 and "Đảng Cộng sản" in text


def test_title_only_page_is_counted_in_the_reindex_summary(corpus):
    import shutil

    from search.indexing.reindex import reindex
    from search.indexing.store import IndexStore

    seeds, index = corpus
    shutil.copy(PAGES / "title_only.html", seeds / "title_only.html")
    report = reindex(seeds, IndexStore(index))
    assert not report.failed and report.added == 6 and report.title_only == 1
    assert "title only 1" in report.summary() and report.to_json()["title_only"] == 1
