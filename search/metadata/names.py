"""Finding people's names in a sentence, per script, and telling them from places and titles.

Latin and Cyrillic text: runs of capitalised words (`CPV General Secretary To Lam`,
`Председатель ЦК КПРФ Геннадий Зюганов`) lose their leading titles, organisations, acronyms
and places (`Lào Thongloun Sisoulith` → `Thongloun Sisoulith`) and are cut at an organisation
word; what is left is a name when something vouches for it: a title or honorific just before,
a role in apposition after, or a Vietnamese family name as written. Chinese text: a title
followed by a name (`部长宋涛会见`), longest title first so that `书记处书记蔡奇` gives 蔡奇
and never the fragment 处书记.

Places come from the gazetteer (`search/data/places.json`, countries, capitals, provinces in
vi/en/zh/ru): a place is never a name.
"""

from __future__ import annotations

import importlib.util
import json
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from search.analysis.vietnamese import fold_accents
from search.data import load_json

VI_SURNAMES = {
    "nguyễn", "trần", "lê", "phạm", "hoàng", "huỳnh", "phan", "vũ", "võ", "đặng", "bùi", "đỗ", "hồ",
    "ngô", "dương", "lý", "đào", "đoàn", "đinh", "lâm", "mai", "trịnh", "trương", "hà", "lương", "tô",
    "tạ", "thái", "vương", "cao", "chu", "đàm", "kiều", "lưu", "quách", "tăng", "nông", "triệu",
    "hứa", "phùng", "khúc", "lại", "mạc", "châu", "tôn", "giáp", "doãn", "khổng", "lò", "y", "hầu",
    "âu", "lã", "lục", "ninh", "thân", "viên", "nghiêm", "la", "mẫn", "từ", "phí", "bế",
    # Sino-Vietnamese readings of Chinese family names (Tập Cận Bình, Lạc Huệ Ninh, Lật Chiến Thư)
    "tập", "lật", "lạc", "giang", "ôn", "tiền", "tống", "uông", "hàn", "mã", "đới", "hạ", "mạnh",
    "khương", "diệp", "tào", "bành", "ngụy", "tiết", "mao", "điền", "hoắc", "thẩm", "nhậm", "tưởng",
}
ZH_SURNAMES = {
    "wang", "li", "zhang", "liu", "chen", "yang", "zhao", "huang", "zhou", "wu", "xu", "sun", "hu",
    "zhu", "gao", "lin", "guo", "ma", "luo", "liang", "song", "zheng", "xie", "han", "tang", "feng",
    "yu", "dong", "xiao", "cheng", "cao", "yuan", "deng", "fu", "shen", "zeng", "peng", "lu", "su",
    "jiang", "cai", "jia", "ding", "wei", "xue", "ye", "yan", "pan", "du", "dai", "xia", "zhong",
    "tian", "ren", "fan", "fang", "shi", "yao", "tan", "liao", "zou", "xiong", "jin", "hao", "kong",
    "bai", "cui", "kang", "mao", "qiu", "qin", "gu", "hou", "shao", "meng", "wan", "duan", "qian",
    "yin", "yi", "chang", "qiao", "lai", "gong", "wen", "xi", "he",
}
SURNAMES_FOLDED = {fold_accents(s) for s in VI_SURNAMES} | ZH_SURNAMES

# Titles and honorifics: before a name they vouch for it; inside a capitalised run they are stripped.
TITLE_WORDS_LATIN = {
    # English
    "comrade", "mr", "mrs", "ms", "madam", "dr", "his", "her", "excellency", "h.e", "president", "vice",
    "chairman", "chairwoman", "chair", "chairperson", "deputy", "head", "minister", "secretary",
    "general", "first", "prime", "premier", "ambassador", "director", "member", "leader", "speaker",
    "senior", "permanent", "standing", "politburo", "secretariat", "foreign", "state", "party",
    "commission", "commissioner", "councillor", "counsellor", "consul", "governor", "mayor", "chief",
    "king", "queen", "prince", "samdech", "techo", "senator", "deputies", "lieutenant", "colonel",
    "major", "editor", "professor", "assistant", "executive", "honorary", "acting", "former", "top",
    "legislator", "spokesperson", "spokesman", "envoy", "officer", "official", "chancellor",
    "representative", "congressman", "congresswoman", "rep", "sen",
    # Vietnamese (capitalised at a title's start: `Tổng Bí thư`, `Chủ tịch`, `Thủ tướng` …)
    "đồng", "chí", "ngài", "ông", "bà", "tổng", "bí", "chủ", "phó", "thủ", "trưởng", "thứ", "đại",
    "sứ", "ủy", "uỷ", "viên", "thường", "trực", "giám", "đốc", "quốc", "thượng", "tướng",
    "trung", "thiếu", "chánh", "phòng", "nguyên", "các", "thư", "ký", "tham", "tán", "lãnh",
    "tiến", "sĩ", "giáo", "sư", "nhiệm", "tọa", "toạ", "bác", "chị", "nhất", "đặc", "phái",
    # Khmer honorifics before a name: Samdech Akka Moha Sena Padei Techo Hun Sen
    "akka", "moha", "sena", "padei", "thipadei", "krolahom", "bundit", "second", "third", "vice-president",
    "vice-chairman", "secretary-general", "deputy-head", "commander-in-chief", "commander", "general-secretary",
}
TITLE_WORDS_CYRILLIC = {
    "товарищ", "господин", "госпожа", "президент", "председатель", "председателя", "генеральный",
    "генерального", "секретарь", "секретаря", "первый", "первого", "премьер", "министр", "министра",
    "посол", "посла", "глава", "главы", "заместитель", "заместителя", "руководитель", "руководителя",
    "член", "члена", "депутат", "депутата", "лидер", "лидера", "спикер", "вице", "король", "губернатор",
    "мэр", "директор", "директора", "советник", "советника", "начальник", "начальника", "постоянный",
    "чрезвычайный", "полномочный", "почётный", "почетный", "бывший", "вице-президент",
    "премьер-министр", "премьер-министра", "вице-премьер",
}
# Words of organisations: a run containing one is cut there (`Ho Chi Minh City`, `Central Committee`).
ORG_WORDS_LATIN = {
    "party", "committee", "commission", "department", "ministry", "assembly", "council", "union",
    "front", "association", "academy", "university", "city", "province", "republic", "government",
    "office", "agency", "news", "daily", "times", "army", "people's", "peoples", "national",
    "central", "communist", "socialist", "democratic", "revolutionary", "federation", "kingdom",
    "embassy", "institute", "school", "group", "corporation", "company", "bank", "corp", "inc", "ltd", "plc",
    "llc", "gmbh", "cup", "liga", "utd", "fc", "club", "airlines", "airways", "motors", "holdings", "forum", "congress",
    "conference", "summit", "organisation", "organization", "foundation", "youth", "women's",
    "workers'", "workers", "league", "state", "states", "international", "world", "asean", "un",
    "mausoleum", "palace", "hall", "house", "square", "street", "road", "airport", "hotel", "park",
    "declaration", "treaty", "agreement", "initiative", "belt", "plan", "day", "week", "year",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january",
    "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december", "thought", "affairs", "political", "bureau", "building", "research",
    "chamber", "supreme", "privy", "standing", "presidium", "people", "senate", "parliament",
    "council's", "committee's", "party's", "commission's", "department's", "secretariat", "politburo",
    "academy's", "organisaiton", "organization's", "theoretical", "theory", "publicity", "publication", "relations",
    "security", "defence", "defense", "credit", "banque", "banco", "capital", "securities", "bancorp",
    "investments", "partners",
    # a company's own words (`Fox Filmed Entertainment`, `Societe Generale`): see COMPANY_WORDS
    "entertainment", "societe", "société", "generale", "générale", "generali", "holding", "pictures",
    "studios", "records", "industries", "enterprises", "communications", "technologies", "telecom",
    "petroleum", "pharmaceuticals", "electronics", "insurance", "assurance", "financial", "brothers",
    "external", "internal", "propaganda", "inspection", "policy", "economic",
    "culture", "trade", "fatherland", "liberation", "unity", "chinese", "vietnamese", "lao",
    "cambodian", "cuban", "russian", "japanese", "korean", "american", "british", "french",
    "german", "indian", "thai", "english", "mongolian", "european", "asian", "african",
    # kinds of places and bodies that follow their own name (`Fukuoka Prefecture`, `Japan-China Friendship`)
    "prefecture", "oblast", "county", "region", "municipality", "governorate", "territory", "friendship",
}
# Words that end a company's name: a run that ends in one names the company, not a person
# (`Fox Filmed Entertainment`; a name before them stays when a title follows: `Societe Generale
# Chairman Daniel Bouton`).
COMPANY_WORDS = {
    "entertainment", "societe", "société", "generale", "générale", "generali", "holding", "holdings",
    "pictures", "studios", "records", "industries", "enterprises", "communications", "technologies",
    "telecom", "petroleum", "pharmaceuticals", "electronics", "insurance", "assurance", "financial",
    "brothers", "group", "corporation", "company", "corp", "inc", "ltd", "plc", "llc", "gmbh", "bank",
    "bancorp", "securities", "capital", "investments", "partners", "motors", "airlines", "airways",
}
# Vietnamese organisation words: stripped at a run's front only (`Quốc`, `Nghĩa`, `Trung` are also given names).
ORG_WORDS_VI = {
    "đảng", "ban", "ủy", "uỷ", "hội", "viện", "học", "nhà", "mặt", "trận", "cộng", "hòa", "hoà",
    "liên", "nhân", "dân", "chính", "phủ", "quốc", "tỉnh", "thành", "huyện", "xã", "phường",
    "báo", "đài", "tạp", "công", "ty", "tập", "bệnh", "trường", "sở", "cục", "vụ", "tòa", "toà",
    "lăng", "phố", "đường", "cách", "mạng", "nghĩa", "thông", "tấn", "hiệp",
    "tháng", "ngày", "năm", "thứ", "sáng", "chiều", "tối", "theo", "tại", "trong", "ngoài",
    "cuộc", "tuyên", "bố", "chương", "trình", "kế", "hoạch", "dự", "án",
}
ORG_WORDS_CYRILLIC_STEMS = (
    "парти", "республик", "федерац", "дум", "совет", "комитет", "правительств", "министерств",
    "собрани", "фронт", "союз", "академ", "университет", "посольств", "газет", "агентств", "новост",
    "народн", "коммунистическ", "социалистическ", "трудов", "единая", "единой", "российск",
    "китайск", "вьетнамск", "лаосск", "кубинск", "корейск", "японск", "ассамбле", "центральн",
    "генеральн", "кпрф", "кпк", "кпв", "цк", "ндрл", "нрпл", "тпк", "кпя", "международн",
    "отдел", "департамент", "администрац", "кремл", "москв", "пекин", "ханой", "политбюро",
    "секретариат", "съезд", "конференц", "форум", "саммит", "пленум", "площад", "улиц", "проспект",
    "январ", "феврал", "март", "апрел", "июн", "июл", "август", "сентябр", "октябр",
    "ноябр", "декабр", "понедельник", "вторник", "сред", "четверг", "пятниц", "суббот", "воскресен",
    "государствен", "всекитайск", "госдум", "посл", "чрезвычайн", "полномочн", "банк", "компарти",
    "палат", "совфед", "вооруж", "сил", "администрац", "правлени", "фракци", "уезд", "провинци", "област", "края",
    "город",
    "народного", "демократическ", "революционн", "лениниз", "марксиз",
)
# Capitalised words that are never part of a foreign name in this field.
NOT_NAME_WORDS = {"united", "nước", "vietnam", "china", "laos", "russia", "cuba", "new", "great", "grand",
                  "northern", "southern", "eastern", "western", "north", "south", "east", "west", "excellency"}
STOPWORDS_LATIN = {
    "the", "a", "an", "on", "in", "at", "of", "and", "for", "with", "to", "from", "by", "during",
    "after", "before", "while", "when", "as", "this", "that", "these", "those", "it", "its", "he",
    "she", "they", "we", "his", "her", "their", "our", "also", "both", "meanwhile", "earlier",
    "later", "today", "yesterday", "tomorrow", "talking", "speaking", "welcoming", "receiving",
    "meeting", "according", "however", "besides", "regarding", "there", "here", "over", "under",
    "since", "about", "upon", "through", "between", "among", "within", "following", "but",
    "ngày", "sáng", "chiều", "tối", "trưa", "hôm", "nay", "qua", "tại", "trong", "theo", "cùng",
    "với", "và", "của", "cho", "khi", "sau", "trước", "tiếp", "đón", "nhân", "dịp", "thay", "mặt",
}
APPOSITION_AFTER = re.compile(
    r"^\s*[,–—(-]\s*(?:the\s+|a\s+|who\s+is\s+)?(?:president|chairman|chairwoman|chair|vice|deputy|head|minister|"
    r"secretary|general|ambassador|premier|director|member|leader|first|second|third|standing|politburo|prime|"
    r"speaker|senior|chief|governor|mayor|assistant|acting|former|envoy|special envoy|spokes|adviser|advisor|"
    r"chủ tịch|phó|tổng|bí thư|thủ tướng|bộ trưởng|thứ trưởng|trưởng|đại sứ|ủy viên|uỷ viên|giám đốc|"
    r"председател|президент|генеральн|секретар|министр|посол|глава|заместител|руководител|член|первый|"
    r"депутат|советник|бывш|спецпосланник|представител)",
    re.IGNORECASE,
)
# A Vietnamese title starting at a position (after a hyphen glued to a name: `Hồng-Chủ tịch`).
TITLE_AT = re.compile(r"(?:chủ tịch|phó|tổng|bí thư|thủ tướng|bộ trưởng|thứ trưởng|trưởng|giám đốc|đại sứ|"
                      r"ủy viên|uỷ viên|chánh|hiệu trưởng)(?!\w)", re.IGNORECASE)
# A title or honorific ending right before a run (Latin and Cyrillic scripts).
TITLE_BEFORE_WORDS = re.compile(
    r"(?<!\w)(?:đồng chí|đ/c|ngài|ông|bà|phu nhân|madame|spouse|wife|husband|супруг\w*|"
    r"tổng bí thư|bí thư|chủ tịch(?: nước| quốc hội)?|thủ tướng|bộ trưởng|"
    r"thứ trưởng|trưởng ban|phó trưởng ban|trưởng đoàn|đại sứ|ủy viên|uỷ viên|chủ nhiệm|tổng thống|"
    r"quốc vương|hoàng thân|phó chủ tịch|giám đốc|tổng thư ký|chủ tọa|nguyên|ngoại trưởng|nghị sĩ|nghị sỹ|"
    r"comrade|mr\.?|mrs\.?|ms\.?|madam|h\.e\.?|excellency|president|chairman|chairwoman|chairperson|"
    r"secretary|minister|ambassador|premier|director|member|leader|head|deputy|speaker|governor|king|"
    r"prime minister|secretary[- ]general|general secretary|vice president|vice chairman|led by|headed by|"
    r"met with|met|received|welcomed|hosted|"
    r"товарищ|господин|госпожа|президент\w*|председател\w*|секретар\w*|министр\w*|посол|посла|"
    r"глав\w*|заместител\w*|руководител\w*|член\w*|депутат\w*|лидер\w*|премьер\w*)(?!\w)",
    re.IGNORECASE,
)
# Between a title and the name it vouches for: the title's own words, an organisation, a country,
# a post (`Ambassador to Japan`, `Посол России во Вьетнаме`, `Đại sứ tại Nga`), never a
# conjunction or verb that starts another part of the clause (`ông … cho biết … Tiger Cup`).
GAP_BREAKS = re.compile(
    r"(?<!\w)(?:cho|và|hoặc|khi|nói|cho biết|rằng|là|thì|mà|nhưng|được|bị|đã|đang|sẽ|cũng|vừa|"
    r"and|or|when|said|says|that|was|were|is|are|had|has|have|will|after|before|during|"
    r"и|или|когда|сказал\w*|что|после)(?!\w)", re.IGNORECASE)
# A name right after a preposition of place is a place, whatever title came before (`ông tại Los Angeles`).
PLACE_PREPOSITION_BEFORE = re.compile(r"(?<!\w)(?:tại|ở|in|at|to|from|в|во|из)\s+$", re.IGNORECASE)
CITY_AFTER = re.compile(r"^\s+(?:City|city|Province|province)\b"
                        # a company (`Merrill Lynch and Co Inc`), a ward in brackets (`Lạc Long Quân (P11)`)
                        r"|^,?\s+(?:(?:and|&)\s+)?(?:Co|Cos|Inc|Corp|Corporation|Ltd|LLC|PLC|Plc|SA|AG|NV|GmbH|"
                        r"Group|Holdings|Bank)\b|^\s*\((?:P|Q|F)\.?\s?\d")
# `Nguyễn Thị Mai Lan (Than Cửa Ông), Văn Thị Thanh (Hà Nam)`: in a list whose brackets after names
# hold places, a bracket holds a team, province or party, not a person (a bracket alone after a
# name may be the same person's other spelling: `Chen Zhi (Trần Chí)`).
AFFILIATION_BEFORE = re.compile(r"[A-ZÀ-ỸĐ][^\W\d_]*\s*\($")
BRACKETED = re.compile(r"(?<=[^\W\d_])\s*\(([^()]{2,30})\)")
# The heads of names of places and bodies that are seldom named after the people an article is
# about (towns, border gates, companies, hotels, hospitals, schools, troupes, papers): after one of
# them, every mention of the name in the article is that place or body (streets, schools and
# awards named after people are left to the mention itself).
NOT_PERSON_HEAD = re.compile(
    r"(?<!\w)(?:thị trấn|(?<![\w-])(?:tt|bv|đh|cđ)\.?|cửa khẩu|hòn|đèo|cảng|công ty|cty|tổng công ty|tập đoàn|"
    r"ngân hàng|hãng|khách sạn|nhà hàng|bệnh viện|đại học|học viện|vũ đoàn|ban nhạc|nhóm nhạc|tờ|(?<!nhà )báo|tạp chí|"
    r"câu lạc bộ|clb|biệt thự|khu công nghiệp|kcn|cổ phần|tnhh|company|club|sản phẩm|trò chơi|"
    r"nhãn hiệu|thương hiệu|nhãn hàng|công ty con|công ty mẹ|liên doanh|"
    r"(?<!quay )(?<!xuất )(?<!diễn )phim)\s*$", re.IGNORECASE)
# Streets, wards and places named after people (`phố Lê Hồng Phong`, `công viên Tao Đàn`) are places.
CITY_BEFORE = re.compile(r"(?:(?<!\w)(?:thành phố|tp\.?|tỉnh|city of|province of|город|г\.|sân bay|airport|"
                         r"аэропорт\w*|đường|phố|phường|quận|huyện|xã|thôn|ấp|làng|xóm|công viên|chợ|cầu|"
                         r"trường|th|thcs|thpt|bệnh viện|khách sạn|sân vận động|svđ|ngõ|hẻm|sông|núi|hồ|đảo|vịnh|"
                         r"dinh|đền|chùa|nhà hát|công ty|cty|tổng công ty|tập đoàn|nhà máy|ngân hàng|hãng|"
                         r"câu lạc bộ|clb|đội|giải|cúp|khu công nghiệp|kcn|khu|street|road|avenue|club|company|"
                         r"năm|tết|xuân|nguyên đán|"  # the years of the sexagenary cycle: năm Bính Ngọ, Tết Giáp Thân
                         r"nhà hàng|cửa hàng|siêu thị|cổ phần|tnhh|"
                         # towns, border gates, islets, schools, hospitals, troupes, papers and works
                         # are named like people: the noun before the name says which it is
                         r"thị trấn|(?<![\w-])(?:tt|tx|kp|bv|đh|cđ)\.?|cửa khẩu|khu phố|hòn|đèo|bến|cảng|"
                         r"đại học|học viện|"
                         r"vũ đoàn|ban nhạc|nhóm nhạc|tờ|(?<!nhà )báo|tạp chí|(?<!quay )(?<!xuất )(?<!diễn )phim|"
                         r"sản phẩm|tác phẩm|"
                         r"tiểu thuyết|truyện|vở|ca khúc|album|truyền thuyết|biệt thự|tòa nhà|toà nhà|"
                         # a school's level, a brand, a shop, a subsidiary: `Trường tiểu học Bồ Đề 2`,
                         # `chủ nhãn hiệu Hỷ Lâm Môn`, `quán Bồ Đề`, `công ty con Fox …`
                         r"tiểu học|trung học|mầm non|mẫu giáo|nhãn hiệu|thương hiệu|nhãn hàng|(?<!chủ )quán|tiệm|"
                         r"công ty con|công ty mẹ|liên doanh|"
                         r"улиц\w|проспект\w*)"
                         # a house number: `63 Nguyễn Huệ`, `56-66 Nguyễn Huệ`, `số 12A Lý Thường Kiệt` (not a year)
                         r"|(?<![\w/.,-])(?!(?:19|20)\d\d\s)\d{1,4}[A-Za-z]?(?:[/-]\d+[A-Za-z]?)*)\s*$",
                         re.IGNORECASE)
# Vietnamese organisations capitalise their first words only (`Đoàn Chủ tịch`, `Đoàn Luật sư`,
# `Tết Nguyên đán`, `Luật Doanh nghiệp`): a two-word "name" that starts with one of these heads and
# runs on into a lower-case word is an organisation, a law or a feast, not a person.
ORG_HEADS_VI = {"đoàn", "hội", "ban", "bộ", "sở", "luật", "tết", "giải", "cúp", "đội", "nhà", "khu", "viện",
                "trường", "hãng", "tổng", "liên", "câu", "ủy", "uỷ", "văn", "quỹ", "lễ", "phòng", "vụ", "cục"}
RUNS_ON_LOWER = re.compile(r"^ [a-zà-ỹđ]")
STREET_HEADS_VI = {"hàng", "ngõ", "phố", "ngách"}
# The sixty years of the sexagenary cycle (`Bính Ngọ`, `Giáp Thân`): stems and branches pair by parity.
_STEMS = ["giáp", "ất", "bính", "đinh", "mậu", "kỷ", "canh", "tân", "nhâm", "quý"]
_BRANCHES = ["tý", "sửu", "dần", "mão", "thìn", "tỵ", "ngọ", "mùi", "thân", "dậu", "tuất", "hợi"]
# Titles written capitalised as if they were names (`vua Hoàng Đế`, `Thượng Đế`).
TITLE_NOUNS_VI = {"hoàng đế", "thượng đế", "nữ hoàng", "hoàng hậu", "hoàng thái hậu", "thái hậu", "thái tử",
                  "hoàng tử", "công chúa", "giáo hoàng", "đức vua", "thái thượng hoàng", "đức phật", "thánh thần",
                  "chấp chính quan"}
SEXAGENARY_YEARS = {f"{_STEMS[i % 10]} {_BRANCHES[i % 12]}" for i in range(60)}
WORD = re.compile(r"[^\W\d_]+(?:[-’'.][^\W\d_]+)*\.?")
INITIALS_NAME = re.compile(r"\b([А-ЯЁA-Z]\.\s?(?:[А-ЯЁA-Z]\.\s?)?[А-ЯЁA-Z][а-яёa-z]+(?:-[А-ЯЁA-Z][а-яёa-z]+)?)"
                           r"(?![\w-])")
CYRILLIC = re.compile(r"[\u0400-\u04ff]")
HAN = re.compile(r"[\u3400-\u9fff]")

# --- Chinese ---------------------------------------------------------------------------------
# Text is matched in simplified characters (traditional is converted first, see people.py).
ZH_TITLES = sorted({
    "总书记", "书记处书记", "第一书记", "书记", "副书记", "常务书记", "国家主席", "主席", "副主席", "名誉主席",
    "荣誉主席", "总理", "副总理", "首相", "副首相", "委员长", "副委员长", "国务委员", "部长", "副部长",
    "部长助理", "外长", "外交部长", "大使", "总领事", "副总领事", "参赞", "主任", "副主任", "议长", "副议长",
    "总统", "副总统", "秘书长", "副秘书长", "团长", "副团长", "委员", "常委", "政治局委员", "政治局常委",
    "中央委员", "同志", "先生", "女士", "阁下", "市长", "副市长", "省长", "州长", "局长", "会长", "副会长",
    "理事长", "院长", "司长", "处长", "执行主席", "总干事", "国王", "亲王", "首席", "总裁", "董事长", "党首",
    "干事长", "领袖", "发言人", "学者", "教授", "社长", "议员", "前总理", "国会议员", "大将", "上将", "将军",
    "副手", "特使", "夫人", "博士", "医生", "总统府秘书长", "常务副主任", "常务副市长", "民意代表", "国务卿",
    "外相", "防长", "总督", "国务部长", "副国务卿", "领事", "首席执行长", "候任副主席",
}, key=len, reverse=True)
_ZH_TITLE_ALT = "|".join(map(re.escape, ZH_TITLES))
ZH_TITLE = re.compile(f"(?:{_ZH_TITLE_ALT})(?:兼?(?:{_ZH_TITLE_ALT}))*")
# Common single-character family names (and the double ones): a name is the family name and one or two more.
ZH_FAMILY = set(
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余"
    "潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚庞樊兰"
    "殷施陶洪翟安颜倪严牛温芦季俞章鲁葛伍韦申尤毕聂焦柳邢岳齐梅莫庄辛管祝左涂谷祁舒耿牟卜詹关苗凌费纪靳盛童"
    "欧甄项曲游裴席卫屈鲍覃霍翁隋甘景单包司柏宁柯阮桂闵解强柴华车冉房边辜吉饶刁瞿戚丘古米池滕苑邬臧宫苟褚"
    "廉简娄符奚穆燕郎邸冀谈姬屠郜晏栾郁商蒙喻揭窦迟敖冷卓艾蓝巩井练仲乐虞卞封竺冼佟栗匡宗巫鞠荆谌桑岑习胥"
    "蔺雒连洛骆裴范")
ZH_DOUBLE_FAMILY = ("欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "令狐", "公孙", "慕容", "尉迟", "长孙")
# Characters of transliterated foreign names (通伦, 拉夫罗夫, 迪亚斯-卡内尔, 米格尔·安赫尔).
ZH_TRANSLIT = set(
    "阿埃艾安昂奥澳巴拔班邦保堡贝本比彼毕宾波伯博布查昌达戴丹道德登迪蒂丁东杜多俄厄恩尔法凡范菲费芬丰"
    "弗福富盖甘冈高戈格根贡古瓜圭哈海汉豪赫黑亨洪胡华怀惠霍基吉加贾杰捷金卡凯坎康考柯科克肯库夸奎拉莱赖兰"
    "朗劳勒雷蕾里理利莉丽连列林琳玲隆卢鲁路伦罗洛吕马玛迈麦曼芒毛梅门蒙孟米密敏明莫默姆穆纳娜乃奈南内尼"
    "涅宁纽努诺欧帕潘庞佩彭蓬皮平珀普奇齐乔切钦丘屈让热容瑞若萨赛塞桑瑟森沙山善尚舍什圣施斯松宋苏索"
    "塔泰坦汤唐特提廷通图土托瓦万旺威韦维温文沃乌伍西希锡席夏谢辛休许亚扬耶伊易因英尤于约扎泽詹兹佐卓哲"
    "朱冲芙黛妮琪娅纳厄舒绍瑙蒂桑坤索查颂吉雅沙哈姆夫科年耶契琴茨娃季叶延得翰约兹嘉霍曼莱玛丽蕾缪"
    "敦冯立")
ZH_SEPARATORS = "·•・-－‧"
# Never the third character of a name: a verb or particle that follows names (王毅会见, 黄平军已与 …).
ZH_AFTER_NAME = set("，、。；：,（(“”\"‘’《》和与同及在对时一率会表说指出强调介绍举并也就代陪等的了向为应分已以作"
                    "将还则于从到致共前来访同率领通医也即均各再又亦曾周下主星午上今昨")
ZH_LEADS = re.compile(r"以([\u4e00-\u9fff·•\-]{2,12}?)为(?:团长|首)")
ZH_BEFORE_PARTY = re.compile(r"([\u4e00-\u9fff]{2,3})(?=一行|率领|率团)")
# A name never contains a title or organisation word (rules out 处书记, 会主席, 中央委员会).
ZH_NOT_NAME = re.compile(
    r"书记|主席|部长|委员|总理|主任|大使|议长|总统|秘书|中央|政府|国家|人民|政治|代表|党|团|会|部|省|市|"
    r"县|区|局|院|处|厅|司|委|办|社|报|网|台|大学|国际|共和|联邦|合作|关系|发展|友好|领导|同志|一行|双方|"
    r"两党|两国|各国|我们|他们|表示|指出|会见|会谈|访问|出席|举行|期间|今天|昨天|日前|上午|下午|晚上|特使|通话|"
    r"问候|邀请|人员|工作|隆重|前来|拜访|外长|总书|兼|"
    # what a speaker does right after a title (`张氏梅同志强调`): a verb, never a name
    r"强调|认为|希望|欢迎|感谢|祝贺|重申|回顾|赞赏|同意|介绍|宣布|透露|称赞|赞扬|积极|高度"
)
# After a list of names, the formula of Xinhua reports for those who also attended (`王毅参加会见`).
ZH_ALSO_PRESENT = re.compile(r"(?:^|(?<=[，,。；;：:\s]))((?:[\u4e00-\u9fff·]{2,12}、)*[\u4e00-\u9fff·]{2,12}?)"
                             r"等?(?:参加|出席|陪同)了?(?:会见|会谈|会晤|活动)")
ZH_DOTS = "·•・‧"


def _han_name_at(text: str, i: int) -> str | None:
    """The name starting at text[i], if one does: a Chinese name (family name and one or two
    characters) or a transliterated foreign one (its characters, dots and dashes). A name never
    runs into a title (`苏林特使` is 苏林, the envoy)."""
    name = _han_name_at_untrimmed(text, i)
    if name and len(name) > 2:
        cut = next((k for k in range(2, len(name)) if name[k - 1] not in ZH_DOTS and ZH_TITLE.match(text, i + k)), None)
        if cut is not None:
            name = name[:cut]
    return name


def _dotted_name_at(text: str, i: int) -> str | None:
    """A transliterated name written with dots between its parts (`本勒·潘达努冯`, `维莱·拉坎丰`):
    the dots say where it is, whatever its characters, so each part runs to the next dot and the
    last one to the first character that follows names (punctuation, `会见`, `表示` …)."""
    parts, j = 0, i
    while True:
        k = j
        while k < len(text) and k - j < 8 and HAN.match(text[k]) and (k == j or text[k] not in ZH_AFTER_NAME):
            k += 1
        if k == j:
            return None
        parts += 1
        if k + 1 < len(text) and text[k] in ZH_DOTS + "-－" and HAN.match(text[k + 1]):
            j = k + 1
            continue
        first_dot = next((n for n in range(i, k) if text[n] in ZH_DOTS), None)
        if parts < 2 or first_dot is None or first_dot - i > 6:
            return None
        if k - j > 5:  # no clear end (`娜丽·西苏里抵达首都河内`): the last part is its name characters
            k = j
            while k < len(text) and text[k] in ZH_TRANSLIT:
                k += 1
            if k == j:
                return None
        return text[i:k]


def _han_name_at_untrimmed(text: str, i: int) -> str | None:
    if i >= len(text) or not HAN.match(text[i]):
        return None
    dotted = _dotted_name_at(text, i)
    if dotted:
        return dotted
    if text.startswith(ZH_DOUBLE_FAMILY, i):
        size = 3 if i + 3 < len(text) and HAN.match(text[i + 3]) and text[i + 3] not in ZH_AFTER_NAME else 2
        return text[i:i + 2 + size - 1]
    j = i
    while j < len(text) and j - i < 16 and (text[j] in ZH_TRANSLIT or (text[j] in ZH_SEPARATORS and j > i)):
        j += 1
    translit = text[i:j].rstrip(ZH_SEPARATORS)
    if text[i] in ZH_FAMILY:
        third = text[i + 2] if i + 2 < len(text) else ""
        size = 3 if third and HAN.match(third) and third not in ZH_AFTER_NAME else 2
        chinese = text[i:i + size]
        # A longer run of transliteration characters is a foreign name (苏发努冯, 马凯硕 is Chinese either way).
        if len(translit) > size and any(c in ZH_SEPARATORS for c in translit) or len(translit) >= 4:
            return translit
        return chinese if len(chinese) >= 2 else None
    return translit if len(translit.replace("·", "")) >= 2 else None


@dataclass
class Found:
    name: str
    start: int  # in the sentence
    end: int
    vouched: bool  # a title, honorific or apposition says this is a person


@lru_cache(maxsize=2)
def gazetteer(districts: bool = True) -> tuple[frozenset[str], frozenset[str]]:
    """(place names, lower-case; their first words): every form in every language (with or
    without Vietnam's districts)."""
    data = load_json("places.json")
    names: set[str] = set()
    for group in ("countries", "capitals", "provinces", "places", "organisations"):
        for row in data.get(group, []):
            for forms in row.values():
                if isinstance(forms, list):
                    names.update(f.lower() for f in forms)
    # (not for `is_major_place`: `Nam Cực`, Antarctica, ends the name `Nguyễn Nam Cực`)
    world = {_tones_new_style(n) for n in icu_countries()} if districts else set()
    if districts:
        names.update(vietnam_divisions())
    names.update([n.replace(" - ", "-") for n in names if " - " in n])  # Bà Rịa - Vũng Tàu, Bà Rịa-Vũng Tàu
    # Vietnamese transliterations glued or hyphenated (`Ả-rập`, `Ảrập`, `Xê-út`, `Xêút`)
    names.update([n.replace("-", "") for n in names | world if "-" in n and not CYRILLIC.search(n)])
    names = {_tones_new_style(n) for n in names}
    folded = {fold_accents(n) for n in names}  # matched only by text written without marks
    declined = {normalise_cyrillic(n).lower() for n in names if CYRILLIC.search(n)}  # Кубы, Монголии
    # The world's countries are matched as named, and declined only by the look-up (`Ливана`), never
    # by cutting their own endings: `Гана` cut is `Ган` (Цинь Ган).
    every = names | folded | declined | world | {fold_accents(n) for n in world}
    return frozenset(every), frozenset(n.split()[0] for n in every if n)


def icu_countries() -> set[str]:
    """Every country and territory ICU knows (ISO 3166), named in en, vi, zh and ru, lower-case:
    the world beyond the field's countries in places.json (`Jordan`, `Li-băng`, `Ливан`). A
    Vietnamese name written with a hyphen is also written with a space (`Li Băng`)."""
    import icu

    names: set[str] = set()
    languages = [icu.Locale(code) for code in ("en", "vi", "zh", "ru")]
    for country in icu.Locale.getISOCountries():
        region = icu.Locale("", country)
        for language in languages:
            name = region.getDisplayCountry(language).lower()
            if name and name != country.lower():
                names.update({name, name.replace("-", " ")})
    return names


@lru_cache(maxsize=65536)
def is_major_place(text: str) -> bool:
    """A country, capital, province or the like, not a district: many Vietnamese names end in two
    words that also name a district (`Nguyễn Phú Bình`, Phú Bình district), none in a province's."""
    places, _ = gazetteer(districts=False)
    return _place_key(text) in places


# Administrative units' kinds, cut from their names (`Huyện Gia Lâm` → `Gia Lâm`).
_DIVISION_KIND = re.compile(r"^(?:thành phố|tỉnh|quận|huyện|thị xã|huyện đảo)\s+", re.IGNORECASE)


def vietnam_divisions() -> set[str]:
    """Vietnam's provinces and districts (63 and 696, before the 2025 reform, the names news of
    every year uses), lower-case, with and without their kind: the data file of the
    `vietnam-provinces` package (General Statistics Office codes), read without importing it."""
    spec = importlib.util.find_spec("vietnam_provinces")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("the gazetteer needs the vietnam-provinces package (pyproject.toml dependencies)")
    path = Path(spec.submodule_search_locations[0]) / "data" / "nested-divisions.json"
    names: set[str] = set()
    for province in json.loads(path.read_text("utf-8")):
        for unit in [province, *province.get("districts", [])]:
            full = unit["name"].lower()
            short = _DIVISION_KIND.sub("", full)
            if any(ch.isalpha() for ch in short):  # not `Quận 1`
                names.update({full, short})
    return names


_WARD_KIND = re.compile(r"^(?:phường|xã|thị trấn)\s+", re.IGNORECASE)


@lru_cache(maxsize=1)
def vietnam_wards() -> frozenset[str]:
    """Vietnam's ~10,000 wards, communes and towns (same data file), lower-case, without their
    kind (`Hạ Đình`, `Vĩnh Xương`, `Dương Đông`). Not places outright: many are named after
    people (`Trần Hưng Đạo`, `Lê Lợi`), so `latin_names` asks for a title before one of them."""
    spec = importlib.util.find_spec("vietnam_provinces")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("the gazetteer needs the vietnam-provinces package (pyproject.toml dependencies)")
    path = Path(spec.submodule_search_locations[0]) / "data" / "nested-divisions.json"
    names = set()
    for province in json.loads(path.read_text("utf-8")):
        for district in province.get("districts", []):
            for ward in district.get("wards", []):
                short = _WARD_KIND.sub("", ward["name"].lower())
                if any(ch.isalpha() for ch in short):  # not `Phường 12`
                    names.add(_tones_new_style(short))
    return frozenset(names)


@lru_cache(maxsize=65536)
def is_ward(text: str) -> bool:
    """A ward, commune or town of Vietnam, marks agreeing (`Hạ Đình`; not `Ha Dinh`)."""
    return _place_key(text) in vietnam_wards()


@lru_cache(maxsize=65536)
def is_place(text: str) -> bool:
    """A gazetteer place. Written with marks, the marks must agree (`Trương Đình` is not the street
    `Trương Định`); written without, any place folding to it (`Ha Noi`)."""
    places, _ = gazetteer()
    low = _place_key(text)
    return low in places or (CYRILLIC.search(low) is not None and normalise_cyrillic(low) in places)


# Old and new placement of the tone mark on a closing `oa`, `oe`, `uy` (`Khánh Hoà` = `Khánh Hòa`,
# `Thuỷ` = `Thủy`; `quý` keeps its mark, `qu` being one consonant).
_TONE_PAIRS = {vowels[0] + mark: ("òóỏõọ" if vowels[0] == "o" else "ùúủũụ")[i]
               for vowels, marks in (("oa", "àáảãạ"), ("oe", "èéẻẽẹ"), ("uy", "ỳýỷỹỵ")) for i, mark in enumerate(marks)}
_OLD_TONE_PAIR = re.compile(r"(?<![qQ])(" + "|".join(_TONE_PAIRS) + r")(?!\w)")


def _tones_new_style(text: str) -> str:
    """`hoà` → `hòa`, `thuỷ` → `thủy`: the tone on the first vowel of a closing `oa`/`oe`/`uy`."""
    return _OLD_TONE_PAIR.sub(lambda m: _TONE_PAIRS[m.group(1)] + m.group(1)[1].translate(_UNMARK), text)


_UNMARK = str.maketrans("àáảãạèéẻẽẹỳýỷỹỵ", "aaaaaeeeeeyyyyy")


def _place_key(text: str) -> str:
    return _tones_new_style(text.lower().strip(" .,"))


def normalise_cyrillic(word: str) -> str:
    """A Russian name or place word in the nominative, roughly: `Зюгановым` → `Зюганов`, `Геннадием`
    → `Геннадий`, `Вьетнама` → `Вьетнам`, `Китае` → `Китай`. Only for matching, never displayed as found."""
    if not CYRILLIC.search(word) or len(word) <= 2 or " " in word:
        return " ".join(normalise_cyrillic(w) for w in word.split()) if " " in word else word
    w = word
    for pattern, repl in _RU_ENDINGS:
        new = pattern.sub(repl, w)
        if new != w:
            return new
    return w


_RU_ENDINGS = [
    (re.compile(r"ь$"), ""),  # Мигель = Мигел(ем)
    (re.compile(r"(ов|ев|ёв|ин|ын)(а|у|ым|е|ом)$"), r"\1"),
    (re.compile(r"(ск)(ого|ому|им|ом)$"), r"\1ий"),
    (re.compile(r"и(ем|ю|я|и)$"), "ий"),
    (re.compile(r"([аеоуэ])(ем|ю|я|е)$"), r"\1й"),
    (re.compile(r"([бвгджзклмнпрстфхцчшщ])(ой|ою|ом|ем|а|у|е|ы)$"), r"\1"),
]


@lru_cache(maxsize=65536)
def _is_org_word(word: str, leading: bool = False) -> bool:
    low = word.lower().rstrip(".")
    if CYRILLIC.search(low):
        return _cyrillic_org(low)
    return low in ORG_WORDS_LATIN or (leading and low in ORG_WORDS_VI)


# The month of May is a whole word: the stem would take `Майк` (Mike) and `Майкл` for it.
_MAY = {"май", "мая", "мае", "маю", "маем"}


def _cyrillic_org(low: str) -> bool:
    return low.startswith(ORG_WORDS_CYRILLIC_STEMS) or low in _MAY


@lru_cache(maxsize=65536)
def _is_title_word(word: str) -> bool:
    low = word.lower().rstrip(".")
    if CYRILLIC.search(low):
        return low in TITLE_WORDS_CYRILLIC or low.startswith(("председател", "секретар", "министр", "заместител"))
    return low in TITLE_WORDS_LATIN


@lru_cache(maxsize=65536)
def _is_acronym(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


# Capitalised words only, found by one regex: most words of a sentence are lower-case and never
# reach Python. A word does not start inside another (`iPhone`, `e-Government`, `3G`), as with WORD.
_UPPER = "".join(sorted({ch for code in range(0x41, 0x2000) if (ch := chr(code)).isupper()}))
CAPITALISED_WORD = re.compile(r"(?<![^\W\d_])(?<![^\W\d_][-’'.])[" + re.escape(_UPPER) + r"][^\W\d_]*"
                              r"(?:[-’'.][^\W\d_]+)*\.?")


def capitalised_runs(sentence: str):
    """Runs of capitalised words separated by single spaces (or `-`): lists of regex matches."""
    run: list[re.Match] = []
    for m in CAPITALISED_WORD.finditer(sentence):
        if run and sentence[run[-1].end():m.start()] in (" ", "\u00a0"):
            run.append(m)
            continue
        if run:
            yield run
        run = [m]
    if run:
        yield run


def _strip_run(sentence: str, run: list[re.Match]) -> tuple[list[re.Match], bool]:
    """Drop leading titles, organisations, acronyms, places and stop words, then keep what
    follows the last of them (`Party Central Committee's Secretariat Vo Van Thuong` → `Vo Van
    Thuong`). Returns (name words, whether a title was dropped)."""
    titled = False
    words = list(run)
    while words:
        w = words[0].group(0)
        low = w.lower().rstrip(".")
        if _admin_unit_at_front(words):
            return [], titled  # `UBND H.Dương Minh Châu`, `P. Long Bình`: a district or ward, abbreviated
        if low in PLACE_PREPOSITIONS_VI and len(words) >= 2 and (
                low != "từ" or _is_place_or_ward(words[1:5]) or (len(words) == 2 and _foreign_word(words[1].group(0)))):
            # `Từ U Minh đến Cần Thơ`, `Từ Barcelona đến Newcastle`, `Ở Hà Nội`: from, at a place
            # (`Từ` is also a family name: only before a place, or one foreign word)
            return [], titled
        # A place or organisation at the front, before any title word in it is taken for a title
        # (`Bà Rịa-Vũng Tàu`, `Liên Hợp Quốc Kofi Annan`): the longest gazetteer phrase here.
        if _starts_place(low):
            n = next((n for n in range(min(4, len(words)), 0, -1)
                      if is_place(" ".join(m.group(0) for m in words[:n]))), 0)
            if n:
                words = words[n:]
                continue
        if _is_title_word(w) and not (low == "đồng" and (len(words) < 2 or words[1].group(0).lower() != "chí")
                                      and not sentence[:words[0].start()].rstrip().lower().endswith("hội")):
            titled = True
            words.pop(0)
            continue
        if low in STOPWORDS_LATIN and not (len(words) >= 2 and _vi_surname(w)):
            words.pop(0)  # `To` is a stop word, but `To Lam` a name
            continue
        if _is_acronym(w) or _is_org_word(w, leading=True):
            words.pop(0)
            continue
        n = _brand_words_at_front(tuple(m.group(0) for m in words[:3]))
        if n and len(words) - n >= 2:  # `Microsoft Bill Gates`: the company, then its chairman
            words = words[n:]
            # `Viettel Mobile Tống Viết Trung`: the company's name runs on to a Vietnamese name
            vi = next((i for i, m in enumerate(words) if i and not m.group(0).isascii()
                       and _vi_surname(m.group(0)) and 2 <= len(words) - i <= 4), None)
            if vi is not None and not _vi_surname(words[0].group(0)):
                words = words[vi:]
            continue
        break
    # What follows the last organisation word, acronym or title (English word order: title, then name).
    breaks = [i for i, m in enumerate(words) if _breaks_name(m.group(0))]
    if breaks:
        last = breaks[-1]
        if len(words) - last - 1 >= 2:
            titled = titled or any(_is_title_word(words[i].group(0)) for i in breaks)
            words = words[last + 1:]
            while words and words[0].group(0).lower() in STOPWORDS_LATIN and not _vi_surname(words[0].group(0)):
                words.pop(0)
        elif any(words[i].group(0).lower().rstrip(".") in COMPANY_WORDS for i in breaks):
            return [], titled  # `Fox Filmed Entertainment`: the run names a company
        else:
            words = words[:breaks[0]]
    # A trailing place after a foreign name (`Hun Sen Campuchia`); Vietnamese given names may be places (Anh).
    while len(words) > 2 and not _vi_surname(words[0].group(0)) and is_place(words[-1].group(0)):
        words = words[:-1]
    # A long Vietnamese run holds two names or a place and a name: keep the last name.
    if len(words) > 4:
        starts = [i for i, m in enumerate(words) if _vi_surname(m.group(0)) and 2 <= len(words) - i <= 4]
        if starts:
            words = words[starts[-1]:]
    return words, titled


# Kinds of places written capitalised at the front of their name (none a family name).
PLACE_KIND_HEADS_VI = {"đền", "chùa", "miếu", "núi", "sông", "vịnh", "chợ", "phố", "thác", "đèo", "hang", "lăng"}
# Abbreviated kinds of Vietnam's administrative units before a name (`H.` huyện, `Q.` quận,
# `P.` phường, `X.` xã, `TX.` thị xã, `TP.` thành phố, `TT.` thị trấn), glued or not.
ADMIN_ABBREVIATION = re.compile(r"^(?:H|Q|P|X|TX|TP|Tp|TT)\.(?=([^\W\d_]*))")
# Prepositions of place a capitalised run may start with (a title's first word: `Từ U Minh đến …`).
PLACE_PREPOSITIONS_VI = {"từ", "tại", "ở", "đến", "tới", "sang"}


def _is_place_or_ward(words: list[re.Match]) -> bool:
    """Whether the first words (up to four) of a run name a gazetteer place or a Vietnamese ward."""
    texts = [m.group(0).rstrip(".") for m in words]
    return any(is_place(" ".join(texts[:n])) or is_ward(" ".join(texts[:n])) for n in range(len(texts), 0, -1))


def _foreign_word(word: str) -> bool:
    """Neither a Vietnamese family name nor a Vietnamese syllable written without marks (`Barcelona`)."""
    return not _vi_surname(word) and not VI_SYLLABLE_ASCII.fullmatch(word.lower())


def _admin_unit_at_front(words: list[re.Match]) -> bool:
    """`H.Dương Minh Châu` (glued: a unit whatever follows, a person's initial is never glued to a
    name of two more words), `P. Long Bình` (apart: when a place or ward follows, or a word with
    Vietnamese marks)."""
    m = ADMIN_ABBREVIATION.match(words[0].group(0)) if words else None
    if m is None:
        return False
    glued = m.group(1)
    if len(glued) >= 2 and any(ch.islower() for ch in glued):  # not `H.E.` (His Excellency)
        return len(words) >= 2
    if glued:
        return False
    rest = words[1:5]
    return bool(rest) and (_is_place_or_ward(rest) or not rest[0].group(0).isascii())


@lru_cache(maxsize=65536)
def _starts_place(low: str) -> bool:
    """Whether a lower-case word is the first word of a gazetteer place, in any of its spellings."""
    _, first_words = gazetteer()
    low = _tones_new_style(low)
    return low in first_words or (CYRILLIC.search(low) is not None and normalise_cyrillic(low).lower() in first_words)


@lru_cache(maxsize=1)
def _brands() -> tuple[frozenset[str], tuple[str, ...]]:
    data = load_json("brands.json")
    return frozenset(b.lower() for b in data["latin"]), tuple(data["cyrillic_stems"])


@lru_cache(maxsize=65536)
def _brand_words_at_front(words: tuple[str, ...]) -> int:
    """How many of the first words name a company or brand of `search/data/brands.json`
    (`Microsoft`, `Vietnam Airlines`, `Газпрома`), 0 when they do not."""
    latin, cyrillic_stems = _brands()
    first = words[0].lower().rstrip(".")
    if CYRILLIC.search(first):
        return 1 if first.startswith(cyrillic_stems) else 0
    for n in range(min(3, len(words)), 0, -1):
        if " ".join(words[:n]).lower() in latin:
            return n
    return 0


def _breaks_name(word: str) -> bool:
    """A word that cannot be inside a name: an organisation word, an acronym, a possessive."""
    low = word.lower().rstrip(".")
    if low.endswith(("'s", "’s")):
        return True
    if CYRILLIC.search(low):
        return _cyrillic_org(low) or _is_acronym(word)
    return low in ORG_WORDS_LATIN or _is_acronym(word) or (
        low in TITLE_WORDS_LATIN and low in ENGLISH_TITLES)


ENGLISH_TITLES = {"president", "chairman", "chairwoman", "secretary", "minister", "general", "premier",
                  "ambassador", "director", "head", "deputy", "vice", "chief", "member", "leader", "speaker",
                  "comrade", "mr", "mrs", "ms", "excellency", "h.e", "chair", "governor", "mayor", "king",
                  "prince", "samdech", "techo", "akka", "moha", "sena", "padei", "commander", "senior", "first",
                  "second", "permanent", "standing", "foreign", "prime", "politburo", "secretariat"}


def latin_names(sentence: str, vietnamese, runs: list | None = None,
                not_people: list[str] | None = None) -> list[Found]:
    """Names in Latin or Cyrillic script in one sentence (`runs`: its capitalised runs, if known).
    `vietnamese`: whether the sentence is Vietnamese, or a function of the sentence telling it,
    called only when a name needs it. `not_people`, if given, receives the names the context
    showed to be a place, a company or a work (`thị trấn Dương Đông`, `Merrill Lynch and Co`), so
    that the caller can leave out their other mentions in the same article."""
    found = []
    for run in capitalised_runs(sentence) if runs is None else runs:
        if len(run) < 2:
            continue  # a name has two words at least (one-word names come from the registry)
        words, titled = _strip_run(sentence, run)
        if len(words) < 2:
            continue
        words = words[:4]
        texts = [m.group(0).rstrip(".") for m in words]
        glued = texts[-1].find("-")
        if glued > 0 and TITLE_AT.match(sentence, words[-1].start() + glued + 1):
            texts[-1] = texts[-1][:glued]  # `ông Vũ Xuân Hồng-Chủ tịch Liên hiệp …`: a title glued by a hyphen
        dot = texts[-1].find(".")
        if dot >= 2 and texts[-1][dot - 1].islower() and texts[-1][dot + 1:dot + 2].isupper():
            texts[-1] = texts[-1][:dot]  # `Nguyễn Văn Hiên.Kỳ này …`: a sentence's end without its space
        if len(texts[-1]) == 1 and texts[-1].isupper() and words[-1].group(0).endswith(".") \
                and not sentence[words[-1].end():words[-1].end() + 2].lstrip()[:1].isupper():
            # `Trương Thị Kim Q.`: a name the paper withheld (a victim, a suspect), not a delegate
            # (`Trần Đông A,` and `Nguyễn Thị Như Ý` are whole names; `George W. Bush` goes on)
            continue
        name = " ".join(texts)
        if is_place(name) or any(is_place(t) and len(t) > 3 and not _vi_surname(t) for t in texts[:1]) \
                or (len(texts) > 2 and is_major_place(" ".join(texts[-2:]))):  # Hoàng Anh Gia Lai is a club
            continue
        start, end = words[0].start(), words[-1].end() - (len(words[-1].group(0)) - len(texts[-1]))
        particle = NAME_PARTICLE_BEFORE.search(sentence, max(0, start - 30), start) if start else None
        if particle and not _is_title_word(particle.group(0).split()[0]):
            start = particle.start()  # `Jaap de Hoop Scheffer`, not `Hoop Scheffer`
            texts = sentence[start:end].split()
            name = " ".join(texts)
        if len(texts) == 2 and (texts[0].lower() in ORG_HEADS_VI or texts[1].lower() in TITLE_WORDS_LATIN) \
                and RUNS_ON_LOWER.match(sentence[end:end + 2]):
            continue  # Đoàn Chủ tịch, Đoàn Luật sư, Hồ Chủ tịch: an organisation or a title, cut short
        low = name.lower()
        if texts[0].lower() in PLACE_KIND_HEADS_VI and not _vi_surname(texts[0]):
            continue  # `Đền Yasukuni`, `Chùa Hương`, `Núi Sam`: the kind of place, capitalised
        if "-" in name and any(is_place(part.strip()) for part in name.split("-") if " " in part.strip()):
            continue  # `Hà Nội-Sài Gòn`: a route between two places
        if low in SEXAGENARY_YEARS or low in TITLE_NOUNS_VI:
            continue  # Bính Ngọ, Giáp Thân: a year; Hoàng Đế, Thượng Đế: a title
        if texts[0].lower() in STREET_HEADS_VI:
            continue  # Hàng Đậu, Hàng Bài: Hanoi's old streets are named after their trades
        before = sentence[:start]
        if CITY_AFTER.match(sentence[end:]) or CITY_BEFORE.search(before[-16:]) or (
                sentence[end:end + 1] == ")" and AFFILIATION_BEFORE.search(before[-40:])
                and any(is_place(b.group(1)) for b in BRACKETED.finditer(sentence))):
            if not_people is not None and (not CITY_AFTER.match(sentence[end:]) or "(" not in sentence[end:end + 3]) \
                    and (NOT_PERSON_HEAD.search(before[-16:]) or not CITY_BEFORE.search(before[-16:])):
                not_people.append(name)
            continue  # Ho Chi Minh City, thành phố Hồ Chí Minh, bệnh viện Từ Dũ, (Than Cửa Ông)
        vouched = None
        if is_ward(name):
            # Wards and communes are often named like people (`Hạ Đình`, `Vĩnh Xương`): only a
            # title or a role in apposition makes one a person.
            vouched = titled or bool(APPOSITION_AFTER.match(sentence[end:])) or (
                _title_before(before) and not _body_after_title(before))
            if not vouched:
                continue
        first = texts[0]
        if callable(vietnamese):
            vietnamese = vietnamese(sentence) if _vi_surname(first) and first.isascii() else vietnamese
        if _vi_surname(first) and (not first.isascii() or vietnamese is True):
            found.append(Found(name, start, end, True))
            continue
        if vouched is None:
            vouched = titled or bool(APPOSITION_AFTER.match(sentence[end:])) or _title_before(before)
        if _vi_surname(first) and vouched:
            # Vietnamese name: the family name as written is strong evidence.
            found.append(Found(name, start, end, True))
        elif vouched and _plausible_foreign(texts):
            found.append(Found(name, start, end, True))
    for m in INITIALS_NAME.finditer(sentence):  # `Г.А. Зюганов`, `V.I. Lenin`, not the `W. Bush` of `George W. Bush`
        if not any(f.start <= m.start(1) < f.end for f in found) and _initials_name_ok(sentence, m, vietnamese):
            found.append(Found(m.group(1), m.start(1), m.end(1), True))
    return found


# A Vietnamese syllable written without marks (`Trong`, `Tuy`, `Nam`): after `Serie A.` or
# `cúm A.` in a Vietnamese sentence, the start of the next sentence, not the surname of `A.`.
VI_SYLLABLE_ASCII = re.compile(r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?"
                               r"(?:[aeiouy]{1,3})(?:ng|nh|ch|[cmnpt])?", re.IGNORECASE)


PREVIOUS_WORD = re.compile(r"([^\W\d_]+\.?) $")
# Particles inside a European name (`Jaap de Hoop Scheffer`): the run before them is the same name.
NAME_PARTICLE_BEFORE = re.compile(r"(?<![^\W\d_])[A-Z][a-z]+(?:-[A-Z][a-z]+)? "
                                  r"(?:de|van|von|der|den|ter|dos|del|bin|ibn)(?: (?:der|den|la|de))? $")


def _initials_name_ok(sentence: str, m: re.Match, vietnamese) -> bool:
    """`V.I. Lenin`, `A. Riedl`, not `U.K. Strike` (a country's initials), `A. The` or, in a
    Vietnamese sentence, `A. Trong` (`Serie A. Trong khi đó`)."""
    initials, _, word = m.group(1).rpartition(".")
    word = word.strip()
    letters = initials.replace(".", "").replace(" ", "")
    after = sentence[m.end(1):m.end(1) + 2]
    previous = PREVIOUS_WORD.search(sentence, 0, m.start(1))
    if word.lower() in STOPWORDS_LATIN or (len(letters) > 1 and is_place(letters)) \
            or (after[:1] == " " and after[1:].isupper()):  # `M.Nam Định`: the run goes on, a club
        return False
    if previous and previous.group(1)[:1].isupper() and not CYRILLIC.search(previous.group(1)) \
            and sentence[:previous.start(1)].strip(" \"'“(") and not sentence[:previous.start(1)].rstrip().endswith(
                (".", "!", "?", ":", "-", "–")) \
            and not _is_acronym(previous.group(1)) and not _is_title_word(previous.group(1)) \
            and not _is_org_word(previous.group(1)) and not is_place(previous.group(1)) \
            and not is_place(" ".join(sentence[:m.start(1)].split()[-2:])):
        # A middle initial (`George E. Pataki`) or the end of a club's name (`Yokohama F. Marinos`):
        # a person only when a title vouches for the whole (`Thống đốc George E. Pataki`).
        return _title_before(sentence[:previous.start(1)]) or bool(APPOSITION_AFTER.match(sentence[m.end(1):]))
    if VI_SYLLABLE_ASCII.fullmatch(word) and after[:1] == " " and after[1:].islower():
        vi = vietnamese(sentence) if callable(vietnamese) else vietnamese
        return vi is not True
    return True


def vouched_at(sentence: str, start: int, end: int) -> bool:
    """A title or honorific before the name at sentence[start:end], or a role in apposition after."""
    return bool(APPOSITION_AFTER.match(sentence[end:])) or _title_before(sentence[:start])


_CLAUSE_END = re.compile(r"[.;:!?\n]")


def _title_before(before: str) -> bool:
    """A title or honorific (a whole word) in the same clause, at most 70 characters before the
    name, with nothing between them that starts another part of the clause (GAP_BREAKS)."""
    window = before[-90:]
    ends = [m.end() for m in _CLAUSE_END.finditer(window)]
    if ends:
        window = window[ends[-1]:]
    window = window[-70:] if len(window) > 70 else window
    titles = list(TITLE_BEFORE_WORDS.finditer(window))
    if not titles:
        return False
    gaps = GAP_BREAKS.finditer(window, titles[-1].end())
    return all(_inside_a_body(window, m) for m in gaps) \
        and not PLACE_PREPOSITION_BEFORE.search(window, titles[-1].end())


# A body's kind between a title and a ward's name: the title is the head's, the ward ends the
# body's name (`Tổng giám đốc Công ty liên doanh Chế biến súc sản Long Bình`).
_BODY_NOUN = re.compile(r"(?<!\w)(?:công ty|cty|tập đoàn|xí nghiệp|nhà máy|hợp tác xã|htx|doanh nghiệp|"
                        r"ngân hàng|bệnh viện|trường|khách sạn|nhà hàng|quán|chợ|ubnd|hđnd|ủy ban|uỷ ban)(?!\w)",
                        re.IGNORECASE)


def _body_after_title(before: str) -> bool:
    window = before[-70:]
    titles = list(TITLE_BEFORE_WORDS.finditer(window))
    return bool(titles) and _BODY_NOUN.search(window, titles[-1].end()) is not None


_BODY_CONJUNCTION = re.compile(r"(?:và|and|и)", re.IGNORECASE)


def _inside_a_body(window: str, gap: re.Match) -> bool:
    """`Bộ trưởng Bộ Giáo dục và Thể thao Thongsalith …`: a conjunction between a lower-case word
    and a capitalised one joins the words of a ministry's name, not two people."""
    if not _BODY_CONJUNCTION.fullmatch(gap.group(0)):
        return False
    before, after = window[:gap.start()].split(), window[gap.end():].split()
    return bool(before and after) and before[-1][:1].islower() and after[0][:1].isupper()


@lru_cache(maxsize=1)
def _latin_fold_table() -> dict[int, str]:
    table = {}
    for code in [*range(0x00C0, 0x0250), *range(0x1E00, 0x1F00)]:
        ch = chr(code)
        base = "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))
        if len(base) == 1 and base != ch:
            table[code] = base
    table.update({ord("đ"): "d", ord("Đ"): "D"})
    return table


def fold_latin(text: str) -> str:
    """Latin letters without marks, one character for one (`Hoàng` → `Hoang`, `Đảng` → `Dang`): a
    single `str.translate`, many times faster than decomposing."""
    return text.translate(_latin_fold_table())


@lru_cache(maxsize=65536)
def _vi_surname(word: str) -> bool:
    low = word.lower()
    return low in VI_SURNAMES or (word.isascii() and low in SURNAMES_FOLDED)


def _plausible_foreign(texts: list[str]) -> bool:
    """Two to four words, none an organisation word, none a lone initial, not all capitals."""
    if not 2 <= len(texts) <= 4:
        return False
    last = len(texts) - 1  # a middle initial is part of a name (`George W. Bush`), a lone first or last one is not
    return not any(_is_org_word(t) or (_is_acronym(t) and len(t) > 1) or (len(t) < 2 and i in (0, last))
                   or is_place(t) or t.lower() in NOT_NAME_WORDS for i, t in enumerate(texts))


def han_names(sentence: str) -> list[Found]:
    """Chinese names: after a title (`部长宋涛`), before one (`李华新总领事`, `习近平总书记`), before
    `一行`/`率领`, and in `以…为团长`."""
    found: list[Found] = []

    def add(name: str | None, start: int) -> None:
        if name and _han_name_ok(name) and not any(f.start <= start < f.end for f in found):
            found.append(Found(name, start, start + len(name), True))

    for m in ZH_TITLE.finditer(sentence):
        add(_han_name_at(sentence, m.end()), m.end())
    for m in ZH_TITLE.finditer(sentence):
        add(*_han_name_before(sentence, m.start()))
    for m in ZH_ALSO_PRESENT.finditer(sentence):  # `王毅、张庆黎参加会见`
        start = m.start(1)
        for part in m.group(1).split("、"):
            name = _han_name_at(sentence, start)
            if name == part:
                add(name, start)
            start += len(part) + 1
    for pattern in (ZH_LEADS, ZH_BEFORE_PARTY):
        for m in pattern.finditer(sentence):
            name = _han_name_at(sentence, m.start(1))
            if name and len(name) >= len(m.group(1)) - 1:
                add(name, m.start(1))
    return found


def _han_name_before(text: str, end: int) -> tuple[str | None, int]:
    """A Chinese name ending right before a title: `李华新总领事`, `刘侃副总领事`, `王毅部长`."""
    for size in (3, 2):
        start = end - size
        if start < 0 or text[start] not in ZH_FAMILY:
            continue
        name = text[start:end]
        if all(HAN.match(c) for c in name) and not any(c in ZH_AFTER_NAME for c in name[1:]):
            return name, start
    return None, end


def _han_name_ok(name: str) -> bool:
    plain = "".join(c for c in name if c not in ZH_SEPARATORS)
    if not 2 <= len(plain) <= 14 or ZH_NOT_NAME.search(name):
        return False
    return not is_place(name) and not is_place(plain)
