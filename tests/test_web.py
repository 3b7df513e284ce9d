"""The Flask app through its test client: pages, JSON twins, validation, escaping, headers."""

from __future__ import annotations

import re
import shutil

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import FIXTURES, build_index
from web import create_app


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    root = tmp_path_factory.mktemp("web")
    extra = root / "extra"
    shutil.copytree(FIXTURES / "html", extra)
    (extra / "hostile.txt").write_text(
        'Tiêu đề <script>alert("x")</script> "quoted" \'single\'\n\n'
        'Nội dung <img src=x onerror=alert(1)> về hội nghị an ninh "><b>bold</b>.\n', "utf-8")
    _, index = build_index(root, {"html": extra})
    return create_app({"INDEX_DIR": str(index), "TESTING": True})


@pytest.fixture
def client(app):
    return app.test_client()


def test_home_shows_holdings_and_autofocus_box(client):
    html = client.get("/").get_data(as_text=True)
    assert "autofocus" in html and 'name="q"' in html
    assert "Tiếng Việt" in html and "Vietnam News Agency" in html


def test_api_search_shape(client):
    data = client.get("/api/search?q=hoang+binh+quan").get_json()
    assert data["total"] == 3 and data["took_ms"] >= 0
    assert {h["path"] for h in data["hits"]} == {"000_207a2d1785733b45.txt", "001_a82810a8bd7ee4cd.txt",
                                                  "004_fff1017332994a40.txt"}
    delegates = data["facets"]["delegate"]["values"]
    hbq = next(v for v in delegates if v["value"] == "hoangbinhquan")
    assert (hbq["label"], hbq["count"], hbq["selected"]) == ("Hoàng Bình Quân", 3, False)
    assert hbq["toggle_url"] == "/api/search?q=hoang+binh+quan&delegate=hoangbinhquan"
    assert "truncated" in data["facets"]["outlet"]
    hit = data["hits"][0]
    assert set(hit) >= {"id", "title", "outlet", "date", "date_precision", "language", "delegates", "snippet"}
    # An accent-free query highlights the accented words.
    vi = next(h for h in data["hits"] if h["language"] == "vi")
    assert "<mark>Hoàng</mark> <mark>Bình</mark> <mark>Quân</mark>" in vi["snippet"]["html"]


def test_disjunctive_facets(client):
    both = client.get("/api/search?q=medvedev").get_json()
    one = client.get("/api/search?q=medvedev&outlet=vna").get_json()
    assert one["total"] < both["total"]
    # The outlet facet still offers the other outlets, with the counts they would give.
    outlets = {v["value"]: (v["count"], v["selected"]) for v in one["facets"]["outlet"]["values"]}
    assert outlets["vna"] == (1, True) and outlets["idcpc"][0] == 1 and outlets["tgvn"][0] == 1
    # Two outlets combine with OR; a language filter combines with AND.
    two = client.get("/api/search?q=medvedev&outlet=vna&outlet=idcpc").get_json()
    assert two["total"] == 2
    en = client.get("/api/search?q=medvedev&outlet=vna&outlet=idcpc&outlet=tgvn&lang=en").get_json()
    assert en["total"] == 2


def test_year_facet_counts_undated(client):
    data = client.get("/api/search?q=").get_json()
    years = {v["value"]: v["count"] for v in data["facets"]["year"]["values"]}
    assert years["unknown"] >= 2 and sum(years.values()) == data["total"]
    months = client.get("/api/search?year=2020").get_json()["facets"]["month"]["values"]
    assert {m["value"] for m in months} >= {"2020-07"}


@pytest.mark.parametrize("query,status,param", [
    ("page=-1", 400, "page"), ("page=1000000000", 400, "page"), ("page=abc", 400, "page"),
    ("sort=random", 400, "sort"), ("q=a&q=b", 400, "q"), ("from=yesterday", 400, "from"),
    ("q=" + "x" * 1001, 400, "q"), ("year=20x0", 400, "year"),
    ("page=1_0", 400, "page"), ("page=%D9%A3", 400, "page"), ("page_size=%EF%BC%95", 400, "page_size"),
    # unknown facet values, impossible dates, bytes that are not UTF-8
    ("lang=xx", 400, "lang"), ("outlet=nowhere", 400, "outlet"), ("delegate=Nobody%20Atall", 400, "delegate"),
    ("month=2020-13", 400, "month"), ("from=2020-02-30", 400, "from"), ("to=2020-00", 400, "to"),
    ("from=2021-01-01&to=2020-01-01", 400, "from"), ("q=%FF%FE", 400, "q"), ("outlet=%C3", 400, "outlet"),
])
def test_bad_parameters_are_400_with_message(client, query, status, param):
    resp = client.get("/api/search?" + query)
    assert resp.status_code == status
    assert resp.get_json()["parameter"] == param and resp.get_json()["error"]
    page = client.get("/search?" + query)
    assert page.status_code == 400 and "could not be run" in page.get_data(as_text=True)


def test_known_filter_values_are_accepted(client):
    for query in ("lang=vi", "lang=ru", "outlet=vna", "outlet=unknown", "delegate=Hoang%20Binh%20Quan",
                  "delegate=%E5%AE%8B%E6%B6%9B", "q=h%E1%BB%99i+ngh%E1%BB%8B", "from=2020-02-29&to=2020-07"):
        assert client.get("/api/search?" + query).status_code == 200, query


@pytest.mark.parametrize("q", ['"unclosed', "AND OR", "title:", "*a*", "x" * 999, "((((", "date:[2020 TO",
                               "-", "outlet:nowhere", "\x00\x01"])
def test_malformed_queries_never_crash(client, q):
    resp = client.get("/api/search", query_string={"q": q})
    assert resp.status_code == 200, resp.get_data(as_text=True)
    assert client.get("/search", query_string={"q": q}).status_code == 200


def test_article_page_and_twin(client):
    doc = client.get("/api/search?q=author:%22Thư+Kỳ%22").get_json()["hits"][0]
    data = client.get(f"/api/articles/{doc['id']}").get_json()
    assert data["author"] == "Thư Kỳ" and data["body"].endswith("ghi nhận những đề xuất của ta.")
    html = client.get(f"/articles/{doc['id']}?q=an+ninh").get_data(as_text=True)
    assert "<mark>an</mark> <mark>ninh</mark>" in html and "Back to results" in html
    assert 'href="/search?delegate=hoangbinhquan"' in html


def test_unknown_article_is_404_without_trace(client):
    for path in ("/articles/0000000000000000", "/articles/..%2F..%2Fetc%2Fpasswd", "/articles/%2e%2e"):
        resp = client.get(path)
        assert resp.status_code == 404 and "Traceback" not in resp.get_data(as_text=True)
    assert client.get("/api/articles/../../etc/passwd").status_code == 404
    assert client.get("/api/articles/zz").get_json()["error"]


def test_html_injection_is_escaped_everywhere(client):
    q = '<script>alert(1)</script> hội nghị'
    page = client.get("/search", query_string={"q": q}).get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)" in page
    # JSON carries the text as data, under a JSON content type that browsers will not sniff as HTML.
    api = client.get("/api/search", query_string={"q": q})
    assert api.mimetype == "application/json" and api.headers["X-Content-Type-Options"] == "nosniff"
    data = client.get("/api/search", query_string={"q": "nội dung"}).get_json()
    hostile = next(h for h in data["hits"] if h["path"] == "html/hostile.txt")
    assert "<img" not in hostile["snippet"]["html"] and "&lt;img" in hostile["snippet"]["html"]
    page = client.get("/search", query_string={"q": "nội dung"}).get_data(as_text=True)
    assert '<script>alert("x")</script>' not in page and "<img src=x" not in page
    art = client.get(f"/articles/{hostile['id']}?q=bold").get_data(as_text=True)
    assert "<b>bold</b>" not in art and "<img src=x" not in art and '<script>alert("x")' not in art


def test_security_headers_on_every_page(client):
    for path in ("/", "/search?q=x", "/api/search?q=x", "/articles/none", "/static/style.css"):
        headers = client.get(path).headers
        assert "script-src 'self'" in headers["Content-Security-Policy"]
        assert "unsafe-inline" not in headers["Content-Security-Policy"]
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"


def test_query_filters_become_chips(client):
    html = client.get("/search?q=medvedev+outlet:vna").get_data(as_text=True)
    assert 'class="chip typed"' in html and "Vietnam News Agency" in html  # typed in q: a typed chip
    data = client.get("/api/search?q=delegate:%22Song+Tao%22").get_json()
    assert data["total"] >= 1 and data["filters"][0]["label"] == "Song Tao"


def test_date_query_and_range(client):
    assert client.get("/api/search?q=date:2021").get_json()["total"] == 1
    ranged = client.get("/api/search?from=2020-07-01&to=2020-07-31").get_json()
    assert {h["date"] for h in ranged["hits"]} <= {"2020-07-14"} and ranged["total"] >= 2


def test_cross_script_names(client):
    zh = client.get("/api/search?q=宋涛").get_json()
    assert {h["outlet"] for h in zh["hits"]} == {"idcpc"} and zh["total"] == 2  # English and Chinese
    assert client.get("/api/search?q=Song+Tao").get_json()["total"] == 2


def test_sort_and_pagination(client):
    newest = client.get("/api/search?sort=newest&page_size=2").get_json()
    assert newest["hits"][0]["date"] == "2021-01-27" and newest["pages"] >= 3
    oldest = client.get("/api/search?sort=oldest").get_json()
    dated = [h["date"] for h in oldest["hits"] if h["date_precision"] == "day"]
    assert dated == sorted(dated)
    page2 = client.get("/api/search?sort=newest&page_size=2&page=2").get_json()
    assert {h["id"] for h in page2["hits"]}.isdisjoint({h["id"] for h in newest["hits"]})


def test_search_past_the_time_limit_is_a_503_with_a_message(app):
    # The same index, with a time limit no search can meet: the limit is enforced, cleanly.
    strict = create_app({"INDEX_DIR": app.config["INDEX_DIR"], "TESTING": True, "SEARCH_TIME_LIMIT": 1e-9})
    client = strict.test_client()
    api = client.get("/api/search?q=hội nghị an ninh")
    assert api.status_code == 503 and "was stopped after" in api.get_json()["error"]
    page = client.get("/search?q=hội nghị an ninh")
    assert page.status_code == 503 and b"was stopped after" in page.data and b"Traceback" not in page.data
    # Without the limit the same search answers.
    assert app.test_client().get("/api/search?q=hội nghị an ninh").status_code == 200


# --- issue #15: filters as chips, pages, facet value lists, timeline, Vietnamese, small ones ------
def test_refining_form_keeps_filters_sort_and_ui(client):
    html = client.get("/search?q=medvedev&outlet=vna&sort=newest&ui=vi&page=1").get_data(as_text=True)
    form = html.split('role="search"', 1)[1].split("</form>", 1)[0]
    for hidden in ('name="outlet" value="vna"', 'name="sort" value="newest"', 'name="ui" value="vi"'):
        assert hidden in form
    assert 'name="page"' not in form  # a new query starts on page 1


def test_clicked_filters_are_chips_and_clear_all_keeps_the_words(client):
    html = client.get("/search?q=medvedev&outlet=vna&lang=en&sort=newest").get_data(as_text=True)
    assert html.count('class="chip"') == 2
    assert 'href="/search?q=medvedev&amp;lang=en&amp;sort=newest"' in html  # the outlet chip
    assert 'class="chip clear" href="/search?sort=newest&amp;q=medvedev"' in html


def test_typed_filters_come_back_as_removable_chips(client):
    data = client.get("/api/search?q=medvedev+lang:en+outlet:vna").get_json()
    typed = [f for f in data["filters"] if f.get("source") == "query"]
    assert {f["facet"] for f in typed} == {"language", "outlet"}
    by_facet = {f["facet"]: f["q_without"] for f in typed}
    assert by_facet == {"language": "medvedev outlet:vna", "outlet": "medvedev lang:en"}
    html = client.get("/search?q=medvedev+lang:en+outlet:vna&sort=oldest").get_data(as_text=True)
    assert 'href="/search?sort=oldest&amp;q=medvedev+outlet%3Avna"' in html  # removes lang:en
    assert 'class="chip clear" href="/search?sort=oldest&amp;q=medvedev"' in html


def test_date_range_is_one_chip_that_removes_both_bounds(client):
    html = client.get("/search?from=2020-07&to=2020-07").get_data(as_text=True)
    assert "Dates: July 2020" in html and 'href="/search"' in html
    vi = client.get("/search?from=2020&to=2020&ui=vi").get_data(as_text=True)
    assert "Thời gian: 2020" in vi


def test_page_numbers_and_a_page_past_the_last_is_404(client):
    html = client.get("/search?q=&page_size=2&page=2").get_data(as_text=True)
    assert 'aria-current="page" class="current" aria-label="Page 2">2</a>' in html
    assert 'href="/search?q=&amp;page_size=2&amp;page=1"' in html
    data = client.get("/api/search?q=&page_size=2").get_json()
    past = client.get(f"/search?q=&page_size=2&page={data['pages'] + 1}")
    body = past.get_data(as_text=True)
    assert past.status_code == 404 and "There is no page" in body
    assert f'href="/search?q=&amp;page_size=2&amp;page={data["pages"]}"' in body  # a way back
    assert f'type="application/json" href="/api/search?q=&amp;page_size=2&amp;page={data["pages"] + 1}"' in body
    api = client.get(f"/api/search?q=&page_size=2&page={data['pages'] + 1}")
    assert api.status_code == 404 and api.get_json()["parameter"] == "page"
    assert api.get_json()["last_page"] == data["pages"]
    # No results at all: page 1 is a page (saying so), page 2 is not.
    assert client.get("/search?q=zzzqqq").status_code == 200
    assert client.get("/search?q=zzzqqq&page=2").status_code == 404


def test_pager_says_about_when_pages_are_capped(app):
    from web.results_view import pager

    with app.test_request_context("/search?q=x&page=7"):
        p = pager({"pages": 250, "page": 7})
    assert p["capped"] and p["last"] == 100
    numbers = [i["n"] if i else None for i in p["items"]]
    assert numbers == [1, None, 5, 6, 7, 8, 9, None, 100]
    html_vi = app.jinja_env.globals  # the text is in the labels
    from web.labels import LABELS

    assert "about" in LABELS["en"]["page_cap"] and "khoảng" in LABELS["vi"]["page_cap"] and html_vi


def test_every_facet_lists_all_its_values_with_paging_and_a_filter(client):
    data = client.get("/api/search?q=").get_json()
    assert data["facets"]["delegate"]["all_values_url"] == "/api/facets/delegate?q="
    everything = client.get("/api/facets/delegate?q=").get_json()
    assert everything["total_values"] == data["facets"]["delegate"]["distinct"] >= 5
    assert everything["matching"] == len(everything["values"]) == everything["total_values"]
    assert everything["pages"] == 1 and client.get("/api/facets/delegate?q=&vpage=2").status_code == 404
    hoang = client.get("/api/facets/delegate?q=&contains=hoang").get_json()  # accents ignored
    assert [v["label"] for v in hoang["values"]] == ["Hoàng Bình Quân"] and hoang["matching"] == 1
    assert hoang["values"][0]["page_url"] == "/search?q=&delegate=hoangbinhquan"
    html = client.get("/facets/delegate?q=&contains=ho%C3%A0ng&ui=vi").get_data(as_text=True)
    assert "Hoàng Bình Quân" in html and "Lọc các giá trị" in html and "<h1>" in html
    assert client.get("/facets/nothing").status_code == 404
    assert client.get("/api/facets/delegate?vpage=99").status_code == 404
    assert client.get("/api/facets/delegate?vpage=x").get_json()["parameter"] == "vpage"
    medvedev = client.get("/search?q=medvedev").get_data(as_text=True)
    assert 'href="/facets/delegate?q=medvedev"' in medvedev and 'href="/facets/year?q=medvedev"' in medvedev
    years = client.get("/api/facets/year?q=").get_json()["values"]
    assert [v["value"] for v in years] == sorted(v["value"] for v in years if v["value"] != "unknown") + ["unknown"]


def test_facet_values_page_through_in_order():
    from search.value_list import value_list

    class Engine:
        def search(self, request):
            values = [{"value": f"v{i}", "label": f"Value {i}", "count": 100 - i, "selected": False}
                      for i in range(120)]
            return {"total": 500, "filters": [], "query": "", "facets": {"delegate": {"values": values}}}

    from search.request import SearchRequest

    pages = [value_list(Engine(), SearchRequest(), "delegate", page=n) for n in (1, 2, 3)]
    assert [len(p["values"]) for p in pages] == [50, 50, 20] and pages[0]["pages"] == 3
    assert pages[2]["values"][-1]["value"] == "v119"
    assert value_list(Engine(), SearchRequest(), "delegate", contains="VALUE 11")["matching"] == 11


def test_timeline_is_a_time_axis_with_empty_periods_and_undated_apart(client):
    tl = client.get("/api/search?q=").get_json()["timeline"]
    keys = [p["key"] for p in tl["periods"]]
    assert tl["level"] == "month" and keys[0] == "2019-03" and keys[-1] == "2021-01"
    assert len(keys) == 23 and any(p["count"] == 0 for p in tl["periods"])  # the gaps are there
    assert tl["undated"] >= 2 and all(p["all"] >= p["count"] for p in tl["periods"])
    year = client.get("/api/search?from=2020&to=2020").get_json()["timeline"]
    assert year["level"] == "month" and len(year["periods"]) == 12
    month = client.get("/api/search?from=2020-07&to=2020-07").get_json()["timeline"]
    assert month["level"] == "day" and len(month["periods"]) == 31
    assert next(p for p in month["periods"] if p["key"] == "2020-07-14")["count"] >= 2
    html = client.get("/search?from=2020-07&to=2020-07").get_data(as_text=True)
    assert 'data-from="2020-07-14"' in html and 'href="/search?from=2020-07-14&amp;to=2020-07-14"' in html
    assert '<form class="dates" action="/search" method="get">' in html and 'value="2020-07"' in html
    share = client.get("/search?from=2020&to=2020&share=1").get_data(as_text=True)
    assert 'aria-pressed="true"' in share and "of 4 articles" not in share or "articles (" in share


def test_date_timeline_levels_and_counts():
    import numpy as np

    from search.timeline import date_timeline

    dates = np.array([19990501, 20200714, 20200700, 20200000, 0, 20230101])
    every = np.ones(len(dates), bool)
    years = date_timeline(dates, every, every, every, None)
    assert years["level"] == "year" and [p["key"] for p in years["periods"]] == [str(y) for y in range(1999, 2024)]
    assert years["periods"][21]["count"] == 3 and years["undated"] == 1 and years["periods"][5]["count"] == 0
    days = date_timeline(dates, every, every, every, (20200701, 20200731))
    assert days["level"] == "day" and len(days["periods"]) == 31 and days["imprecise"] == 2  # 2020-07, 2020
    some = every.copy()
    some[1] = False
    share = date_timeline(dates, every, some, every, (20200101, 20201231))
    july = share["periods"][6]
    assert (july["count"], july["all"]) == (1, 2)


def test_vietnamese_ui_from_parameter_and_accept_language(client):
    vi = client.get("/search?q=medvedev&ui=vi").get_data(as_text=True)
    assert '<html lang="vi">' in vi and "Sắp xếp" in vi and "Dòng thời gian" in vi
    links = re.findall(r'href="(/[^"]*)"', vi)
    inner = [u for u in links if not u.startswith("/static/") and u != "/favicon.ico"]
    assert inner and all("ui=vi" in u or "ui=en" in u for u in inner), [u for u in inner if "ui=" not in u]
    browser = client.get("/search?q=medvedev", headers={"Accept-Language": "vi-VN,vi;q=0.9,en;q=0.5"})
    assert '<html lang="vi">' in browser.get_data(as_text=True) and "Accept-Language" in browser.headers["Vary"]
    en = client.get("/search?q=medvedev", headers={"Accept-Language": "fr,en;q=0.5"}).get_data(as_text=True)
    assert '<html lang="en">' in en
    # the engine's notes, translated
    note = client.get("/search?q=%22unclosed&ui=vi").get_data(as_text=True)
    assert "đã đóng dấu ngoặc kép" in note and "closed an unclosed quote" not in note
    bad = client.get("/search?page=abc&ui=vi").get_data(as_text=True)
    assert "Không thể thực hiện tìm kiếm" in bad and "phải là số nguyên" in bad


def test_every_engine_note_pattern_has_a_translation():
    from web.labels import translate

    for message in ["no article has all the words; showing articles with any of them", "unknown outlet 'x'",
                    "'date:20x' is not a date (use 2020, 2020-07, 2020-07-14 or [FROM TO TO]); ignored",
                    "nothing searchable in the query", "unknown field 'foo:' read as words",
                    "'date:2020-13' ignored: from: no such date '2020-13'",
                    "'lang:' has no value; ignored", "'-outlet:' is not supported; ignored",
                    "wildcards work only at the end of a word of 2+ letters: '*a*' searched as 'a'"]:
        assert translate(message, "vi") != message, message


def test_small_ones(client):
    one = client.get("/search?q=cuba").get_data(as_text=True)
    assert ">1 result<" in one and "1 results" not in one
    newest = client.get("/search?q=&sort=newest").get_data(as_text=True)
    assert 'class="current" aria-current="true" href="/search?q=&amp;sort=newest">Newest' in newest
    for hit in client.get("/api/search?q=").get_json()["hits"]:
        page = client.get(f"/articles/{hit['id']}").get_data(as_text=True)
        assert "precision" not in page and "day-month" not in page
        assert hit["path"] not in page  # never a file path as the source
        if (hit.get("url") or "").startswith("http"):
            assert f'class="source" href="{hit["url"]}"' in page
    assert "(year unknown)" in client.get("/search?q=").get_data(as_text=True)
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200 and icon.data[:4] == b"\x00\x00\x01\x00"
    for path, twin in [("/", "/api/overview"), ("/search?q=x", "/api/search?q=x"),
                       ("/facets/outlet?q=x", "/api/facets/outlet?q=x")]:
        html = client.get(path).get_data(as_text=True)
        assert f'<link rel="alternate" type="application/json" href="{twin}">' in html
        assert client.get(twin).status_code == 200
        assert "<h1" in html and 'class="skip-link"' in html


def test_access_log_line_per_request_in_combined_format(client):
    import io
    import logging

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    logger = logging.getLogger("web.access")
    logger.addHandler(handler)
    try:
        client.get("/search?q=an+ninh", headers={"Referer": "http://x/", "User-Agent": 'Agent "7"'})
        client.get("/api/articles/zz")
    finally:
        logger.removeHandler(handler)
    lines = stream.getvalue().splitlines()
    assert len(lines) == 2
    combined = re.compile(r'^(\S+) - - \[\d{2}/\w{3}/\d{4}:\d{2}:\d{2}:\d{2} [+-]\d{4}\] "GET (\S+) HTTP/1\.[01]" '
                          r'(\d{3}) (\d+|-) "([^"]*)" "((?:[^"\\]|\\.)*)"$')
    first, second = combined.match(lines[0]), combined.match(lines[1])
    assert first and second, lines
    assert first.group(2) == "/search?q=an+ninh" and first.group(3) == "200" and first.group(5) == "http://x/"
    assert first.group(6) == 'Agent \\"7\\"'
    assert second.group(3) == "404"


def test_web_is_wired_the_flask_way(app):
    assert set(app.blueprints) == {"pages", "api"} and app.blueprints["api"].url_prefix == "/api"
    with app.test_request_context("/search?ui=vi"):
        context = {}
        for processor in app.template_context_processors[None]:
            context.update(processor())
        assert context["ui"] == "vi" and context["L"]["search"] == "Tìm"


def test_facet_value_pages_link_to_each_other(client, monkeypatch):
    import search.value_list

    monkeypatch.setattr(search.value_list, "PAGE_SIZE", 2)
    first = client.get("/facets/delegate?q=&ui=vi").get_data(as_text=True)
    data = client.get("/api/facets/delegate?q=").get_json()
    assert data["pages"] >= 3 and len(data["values"]) == 2
    assert 'href="/facets/delegate?q=&amp;ui=vi&amp;vpage=2"' in first and 'rel="next"' in first
    second = client.get("/api/facets/delegate?q=&vpage=2").get_json()
    assert {v["value"] for v in second["values"]}.isdisjoint({v["value"] for v in data["values"]})


def test_every_link_keeps_the_chosen_ui_on_every_page(client):
    hit = client.get("/api/search?q=hoang+binh+quan").get_json()["hits"][0]
    for path in ("/?ui=vi", "/search?q=medvedev&ui=vi", "/search?from=2020-07&to=2020-07&ui=vi",
                 "/facets/delegate?q=&ui=vi", f"/articles/{hit['id']}?q=hoang&ui=vi", "/search?q=&page=99&ui=vi",
                 "/articles/ffffffffffffffff?ui=vi", "/nowhere?ui=vi"):
        html = client.get(path).get_data(as_text=True)
        assert '<html lang="vi">' in html, path
        links = [u for u in re.findall(r'href="(/[^"]*)"', html) if not u.startswith(("/static/", "/api/"))
                 and u != "/favicon.ico"]
        assert links and all("ui=vi" in u or "ui=en" in u for u in links), (path, [u for u in links if "ui=" not in u])
        forms = re.findall(r"<form.*?</form>", html, re.S)
        assert all('name="ui" value="vi"' in f for f in forms), path


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(1990, 2030), st.integers(0, 12), st.integers(0, 28)), min_size=1, max_size=60),
       st.one_of(st.none(), st.tuples(st.integers(1990, 2030), st.integers(1, 12), st.integers(0, 800))))
def test_timeline_counts_every_dated_result_once(dates, window):
    """Every dated result inside the window is on one bar, or counted as dated too coarsely; the
    periods run without a gap from the first to the last."""
    import datetime

    import numpy as np

    from search.timeline import date_timeline

    ds = np.array([0 if y == 1990 else y * 10000 + m * 100 + (d if m else 0) for y, m, d in dates], dtype=np.int64)
    every = np.ones(len(ds), bool)
    if window:
        start = datetime.date(window[0], window[1], 1)
        end = start + datetime.timedelta(days=window[2])
        lo, hi = int(start.strftime("%Y%m%d")), int(end.strftime("%Y%m%d"))
        final = (ds > 0) & (ds >= lo) & (ds <= hi)
        tl = date_timeline(ds, every, final, every, (lo, hi))
    else:
        final = every
        tl = date_timeline(ds, every, final, every, None)
    assert tl["undated"] == int((ds == 0).sum())
    if not tl["periods"]:
        assert not (final & (ds > 0)).any()
        return
    on_bars = sum(p["count"] for p in tl["periods"])
    assert on_bars + tl["imprecise"] <= int((final & (ds > 0)).sum())
    if window is None:  # the axis spans every dated result
        assert on_bars + tl["imprecise"] == int((ds > 0).sum())
    if tl["level"] == "year":
        assert on_bars == int((final & (ds > 0)).sum())
        years = [int(p["key"]) for p in tl["periods"]]
        assert years == list(range(years[0], years[-1] + 1))
    assert all(p["all"] >= p["count"] for p in tl["periods"])


def test_error_pages_are_titled_in_the_ui_language(client):
    """Every error a page can end in has a Vietnamese title with ?ui=vi, not only 404."""
    r = client.post("/search?q=x&ui=vi")
    assert r.status_code == 405
    html = r.get_data(as_text=True)
    assert "Phương thức không được hỗ trợ" in html and "Method Not Allowed" not in html
    assert "Method Not Allowed" in client.post("/search?q=x").get_data(as_text=True)
    assert "Không tìm thấy trang" in client.get("/no-such-page?ui=vi").get_data(as_text=True)


def test_a_hit_names_its_outlet_as_the_outlet_facet_does(client):
    """The outlet under a hit and the outlet facet value read the same, in either UI language."""
    for ui in ("en", "vi"):
        data = client.get(f"/api/search?q=&ui={ui}").get_json()
        facet = {v["value"]: v["label"] for v in data["facets"]["outlet"]["values"]}
        assert data["hits"]
        for h in data["hits"]:
            if h["outlet"] in facet:
                assert h["outlet_name"] == facet[h["outlet"]], (ui, h["outlet"])
