"""Language, outlet, author and delegates, on the seeds and on HTML fixtures."""

import unicodedata
from pathlib import Path

import pytest

from search.ingest.loader import CorpusFile
from search.metadata.folding import identity_key
from search.metadata.language import _detector, detect_by_script, detect_language
from search.metadata.outlets import OutletRegistry
from search.metadata.people import DelegateExtractor, PeopleRegistry
from tests.conftest import FIXTURES


def names(article):
    return {p.name for p in article.delegates}


def test_languages(seed_articles):
    assert {k: a.language for k, a in seed_articles.items()} == {
        "000": "en", "001": "vi", "002": "en", "003": "vi", "004": "en"}
    assert detect_language("中共中央对外联络部部长宋涛出席会议") == "zh"
    assert detect_language("12345 ---") == "und"


def test_script_shortcut_agrees_with_lingua():
    """The letters-only rule answers only where lingua would say the same."""
    english_with_names = ("Party General Secretary Nguyễn Phú Trọng received Hoàng Bình Quân and Đỗ Văn Chiến "
                          "in Hanoi on Tuesday, where the delegations discussed cooperation between the parties "
                          "and the training of officials over the coming five years.")
    assert detect_by_script(english_with_names) is None  # left to lingua
    assert detect_language(english_with_names) == "en"
    assert detect_by_script("Truong Ban Doi ngoai Trung uong Hoang Binh Quan tiep doan dai bieu") is None
    assert detect_by_script("中国共产党中央委员会对外联络部部长宋涛在北京会见越南共产党代表团并举行会谈") == "zh"
    assert detect_by_script("日本の政党代表団が北京を訪問し、中国共産党の代表と会談した。両党は協力を確認した") is None
    decomposed = "Đồng chí Hoàng Bình Quân tiếp Đoàn đại biểu Đảng Nhân dân Cách mạng Lào tại Hà Nội"
    assert detect_by_script(unicodedata.normalize("NFD", decomposed)) == "vi"
    samples = [p for p in (FIXTURES / "diplomacy").glob("d*") if p.suffix in (".txt", ".html")]
    samples += list((Path(__file__).parent.parent / "seeds").iterdir())
    decided = 0
    for path in samples:
        text = path.read_text("utf-8")[:800]
        by_script = detect_by_script(text)
        if by_script:
            decided += 1
            lingua = _detector().detect_language_of(text)
            assert by_script == lingua.iso_code_639_1.name.lower(), path.name
    assert decided >= 10  # the rule does the common case


def test_titles_and_authors(seed_articles):
    assert seed_articles["000"].title == "Vietnam attends virtual international conference of political parties"
    assert seed_articles["002"].title.startswith("The CPC Attends Multilateral Video Conference")
    assert seed_articles["001"].author == "Thư Kỳ"
    assert seed_articles["003"].author == "Chu Văn"
    assert seed_articles["000"].author is None


def test_outlets(seed_articles):
    assert {k: a.outlet for k, a in seed_articles.items()} == {
        "000": "vna", "001": "tgvn", "002": "idcpc", "003": "tgvn", "004": "vna"}
    assert seed_articles["000"].outlet_name == "Vietnam News Agency"
    assert seed_articles["001"].outlet_name == "Thế giới & Việt Nam"


def test_outlet_registry_resolution():
    reg = OutletRegistry.load()
    assert reg.match_byline("Hanoi (VNA) – Head of …").outlet.key == "vna"
    assert reg.match_byline("TGVN. Ngày 14/7, …").outlet.key == "tgvn"
    assert reg.by_name("Baoquocte.vn").key == "tgvn"
    assert reg.by_url("https://en.vietnamplus.vn/some-story.html").key == "vietnamplus"  # its own site
    assert reg.by_url("https://example.org/x") is None
    # A photo credit is not a byline.
    assert reg.match_byline("Đồng chí … dự Hội nghị. (Nguồn: TTXVN)") is None


def test_unknown_outlet_is_unknown_not_a_guess(ingestor, tmp_path):
    page = tmp_path / "x.txt"
    page.write_text("A title\n\nSome story about a party congress held on July 1, 2021.\n", "utf-8")
    article = ingestor.load(CorpusFile("x.txt", page))
    assert (article.outlet, article.outlet_name) == ("unknown", "Unknown outlet")


EXPECTED_DELEGATES = {
    "000": {"Hoàng Bình Quân", "Dmitry Medvedev"},
    "001": {"Hoàng Bình Quân", "Dmitry Medvedev"},
    "002": {"Dmitry Medvedev", "Song Tao", "Qian Hongshan"},
    "003": {"Nguyễn Mạnh Cường"},
    "004": {"Hoàng Bình Quân"},
}


@pytest.mark.parametrize("seed", sorted(EXPECTED_DELEGATES))
def test_seed_delegates(seed_articles, seed):
    assert names(seed_articles[seed]) == EXPECTED_DELEGATES[seed]


def test_authors_and_cited_people_are_not_delegates(seed_articles):
    assert "Thư Kỳ" not in names(seed_articles["001"])
    assert "Chu Văn" not in names(seed_articles["003"])
    # "with Comrade Xi Jinping at its core" cites him; he did not take part.
    assert "Xi Jinping" not in names(seed_articles["002"])


def test_hoang_binh_quan_is_one_delegate_across_languages(seed_articles):
    keys = {k: {p.key for p in a.delegates} for k, a in seed_articles.items()}
    with_him = sorted(k for k, ks in keys.items() if identity_key("Hoàng Bình Quân") in ks)
    assert with_him == ["000", "001", "004"]
    # The English articles wrote him without diacritics; the display name keeps them.
    person = next(p for p in seed_articles["000"].delegates if p.key == identity_key("Hoang Binh Quan"))
    assert person.name == "Hoàng Bình Quân" and "Hoang Binh Quan" in person.forms


def test_identity_without_registry_entry():
    """Spelling variants meet on the ICU key even for people the registry does not know."""
    extractor = DelegateExtractor(PeopleRegistry([], []))
    vi = extractor.extract("Ngày 3/3, đồng chí Trần Văn Tuấn, Ủy viên Trung ương Đảng, đã tham dự.")
    en = extractor.extract("Deputy Head of the Commission Tran Van Tuan attended the meeting.")
    assert [p.key for p in vi] == [p.key for p in en] == ["tranvantuan"]
    assert vi[0].name == "Trần Văn Tuấn"


def test_identity_keys_across_scripts():
    assert identity_key("宋涛") == identity_key("Song Tao") == "songtao"
    assert identity_key("钱洪山") == identity_key("Qian Hongshan")
    assert identity_key("Hoàng Bình Quân") == identity_key("HOANG BINH QUAN")
    reg = PeopleRegistry.load()
    assert reg.canonical("Дмитрий Медведев").name == "Dmitry Medvedev"
    assert reg.canonical("Tống Đào").name == "Song Tao"


def test_html_pages(ingestor):
    def load(name):
        return ingestor.load(CorpusFile(name, FIXTURES / "html" / name))

    tgvn = load("tgvn_party_talks.html")
    assert tgvn.title.startswith("Đoàn đại biểu Đảng Cộng sản Việt Nam hội đàm")
    assert (tgvn.date.iso, tgvn.date.source) == ("2020-08-06", "meta article:published_time")
    assert tgvn.outlet == "tgvn" and tgvn.url.startswith("https://baoquocte.vn/")
    assert tgvn.author == "Minh Anh"
    assert names(tgvn) == {"Lê Hoài Trung"}
    for junk in ("trackView", "Giá vàng", "Trang chủ", "Phiên bản di động", "TIN LIÊN QUAN", "color:red"):
        assert junk not in tgvn.body
    assert tgvn.body.startswith("Sáng 5-8, đồng chí Lê Hoài Trung")
    assert tgvn.body.endswith("thẳng thắn.")

    zh = load("idcpc_zh_jsonld.html")
    assert (zh.language, zh.outlet, zh.date.iso) == ("zh", "idcpc", "2020-07-14")
    assert zh.date.source == "JSON-LD datePublished"
    assert names(zh) == {"Song Tao", "Dmitry Medvedev", "Qian Hongshan"}

    other = load("unknown_outlet_time.html")
    assert (other.outlet, other.date.iso) == ("unknown", "2019-03-02")
    assert other.date.source == "page date element <time> '2019-03-02'"


def test_document_ids_are_stable_and_path_derived(seed_articles):
    from search.ingest.loader import doc_id

    assert seed_articles["000"].id == doc_id("000_207a2d1785733b45.txt")
    assert len({a.id for a in seed_articles.values()}) == 5
    assert all(len(a.content_hash) == 64 for a in seed_articles.values())
    assert Path(seed_articles["000"].path).name == "000_207a2d1785733b45.txt"
