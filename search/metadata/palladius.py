"""Chinese names in Russian (the Palladius system) read back to pinyin: `Чжан Дэцзян` → `zhang
dejiang`, so that a Chinese person has one identity key in Russian, English and Chinese articles
outside the people registry too. The table is made from the system's rules for each pinyin syllable
(initial, then final, with its few contextual spellings) and read backwards, longest first.

Only names that are Chinese by their shape are read so: two to four syllables, the first word a
Chinese family name, every word whole syllables (`Путин` and `Ким Чен Ын` are left to the Russian
romanisation).
"""

from __future__ import annotations

import re
from functools import lru_cache

INITIALS = {"b": "б", "p": "п", "m": "м", "f": "ф", "d": "д", "t": "т", "n": "н", "l": "л", "g": "г", "k": "к",
            "h": "х", "j": "цз", "q": "ц", "x": "с", "zh": "чж", "ch": "ч", "sh": "ш", "r": "ж", "z": "цз",
            "c": "ц", "s": "с"}
FINALS = {"a": "а", "o": "о", "e": "э", "ai": "ай", "ei": "эй", "ao": "ао", "ou": "оу", "an": "ань", "en": "энь",
          "ang": "ан", "eng": "эн", "ong": "ун", "i": "и", "ia": "я", "iao": "яо", "ie": "е", "iu": "ю",
          "ian": "янь", "in": "инь", "iang": "ян", "ing": "ин", "iong": "юн", "u": "у", "ua": "уа", "uo": "о",
          "uai": "уай", "ui": "уй", "uan": "уань", "un": "унь", "uang": "уан", "v": "юй", "ve": "юэ",
          "van": "юань", "vn": "юнь"}
# Syllables without an initial, as pinyin writes them.
ZERO_INITIAL = {"a": "а", "ai": "ай", "an": "ань", "ang": "ан", "ao": "ао", "e": "э", "ei": "эй", "en": "энь",
                "eng": "эн", "er": "эр", "o": "о", "ou": "оу", "yi": "и", "ya": "я", "yao": "яо", "ye": "е",
                "you": "ю", "yan": "янь", "yin": "инь", "yang": "ян", "ying": "ин", "yong": "юн", "wu": "у",
                "wa": "ва", "wo": "во", "wai": "вай", "wei": "вэй", "wan": "вань", "wen": "вэнь", "wang": "ван",
                "weng": "вэн", "yu": "юй", "yue": "юэ", "yuan": "юань", "yun": "юнь"}
# Family names in pinyin, as names.ZH_SURNAMES, and a few more common ones.
SURNAMES = {
    "wang", "li", "zhang", "liu", "chen", "yang", "zhao", "huang", "zhou", "wu", "xu", "sun", "hu", "zhu", "gao",
    "lin", "guo", "ma", "luo", "liang", "song", "zheng", "xie", "han", "tang", "feng", "yu", "dong", "xiao",
    "cheng", "cao", "yuan", "deng", "fu", "shen", "zeng", "peng", "lu", "su", "jiang", "cai", "jia", "ding",
    "wei", "xue", "ye", "yan", "pan", "du", "dai", "xia", "zhong", "tian", "ren", "fan", "fang", "shi", "yao",
    "tan", "liao", "zou", "xiong", "jin", "hao", "kong", "bai", "cui", "kang", "mao", "qiu", "qin", "gu", "hou",
    "shao", "meng", "wan", "duan", "qian", "yin", "yi", "chang", "qiao", "lai", "gong", "wen", "xi", "he",
    "geng", "zhai", "niu", "mei", "lei", "long", "tao", "bao", "ji", "shu", "zhan", "nie", "ning", "ou",
}


# Every pinyin syllable without tones (the readings in pypinyin 0.55's dictionary).
PINYIN_SYLLABLES = (
    "a ai an ang ao ba bai ban bang bao bei ben beng bi bian biang biao bie bin bing bo bong bu ca cai "
    "can cang cao ce cei cen ceng cha chai chan chang chao che chen cheng chi chong chou chu chua chuai "
    "chuan chuang chui chun chuo ci cong cou cu cuan cui cun cuo da dai dan dang dao de dei den deng di "
    "dia dian diao die din ding diu dong dou du duan dui dun duo e en eng er fa fan fang fei fen feng "
    "fiao fo fou fu ga gai gan gang gao ge gei gen geng gong gou gu gua guai guan guang gui gun guo ha "
    "hai han hang hao he hei hen heng hong hou hu hua huai huan huang hui hun huo ji jia jian jiang jiao "
    "jie jin jing jiong jiu ju juan jue jun ka kai kan kang kao ke kei ken keng kong kou ku kua kuai "
    "kuan kuang kui kun kuo la lai lan lang lao le lei len leng li lia lian liang liao lie lin ling liu "
    "lo long lou lu luan lun luo lv lve ma mai man mang mao me mei men meng mi mian miao mie min ming "
    "miu mo mou mu na nai nan nang nao ne nei nen neng ni nia nian niang niao nie nin ning niu nong nou "
    "nu nuan nun nuo nv nve o ou pa pai pan pang pao pei pen peng pi pian piao pie pin ping po pou pu qi "
    "qia qian qiang qiao qie qin qing qiong qiu qu quan que qun ran rang rao re ren reng ri rong rou ru "
    "rua ruan rui run ruo sa sai san sang sao se sen seng sha shai shan shang shao she shei shen sheng "
    "shi shou shu shua shuai shuan shuang shui shun shuo si song sou su suan sui sun suo ta tai tan tang "
    "tao te tei teng ti tian tiao tie ting tong tou tu tuan tui tun tuo wa wai wan wang wei wen weng wo "
    "wong wu xi xia xian xiang xiao xie xin xing xiong xiu xu xuan xue xun ya yan yang yao ye yi yin "
    "ying yo yong you yu yuan yue yun za zai zan zang zao ze zei zen zeng zha zhai zhan zhang zhao zhe "
    "zhei zhen zheng zhi zhong zhou zhu zhua zhuai zhuan zhuang zhui zhun zhuo zi zong zou zu zuan zui "
    "zun zuo"
).split()
# Rare syllables that spell like a common one in Palladius (`lo` and `luo` are both `ло`): the common one wins.
RARE = {"lo", "yo", "bong", "biang", "fiao", "cei", "den", "din", "kei", "len", "nen", "tei", "wong", "zhei", "shei",
        "dei", "gei", "nia", "rua", "lve", "nve", "fou", "pou", "mou", "cou", "nou", "dia", "miu", "zen", "sei", "o"}


def _syllable(initial: str, final: str) -> str:
    """One pinyin syllable in Palladius."""
    if initial in ("j", "q", "x") and final.startswith("u"):
        final = "v" + final[1:]  # ju, que, xuan: the u is ü
    if initial in ("z", "c", "s") and final == "i":
        return INITIALS[initial] + "ы"  # zi, ci, si
    if initial in ("zh", "ch", "sh", "r") and final == "i":
        return INITIALS[initial] + "и"
    if initial == "h" and final == "ui":
        return "хуэй"
    return INITIALS[initial] + FINALS[final]


@lru_cache(maxsize=1)
def _to_pinyin() -> dict[str, str]:
    """Palladius syllable → pinyin, for every pinyin syllable (the common one where two spell alike)."""
    table: dict[str, str] = {}
    for pinyin in sorted(PINYIN_SYLLABLES, key=lambda p: p in RARE):
        if pinyin in ZERO_INITIAL:
            table.setdefault(ZERO_INITIAL[pinyin], pinyin)
            continue
        initial = next((i for i in ("zh", "ch", "sh") if pinyin.startswith(i)), pinyin[0])
        final = pinyin[len(initial):]
        if initial in INITIALS and final in FINALS:
            table.setdefault(_syllable(initial, final), pinyin)
    return table


@lru_cache(maxsize=1)
def _longest_first() -> tuple[str, ...]:
    return tuple(sorted(_to_pinyin(), key=len, reverse=True))


@lru_cache(maxsize=8192)
def _split(word: str) -> tuple[str, ...] | None:
    """A Cyrillic word as pinyin syllables. Palladius writes a given name without a break, so a
    word may split two ways (`Хунин`: hu-ning or hong-ying); the split with the fewest syllables
    without an initial wins (they are rarer inside a given name), then the longer syllables first."""
    splits = _splits(word)
    return min(splits, key=lambda p: sum(s[0] in "aeiouwy" for s in p)) if splits else None


@lru_cache(maxsize=8192)
def _splits(word: str) -> tuple[tuple[str, ...], ...]:
    if not word:
        return ((),)
    out = []
    for syllable in _longest_first():
        if word.startswith(syllable):
            out += [(_to_pinyin()[syllable], *rest) for rest in _splits(word[len(syllable):])]
    return tuple(out)


def to_pinyin(name: str) -> str | None:
    """`Чжан Дэцзян` → `zhang dejiang`; None when the name is not a Chinese one in Palladius."""
    words = re.sub(r"[^\w\s]", "", name.lower().replace("ё", "е")).split()  # `Ван И.` at a sentence end
    if not 2 <= len(words) <= 3:
        return None
    parts = [_split(w) for w in words]
    if any(not p for p in parts) or "".join(parts[0]) not in SURNAMES or len(parts[0]) != 1:
        return None
    if not 2 <= sum(len(p) for p in parts) <= 4 or any(len(p) > 2 for p in parts[1:]):
        return None
    return " ".join("".join(p) for p in parts)
