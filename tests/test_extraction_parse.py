"""The page's one parse (`html_page.load_html`) and the class index the tree rules read: the
faster ways they take must give what trafilatura's steps and a plain XPath give."""

from __future__ import annotations

import lxml.html
import pytest
from lxml import etree
from trafilatura.utils import repair_faulty_html

from search.ingest.html_page import ClassIndex, load_html, parse_html, repair_markup
from tests.conftest import FIXTURES

PAGES = sorted((FIXTURES / "pages").glob("*.htm*"))

MARKUP = [
    "<!DOCTYPE html>\n<html><body><p>Đoàn đại biểu</p></body></html>",
    "<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0//EN\" />\n<html><body><p>x</p></body></html>",
    "<html/>\n<head><title>t</title></head><body><p>自闭合的 html</p></body>",
    "<!doctype html><html><body><p>no newline at all</p></body></html>",
    "<html><body><p>a bell \x07, a form feed \x0c and U+FFFE \ufffe in the text</p></body></html>",
    "<html><body><p>tab\tand\r\nnewlines stay; Делегация \x1b[0m</p></body></html>",
    "<html><body><p>\uffff only</p></body></html>",
]


@pytest.mark.parametrize("markup", MARKUP)
def test_repair_markup_is_trafilaturas_repair(markup):
    beginning = markup[:50].lower()
    assert repair_markup(markup, beginning) == repair_faulty_html(markup, beginning)


def test_control_characters_are_taken_out_before_parsing():
    tree = load_html(MARKUP[4])
    assert tree.findtext(".//p") == "a bell , a form feed  and U+FFFE  in the text"


def test_a_string_with_an_encoding_declaration_is_read():
    # lxml refuses a str that declares its encoding; the bytes are read instead
    markup = '<?xml version="1.0" encoding="utf-8"?>\n<html><body><p>Hà Nội</p></body></html>'
    assert load_html(markup).text_content() == "Hà Nội"


def test_not_html_is_refused():
    assert load_html("just a line of text, no markup at all") is None


def _reference_entries(tree) -> list:
    """The index as one plain XPath over the document and every attribute read per element."""
    found = tree.xpath("//*[@class or @id or @aria-label or @itemtype or @itemprop='author'"
                       " or @itemprop='datePublished' or @rel='author' or self::time or self::nav"
                       " or self::aside or self::footer or self::h1]")
    return [(el, el.tag, f"{el.get('class') or ''} {el.get('id') or ''}".lower(),
             f"{el.get('aria-label') or ''} {el.get('itemtype') or ''} prop:{el.get('itemprop') or ''}"
             f" rel:{el.get('rel') or ''}".lower()) for el in found]


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.name)
def test_class_index_holds_what_a_plain_xpath_finds(path):
    tree = parse_html(path.read_bytes().decode("utf-8", errors="replace")).tree  # crawl wrappers too
    assert ClassIndex(tree).entries == _reference_entries(tree)


def test_class_index_roles_and_bylines():
    tree = lxml.html.fromstring(
        '<html><body><nav aria-label="Breadcrumb"><a href="/">Trang chủ</a></nav><h1>Tiêu đề</h1>'
        '<span itemprop="author creator" class="info">Текст: Венера Ерофеева</span>'
        '<div class="Author">not a byline: the class word is case-sensitive</div>'
        '<a rel="author" href="/a">Lê Văn A</a><p class="x author y">Phóng viên B</p></body></html>')
    index = ClassIndex(tree)
    assert [el.text_content() for el in index.bylines()] == ["Текст: Венера Ерофеева", "Lê Văn A", "Phóng viên B"]
    assert [el.tag for el in index.breadcrumbs()] == ["nav"]
    assert index.entries == _reference_entries(tree)


def test_class_index_of_a_fragment_reads_the_whole_document():
    root = etree.fromstring("<html><body class='breadcrumb-page'><div id='main'><p>x</p></div></body></html>",
                            lxml.html.HTMLParser())
    inner = root.find(".//div")
    assert [tag for _, tag, _, _ in ClassIndex(inner).entries] == ["body", "div"]


def test_class_index_reads_elements_lxml_leaves_beside_the_root():
    # markup after </html>: libxml2 may keep it beside the root element, where `//*` still finds it
    tree = load_html("<html><body><p class='story'>x</p></body></html><a class='bsharediv' href='#'>Chia sẻ</a>")
    assert ClassIndex(tree).entries == _reference_entries(tree)
