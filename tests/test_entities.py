"""Outlets, credits, delegates and mentioned people: one short sentence per rule."""

import socket

import pytest

from search.metadata.folding import identity_key
from search.metadata.names import is_place
from search.metadata.outlets import UNKNOWN, OutletRegistry, registrable_domain
from search.metadata.people import DelegateExtractor, PeopleRegistry


@pytest.fixture(scope="module")
def outlets():
    return OutletRegistry.load()


@pytest.fixture(scope="module")
def people():
    return PeopleRegistry.load()


@pytest.fixture(scope="module")
def extract(people):
    extractor = DelegateExtractor(people)

    def run(text: str) -> tuple[set[str], set[str]]:
        found = extractor.extract_people(text)
        return {p.name for p in found.delegates}, {p.name for p in found.mentioned}

    return run


# --- outlets -----------------------------------------------------------------------------------

def test_registrable_domain_is_public_suffix_aware():
    assert registrable_domain("https://en.people.cn/n3/2024/x.html") == "people.cn"
    assert registrable_domain("http://www.idcpc.org.cn/a.html") == "idcpc.org.cn"
    assert registrable_domain("https://foo.example.co.uk/a") == "example.co.uk"
    assert registrable_domain("http://192.168.1.1/x") == "" and registrable_domain("localhost") == ""


def test_suffix_list_is_the_bundled_one_no_network_no_cache(monkeypatch, tmp_path):
    """tldextract must never fetch its list: with sockets refused, domains still resolve."""
    from search.metadata import outlets as module

    module._extractor.cache_clear()

    def refuse(*args, **kwargs):
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setenv("TLDEXTRACT_CACHE", str(tmp_path / "cache"))
    assert registrable_domain("https://www.news.cn/world/x.htm") == "news.cn"
    assert not (tmp_path / "cache").exists()
    module._extractor.cache_clear()


def test_subdomains_and_mirrors_fold_into_one_outlet(outlets):
    assert outlets.site("https://en.people.cn/n3/x.html").key == "peoplesdaily"
    assert outlets.site("http://world.people.com.cn/n1/x.html").key == "peoplesdaily"
    assert outlets.site("https://nhandan.com.vn/x").key == outlets.site("https://en.nhandan.vn/y").key == "nhandan"


def test_an_unlisted_site_is_its_own_outlet_named_by_the_page(outlets):
    site = outlets.site("https://news.example.org/a/b.html", site_name="Example News | Home")
    assert (site.key, site.name, site.known) == ("example.org", "Example News", False)
    assert outlets.resolve(url="https://www.example.net/x").name == "example.net"


def test_the_url_beats_a_wire_credit_and_credits_are_kept_apart(outlets):
    page_outlet = outlets.resolve(url="http://en.people.cn/90777/7904375.html", byline_key="xinhua")
    assert page_outlet.key == "peoplesdaily"
    assert outlets.credits("HANOI, Aug. 8 (Xinhua) -- The leader met …") == ["xinhua"]
    assert outlets.credits("Ảnh: TTXVN. Tin: VNA/VNP") == ["vna"]
    assert outlets.credits("МОСКВА, 3 мая. /ТАСС/.") == ["tass"]


def test_without_a_url_the_byline_or_site_name_decides(outlets):
    assert outlets.resolve(byline_key="vna").key == "vna"
    assert outlets.resolve(site_name="Báo Nhân Dân").key == "nhandan"
    assert outlets.resolve().key == UNKNOWN


def test_outlet_names_in_each_ui_language(outlets):
    assert outlets.label("xinhua", "vi") == "Tân Hoa xã"
    assert outlets.label("xinhua", "zh") == "新华社"
    assert outlets.label("tass", "ru") == "ТАСС"
    assert outlets.label("example.org", "vi", fallback="Example News") == "Example News"


def test_registry_covers_the_field(outlets):
    for url in ("https://qdnd.vn/x", "https://vov.vn/x", "https://vtv.vn/x", "https://baotintuc.vn/x",
                "https://www.vietnamplus.vn/x", "https://tapchicongsan.org.vn/x", "https://baochinhphu.vn/x",
                "https://www.chinadaily.com.cn/x", "https://www.globaltimes.cn/x", "https://news.cctv.com/x",
                "https://www.cgtn.com/x", "https://www.fmprc.gov.cn/x", "https://ria.ru/x", "https://rg.ru/x",
                "https://kprf.ru/x", "https://kpl.gov.la/x", "https://pasaxon.org.la/x", "https://akp.gov.kh/x",
                "https://www.granma.cu/x", "https://www.prensa-latina.cu/x", "https://english.kyodonews.net/x",
                "https://www.jcp.or.jp/x", "http://www.kcna.kp/x"):
        site = outlets.site(url)
        assert site is not None and site.known, url


# --- identity ----------------------------------------------------------------------------------

def test_one_identity_in_every_script():
    assert identity_key("王毅") == identity_key("Wang Yi")
    assert identity_key("Медведев") == identity_key("Medvedev")
    assert identity_key("Дмитрий Медведев") == identity_key("Dmitry Medvedev") == identity_key("Dmitriy Medvedev")
    assert identity_key("Геннадий Зюганов") == identity_key("Gennady Zyuganov")
    assert identity_key("Hoàng Bình Quân") == identity_key("Hoang Binh Quan")
    assert identity_key("曾庆红") == "zengqinghong"  # the surname reading, not the word's


def test_traditional_characters_are_the_same_person(extract):
    delegates, _ = extract("王毅在北京會見越南外交部長黎懷忠。")
    assert {"Wang Yi", "Lê Hoài Trung"} <= delegates


def test_declined_russian_names_are_one_person(extract):
    delegates, _ = extract("Председатель КНР Си Цзиньпин встретился с председателем Госдумы Вячеславом Володиным.")
    assert delegates == {"Xi Jinping", "Vyacheslav Volodin"}


def test_identity_keys_match_whole_names_only(extract):
    """`Tống Đào` (Song Tao) folds to `tong dao`; 通道 and 痛悼 must not become him."""
    delegates, mentioned = extract("双方在会见中表示要打通通道。全国人民沉痛悼念。")
    assert "Song Tao" not in delegates | mentioned
    delegates, mentioned = extract("Ông nói tổ làm việc đã tiếp đoàn tại Hà Nội.")
    assert "Tô Lâm" not in delegates | mentioned


# --- delegates and mentioned --------------------------------------------------------------------

def test_actors_of_meeting_verbs_are_delegates(extract):
    assert extract("Tổng Bí thư Tô Lâm hội kiến Chủ tịch Quốc hội Lào Saysomphone Phomvihane.")[0] == {
        "Tô Lâm", "Xaysomphone Phomvihane"}
    assert extract("中联部部长刘建超会见老挝人民革命党代表团。")[0] == {"Liu Jianchao"}
    assert extract("Liu Jianchao met with a delegation led by Henrique Fontana, general secretary of PT.")[0] == {
        "Liu Jianchao", "Henrique Fontana"}


def test_delegation_members_are_delegates(extract):
    text = ("Cùng tham dự có ông Lâm Văn Mẫn, Bí thư Tỉnh ủy Sóc Trăng; "
            "ông Nguyễn Bá Hùng, Đại sứ Việt Nam tại Lào.")
    assert extract(text)[0] == {"Lâm Văn Mẫn", "Nguyễn Bá Hùng"}


def test_people_greeted_or_cited_are_mentioned_not_delegates(extract):
    delegates, mentioned = extract(
        "Huang Kunming met Nguyen Phu Trong in Hanoi and conveyed the best regards of "
        "General Secretary Xi Jinping to him.")
    assert "Xi Jinping" not in delegates and "Xi Jinping" in mentioned
    delegates, mentioned = extract("张德江会见阮富仲时转达了习近平总书记的亲切问候。")
    assert "Xi Jinping" in mentioned and "Xi Jinping" not in delegates
    delegates, mentioned = extract("Đoàn sang dự Lễ tang Đại tướng Võ Nguyên Giáp và được Tổng Bí thư tiếp.")
    assert "Võ Nguyên Giáp" in mentioned


def test_the_envoy_is_a_delegate_the_principal_is_not(extract):
    delegates, mentioned = extract("越共中央总书记苏林会见了习近平总书记特使、中联部部长刘海星。")
    assert delegates == {"Tô Lâm", "Liu Haixing"} and "Xi Jinping" in mentioned


def test_people_of_the_past_are_never_delegates(extract):
    delegates, mentioned = extract("The delegation paid tribute to President Ho Chi Minh at his mausoleum.")
    assert "Hồ Chí Minh" in mentioned and not delegates


def test_no_place_or_title_fragment_becomes_a_delegate(extract):
    text = ("Ngày 5/8, tại Hà Nội, Bí thư Thành ủy Hà Nội Vũ Đại Thắng tiếp Đại sứ Thái Lan. "
            "中央书记处书记蔡奇会见代表团，全国政协主席王沪宁出席。")
    delegates, _ = extract(text)
    assert delegates == {"Vũ Đại Thắng", "Cai Qi", "Wang Huning"}
    assert all(not is_place(d) for d in delegates)


def test_a_chinese_name_outside_the_registry(extract):
    delegates, _ = extract("中国驻悉尼李华新总领事、刘侃副总领事出席座谈会。")
    assert delegates == {"李华新", "刘侃"}


def test_foreign_names_after_titles(extract):
    assert extract("Tổng Bí thư, Chủ tịch nước Lào Thongloun Sisoulith tiếp đoàn.")[0] == {"Thongloun Sisoulith"}
    assert extract("Председатель ЦК КПРФ Г.А. Зюганов встретился с послом Кубы Херардо Пеньяльвером.")[0] >= {
        "Gennady Zyuganov"}


def test_facet_label_in_the_ui_language_with_a_role(people):
    key = identity_key("Song Tao")
    assert people.display(key, "en", year=2020) == ("Song Tao", "head of the CPC International Department")
    assert people.display(key, "vi")[0] == "Tống Đào"
    assert people.display(key, "zh")[0] == "宋涛"
    assert people.label(key, "en").startswith("Song Tao — ")
    assert people.display("nobodyatall", "vi", fallback="Nobody") == ("Nobody", "")


# --- in the index and the facet ------------------------------------------------------------------

@pytest.fixture(scope="module")
def seed_engine(tmp_path_factory):
    from search.engine import SearchEngine
    from tests.conftest import build_index

    _, index = build_index(tmp_path_factory.mktemp("entities"))
    return SearchEngine(index)


def test_credit_and_mentioned_are_searchable(seed_engine):
    from search.request import SearchRequest

    credited = seed_engine.search(SearchRequest(q="credit:TTXVN"))
    assert credited["total"] >= 1
    assert all(h["outlet"] == "vna" or "vna" in h.get("credit", []) for h in credited["hits"])
    cited = seed_engine.search(SearchRequest(q='mentioned:"Xi Jinping"'))
    assert cited["total"] >= 1
    # in any script or spelling: the person's identity key is indexed with the name
    for other in ('mentioned:"Tập Cận Bình"', "mentioned:习近平", 'mentioned:"Си Цзиньпин"',
                  'mentioned:"tap can binh"'):
        assert seed_engine.search(SearchRequest(q=other))["total"] == cited["total"], other
    # cited, so not in the delegate facet of those results
    assert "xijinping" not in {v["value"] for v in cited["facets"]["delegate"]["values"]}


def test_delegate_facet_in_the_ui_language_with_a_role(seed_engine):
    from search.request import SearchRequest

    for ui, name in (("en", "Song Tao"), ("vi", "Tống Đào"), ("zh", "宋涛"), ("ru", "Сун Тао")):
        values = seed_engine.search(SearchRequest(q="", ui=ui))["facets"]["delegate"]["values"]
        song = next(v for v in values if v["value"] == "songtao")
        assert song["label"] == name and song["role"]
    values = seed_engine.search(SearchRequest(q=""))["facets"]["delegate"]["values"]
    assert len({v["value"] for v in values}) == len(values)  # each person once
    assert not any(is_place(v["label"]) for v in values)
