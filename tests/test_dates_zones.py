"""The publisher's day of a UTC timestamp (#12): a page's date is the day its publisher printed
it, in the publisher's zone. Each page below is short, written here in the shape of the real page
the cause was found on (sh181 / nometa-dev pages of the shared set, the field's outlets)."""

from __future__ import annotations

import datetime as dt

import pytest

from search.ingest.loader import CorpusFile
from search.metadata.dates import local_day, page_offset, publisher_zone, utc_instant

STORY = ("<p>The delegation of the Communist Party of Vietnam held talks with the party's leaders on "
         "cooperation between the two parties, the exchange of experience and the training of officials.</p>")


@pytest.fixture(scope="module")
def load(ingestor):
    def _load(html: str):
        return ingestor.load(CorpusFile("page.html", "page.html"), html.encode("utf-8"))
    return _load


def page(published: str, *, lang: str = "en", url: str = "https://example.com/story", extra: str = "",
         body: str = "") -> str:
    return (f'<html lang="{lang}"><head><title>Talks</title><link rel="canonical" href="{url}">'
            f'<meta property="article:published_time" content="{published}">{extra}</head>'
            f"<body><h1>Party delegations hold talks</h1>{body}{STORY}</body></html>")


@pytest.mark.parametrize(("stamp", "utc"), [
    ("2020-07-13T23:30:00Z", True), ("2020-07-13T23:30:00+00:00", True), ("2020-07-13 23:30:00 +0000", True),
    ("2020-07-13T23:30:00.123Z", True), ("2020-07-14T06:30:00+07:00", False),  # the publisher's own clock
    ("2020-07-13T23:30:00", False),  # no zone: the CMS's own clock, kept as written
    ("2020-07-13", False), ("July 13, 2020", False),
])
def test_only_utc_timestamps_name_an_instant(stamp, utc):
    assert (utc_instant(stamp) is not None) is utc


def test_the_pages_own_offsets_outvote_and_ignore_utc():
    offset = page_offset(["2019-11-20T04:31:13+00:00", "2019-11-19T22:40:00-06:00", "2019-11-19T23:00-0600",
                          "2019-11-20T01:00:00+01:00"])
    assert offset.utcoffset(None) == dt.timedelta(hours=-6)
    assert page_offset(["2019-11-20T04:31:13Z", "no stamp here"]) is None


@pytest.mark.parametrize(("url", "lang", "zone"), [
    ("https://www.vietnamplus.vn/a.vnp", None, "Asia/Ho_Chi_Minh"),  # the site's country
    ("http://www.autoracing.com.br/a/", "en", "America/Sao_Paulo"),  # the country outranks the language
    ("https://example.com/a", "zh-CN", "Asia/Shanghai"),  # a one-zone language
    ("https://tass.ru/politika/1", "ru", "Europe/Moscow"),
    ("https://vovworld.vn./vi-VN/chinh-tri/1.vov", "en", "Asia/Ho_Chi_Minh"),  # a host written with its root dot
])
def test_publisher_zone_from_country_then_language(url, lang, zone):
    assert str(publisher_zone(url, lang, [])[0]) == zone


@pytest.mark.parametrize(("url", "lang"), [("https://www.cnn.com/2019/11/18/a", "en"), (None, "ru"), (None, None)])
def test_no_zone_from_a_com_site_or_a_many_zone_language(url, lang):
    assert publisher_zone(url, lang, []) is None


def test_local_day_converts_only_a_utc_instant_with_a_known_zone():
    vn = publisher_zone("https://baoquocte.vn/a", None, [])
    assert local_day("2020-07-13T23:30:00Z", vn)[0] == "2020-07-14"
    assert local_day("2020-07-13T23:30:00Z", None) is None  # no zone: as written
    assert local_day("2020-07-14T06:30:00+07:00", vn) is None  # already the publisher's day


# A Vietnamese outlet whose CMS writes its metadata in UTC: 23:30Z on the 13th is 06:30 on the
# 14th in Hà Nội, the day the page prints.
def test_vietnamese_page_in_utc_gets_the_hanoi_day(load):
    a = load(page("2020-07-13T23:30:00Z", lang="vi", url="https://baoquocte.vn/hoi-dam-123.html"))
    assert a.date.iso == "2020-07-14" and "Asia/Ho_Chi_Minh" in a.date.source


# slashgear.com (sh181 005, 041): published_time in UTC, the page's update time and printed
# byline in Central time ("Nov 19, 2019, 10:31 pm CST"): the day is the 19th.
def test_utc_metadata_takes_the_offset_the_page_writes_elsewhere(load):
    html = page("2019-11-20T04:31:13+00:00", extra='<meta property="article:modified_time" '
                'content="2019-11-19T22:40:51-06:00">', body="<span>Nov 19, 2019, 10:31 pm CST</span>")
    a = load(html)
    assert a.date.iso == "2019-11-19" and "UTC-06:00" in a.date.source


def test_utc_metadata_without_any_zone_evidence_stays_as_written(load):
    assert load(page("2019-11-20T04:31:13Z", url="https://www.example.com/a")).date.iso == "2019-11-20"


def test_a_written_offset_is_never_converted(load):
    # a Moscow time on a Vietnamese site: the publisher wrote its own clock, that day stands
    assert load(page("2020-07-13T23:30:00+03:00", lang="vi", url="https://x.vn/a")).date.iso == "2020-07-13"


# sfgate / CBS Sports (sh181 060, 007): no date `<meta>`, a `<time datetime>` in UTC whose printed
# words are the publisher's local day ("10:01 pm PST, Tuesday, November 19, 2019").
def test_time_element_in_utc_takes_its_printed_day(load):
    html = ('<html><head><title>The Latest</title></head><body><h1>The Latest: man stabbed</h1>'
            '<time itemprop="datePublished" datetime="2019-11-20T06:01:19Z">10:01 pm PST, Tuesday, '
            f'November 19, 2019</time>{STORY}</body></html>')
    a = load(html)
    assert a.date.iso == "2019-11-19" and "<time>" in a.date.source
