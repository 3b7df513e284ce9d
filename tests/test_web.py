"""The Flask app through its test client: pages, JSON twins, validation, escaping, headers."""

from __future__ import annotations

import shutil

import pytest

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
    assert 'class="chip"' in html and "Vietnam News Agency" in html
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
