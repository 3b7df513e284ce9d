"""The publishing site of pages whose head does not name it (search/metadata/site_evidence.py).

Each page below is short and written here, in the shape of a real page of ../shared/eval/extraction
where the outlet was unknown or wrong before: metadata after an early `</head>`, a feed link only,
a domain in the copyright line, a copyright holder and a link, links only, an MSN-style syndicated
copy whose canonical link points to the original.
"""

from __future__ import annotations

import pytest

from search.ingest.loader import CorpusFile, Ingestor
from search.metadata.outlets import UNKNOWN
from search.metadata.site_evidence import name_matches_domain

STORY = "<p>" + "The council voted on Tuesday to extend the tram line to the harbour district. " * 6 + "</p>"


@pytest.fixture(scope="module")
def ingestor():
    return Ingestor()


def load(ingestor, tmp_path, html: str):
    path = tmp_path / "page.html"
    path.write_text(html, "utf-8")
    return ingestor.load(CorpusFile("page.html", path))


def page(head: str = "", body: str = "", title: str = "Tram line extended") -> str:
    return (f"<!DOCTYPE html><html><head><title>{title}</title>{head}</head>"
            f"<body><h1>{title}</h1><article>{STORY}</article>{body}</body></html>")


def test_canonical_after_an_early_end_of_head(ingestor, tmp_path):
    # A script ends the head early; the page's link and meta tags follow in the body.
    html = ("<html><head><script>var x = 1;</script></head><body>"
            '<link rel="canonical" href="https://www.harbourtimes.ca/news/tram/">'
            '<meta property="og:site_name" content="Harbourtimes.ca">'
            f"<h1>Tram line extended</h1><article>{STORY}</article></body></html>")
    article = load(ingestor, tmp_path, html)
    assert article.outlet == "harbourtimes.ca"


def test_a_feed_link_names_the_site_a_shortener_does_not(ingestor, tmp_path):
    head = ('<link rel="shortlink" href="https://wp.me/p2sPFm-oaEq">'
            '<link rel="alternate" type="application/rss+xml" title="Gadgets Feed" href="https://gadgetdaily.com/feed/">')
    assert load(ingestor, tmp_path, page(head)).outlet == "gadgetdaily.com"


def test_a_domain_in_the_copyright_line(ingestor, tmp_path):
    body = ('<a href="/news/list.php">News</a><a href="/news/2.php">Next</a>'
            "<footer>Copyright ⓒ Stagenotes.co.kr. 무단전재 및 재배포 금지</footer>")
    assert load(ingestor, tmp_path, page(body=body)).outlet == "stagenotes.co.kr"


def test_the_copyright_holder_names_one_of_the_linked_sites(ingestor, tmp_path):
    body = ('<a href="https://www.medtel-ws.com/">Workforce</a><a href="https://www.medtel.com/">Home</a>'
            '<a href="https://ch.linkedin.com/company/medtel">LinkedIn</a><footer>©2019 Medtel</footer>')
    assert load(ingestor, tmp_path, page(body=body)).outlet == "medtel.com"


def test_the_site_most_links_go_to_but_never_a_sharing_service(ingestor, tmp_path):
    own = "".join(f'<a href="http://dietguide.example.com.br/p{i}.html">p{i}</a>' for i in range(5))
    social = "".join(f'<a href="https://www.facebook.com/share?{i}">f</a>' for i in range(9))
    assert load(ingestor, tmp_path, page(body=own + social)).outlet == "example.com.br"
    # Links spread over several sites decide nothing: the outlet stays unknown rather than guessed.
    spread = ('<a href="https://www.spacenews.com/a">a</a><a href="https://www.spacenews.com/b">b</a>'
              '<a href="https://www.spacetoday.net/">c</a><a href="https://www.nasa.gov/">d</a>')
    assert load(ingestor, tmp_path, page(body=spread)).outlet == UNKNOWN


def test_a_syndicated_copy_is_the_portals_and_credits_the_original(ingestor, tmp_path):
    head = ('<link rel="canonical" href="https://www.cnn.com/2019/11/18/health/duvet/index.html">'
            '<meta property="og:url" content="https://www.msn.com/en-us/health/other/duvet/ar-BBWXwNX">'
            '<meta property="og:site_name" content="MSN">')
    article = load(ingestor, tmp_path, page(head))
    assert article.outlet == "msn.com"
    assert "cnn.com" in article.credit
    # Without a site name agreeing with og:url, the canonical link stands (a site's own second domain).
    head = ('<link rel="canonical" href="https://www.citynews.sc.gov.br/news/1">'
            '<meta property="og:url" content="https://www.citynews.com.br/news/1">')
    assert load(ingestor, tmp_path, page(head)).outlet == "citynews.sc.gov.br"


def test_the_heads_own_url_still_comes_first(ingestor, tmp_path):
    head = '<link rel="canonical" href="https://en.people.cn/n3/2024/0101/c90000-1.html">'
    body = "".join(f'<a href="https://www.xinhuanet.com/{i}">x</a>' for i in range(20))
    assert load(ingestor, tmp_path, page(head, body)).outlet == "peoplesdaily"


def test_site_names_and_domains():
    assert name_matches_domain("MSN", "msn.com") == 2
    assert name_matches_domain("The Space Review", "thespacereview.com") == 2
    assert name_matches_domain("Ascom", "ascom-ws.com") == 1
    assert name_matches_domain("CNN", "msn.com") == 0
    assert name_matches_domain("", "msn.com") == 0
