"""What the server sends back is bounded and safe whatever the index holds: a 5 MB article gives
a page of bounded size and cost (the whole text as plain text on request), and a stored source
URL that is not http(s) is never returned or rendered as a link."""

from __future__ import annotations

import time

import pytest

from tests.conftest import build_index

BIG_PARAGRAPH = ("Đồng chí Hoàng Bình Quân tiếp đoàn đại biểu Đảng Cộng sản Trung Quốc tại Hà Nội, trao đổi "
                 "về hợp tác kinh tế và an ninh khu vực. ") * 8
HOSTILE_URLS = {
    "a000000000000001": "javascript:alert(1)",
    "a000000000000002": "jav\tascript:alert(1)",
    "a000000000000003": "JaVaScRiPt:alert(1)",
    "a000000000000004": "data:text/html,<script>alert(1)</script>",
    "a000000000000005": " javascript:alert(1)",
    "a000000000000006": "//evil.example/x",
    "a000000000000007": "https://baoquocte.vn/ok.html",
}


def _add(index, articles) -> None:
    """Written straight into the live generation, as an index built by an older version (or a
    hostile one) could hold them: the output must not rely on ingestion having cleaned them."""
    from search.indexing.schema import to_document
    from search.indexing.store import IndexStore

    writer = IndexStore(index).open().writer()
    for article in articles:
        writer.update_document(**to_document(article))
    writer.commit()


def _article(doc_id: str, body: str, url: str | None = None):
    from search.model import Article, DateInfo

    return Article(id=doc_id, path=f"{doc_id}.txt", content_hash=doc_id, title=f"Bài {doc_id}", body=body,
                   language="vi", outlet="unknown", outlet_name="Unknown", date=DateInfo(iso="2020-07-14",
                   precision="day", source="test"), url=url)


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    from web import create_app

    _, index = build_index(tmp_path_factory.mktemp("bounds"))
    big = "\n".join([BIG_PARAGRAPH] * (5_000_000 // len(BIG_PARAGRAPH.encode()) + 1))
    assert len(big.encode()) > 5_000_000
    _add(index, [_article("b000000000000001", big)]
         + [_article(i, "Bài viết về ngoại giao đảng.", url) for i, url in HOSTILE_URLS.items()])
    return create_app({"INDEX_DIR": str(index), "TESTING": True}).test_client()


def test_five_megabyte_article_page_and_json_are_bounded(client):
    for path in ("/articles/b000000000000001?q=Hoàng+Bình+Quân", "/api/articles/b000000000000001?q=Hoàng+Bình+Quân"):
        started = time.thread_time()  # the work this request costs, not how busy the machine is
        r = client.get(path)
        took = time.thread_time() - started
        assert r.status_code == 200
        assert len(r.data) < 1_000_000, (path, len(r.data))  # was 22 MB of HTML
        assert took < 1.5, (path, took)  # was 1.9 s of highlighting
        assert b"<mark>" in r.data
    data = client.get("/api/articles/b000000000000001").get_json()
    assert data["truncated"] is True and data["body_chars"] > 3_000_000
    assert len(data["body"]) <= 60_000 and data["text_url"] == "/articles/b000000000000001.txt"
    page = client.get("/articles/b000000000000001").get_data(as_text=True)
    assert 'href="/articles/b000000000000001.txt"' in page

    # The whole text, as plain text, on request.
    r = client.get("/articles/b000000000000001.txt")
    assert r.status_code == 200 and r.mimetype == "text/plain"
    text = r.get_data(as_text=True)
    assert text.startswith("Bài b000000000000001\n\n") and len(text) > data["body_chars"]
    assert client.get("/articles/ffffffffffffffff.txt").status_code == 404


def test_short_article_is_whole_and_not_marked_truncated(client):
    data = client.get("/api/articles/a000000000000007").get_json()
    assert data["truncated"] is False and data["body"] == "Bài viết về ngoại giao đảng."


@pytest.mark.parametrize("doc_id, stored", list(HOSTILE_URLS.items()))
def test_only_http_urls_are_returned_or_linked(client, doc_id, stored):
    data = client.get(f"/api/articles/{doc_id}").get_json()
    page = client.get(f"/articles/{doc_id}").get_data(as_text=True)
    hits = client.get("/api/search?q=ngoại+giao+đảng&page_size=50").get_json()["hits"]
    hit_urls = {h["id"]: h.get("url") for h in hits}
    if stored.startswith("https://"):
        assert data["url"] == stored and f'href="{stored}"' in page
    else:
        assert data["url"] is None, data["url"]
        assert hit_urls.get(doc_id) is None
        assert "javascript" not in page.lower() and "data:text" not in page


def test_safe_http_url():
    from search.urls import safe_http_url

    assert safe_http_url("http://nhandan.vn/a?b=c#d") == "http://nhandan.vn/a?b=c#d"
    for bad in ("javascript:alert(1)", "jav\tascript:alert(1)", "java\nscript:x", "data:,x", "vbscript:x",
                "ftp://x.vn/", "https://", "http:///x", "//x.vn/", "/relative", "https://x.vn/\x00", "", None,
                "https://[::1", "http://" + "a" * 3000 + ".vn/"):
        assert safe_http_url(bad) is None, bad
