"""Did a person take part, or is the person only cited? Cues in vi, en, zh and ru.

A mention takes part when its sentence reports a meeting, visit, talks, a delegation or an
event attended (`hội kiến`, `held talks`, `会见`, `встретился`, `во главе с`) and the mention
is not in a cited context: greetings conveyed (`chuyển lời thăm hỏi của …`, `转达…的问候`),
a party "with … at its core", an invitation, a message, a thought or teaching named after
someone. A person with at least one such mention is a delegate; anyone else found is
`mentioned`.
"""

from __future__ import annotations

import re

from search.metadata.names import ZH_TITLE

MEETING_CUE_PATTERNS = [
    # Vietnamese
    r"hội kiến", r"hội đàm", r"hội đàm trực tuyến", r"điện đàm", r"gặp gỡ", r"gặp mặt", r"\bgặp\b",
    r"\btiếp(?= (?:[A-ZĐÀ-Ỹ]|đoàn|xã giao|thân mật|ông|bà|ngài|các|đại|lãnh|cựu|nguyên|phó|trưởng|bộ))",
    r"làm việc với", r"làm việc tại", r"chào xã giao", r"chào từ biệt", r"thăm chính thức", r"thăm cấp nhà nước",
    r"chuyến thăm", r"\bthăm\b", r"đến thăm", r"sang thăm", r"dẫn đầu", r"trưởng đoàn", r"đoàn đại biểu",
    r"\bđoàn\b", r"tham dự", r"\bdự (?:hội|lễ|buổi|cuộc|phiên|tiệc|đại hội|chiêu đãi|kỷ niệm|và|họp|diễn đàn)",
    r"đến chào", r"chủ trì", r"đồng chủ trì", r"phát biểu", r"\bđón\b", r"\btiễn\b", r"tháp tùng", r"chứng kiến",
    r"\bký\b", r"trao đổi", r"cùng dự", r"có mặt", r"tọa đàm", r"toạ đàm", r"hội thảo", r"trò chuyện",
    r"tặng", r"\btrao\b", r"hội nghị", r"thảo luận", r"phía", r"tham gia", r"đồng hành", r"cùng đi",
    # English
    r"\bmet\b", r"\bmeets?\b", r"\bmeeting with\b", r"\breceived\b", r"\breceives?\b", r"\btalks\b",
    r"\bvisit(?:s|ed|ing)?\b", r"\bdelegation\b", r"\battend(?:s|ed|ing)?\b", r"\bchair(?:s|ed)\b",
    r"\bco-chair(?:s|ed)\b", r"\bhost(?:s|ed)\b", r"\bwelcom(?:e|ed|es|ing)\b", r"\bled by\b",
    r"\bleading\b", r"\bled\b", r"\bheaded by\b", r"\bheads?\b", r"\bphone call\b", r"\bspoke\b",
    r"\bsigned\b", r"\baccompan(?:ied|y|ying)\b", r"\bpresent\b", r"\baddress(?:ed|es)\b",
    r"\bspeech\b", r"\bcalled on\b", r"\bcourtesy call\b", r"\bconversation\b", r"\bexchanged\b",
    r"\bgreeted\b", r"\bdiscussed\b", r"\bparticipat", r"\bjoined\b", r"\bseminar\b", r"\bconference\b",
    r"\bside (?:were|was|included)\b", r"\bincluded\b", r"\battended by\b", r"\bwith the participation\b",
    r"\bheld\b", r"\bdinner\b", r"\breception\b", r"\btalked\b", r"\bdialogue\b", r"\bseen off\b",
    r"\bsaw (?:\w+ )?off\b", r"\bbade farewell\b",
    # Chinese
    r"会见", r"会谈", r"会晤", r"接见", r"见面", r"访问", r"出访", r"率团", r"率领", r"率", r"代表团",
    r"出席", r"主持", r"致辞", r"陪同", r"参加", r"座谈", r"通话", r"签署", r"接待", r"宴请",
    r"欢迎", r"拜会", r"看望", r"为团长", r"一行", r"在座", r"讲话", r"发言", r"交流", r"会面", r"晤",
    r"发布会", r"记者会", r"回答", r"宴会", r"仪式",
    r"面谈", r"交谈", r"对谈", r"来访", r"访华", r"到访", r"随访", r"随行", r"迎接", r"接机", r"款待", r"座谈",
    # Russian
    r"встрет\w*", r"встреч\w*", r"принял\w*(?! приглашени)", r"приня\w*(?! приглашени)", r"переговор\w*",
    r"визит\w*", r"посетил\w*",
    r"делегаци\w*", r"возглав\w*", r"во главе с", r"участ\w*", r"провел\w*", r"провёл\w*", r"бесед\w*",
    r"выступ\w*", r"председательств\w*", r"подписа\w*", r"прибыл\w*", r"обсудил\w*",
    r"приветствовал\w*", r"в сопровождении", r"присутствовал\w*", r"аудиенци\w*", r"возложил\w*",
    r"\bприм(?:ет|ут)\b", r"встретит\w*", r"проведет\w*", r"проведёт\w*", r"посетит\w*",
    r"пресс-конференц\w*", r"брифинг\w*", r"\bpress conference\b", r"họp báo",
]
MEETING_CUES = re.compile("|".join(MEETING_CUE_PATTERNS), re.IGNORECASE)
# Checking every sentence against one big alternation costs milliseconds; each cue has a literal
# start, found by a plain substring test first, so only the few cues that may match are run.
_LITERAL_START = re.compile(r"[^\\()\[\]?*+{}|.^$]+")


def _literal_start(pattern: str) -> str:
    """The characters every match of `pattern` starts with (`heads?` → `head`, `\\bmet\\b` → `met`)."""
    plain = pattern.replace(r"\b", "")
    literal = _LITERAL_START.match(plain)
    text = literal.group(0) if literal else ""
    if plain[len(text):len(text) + 1] in ("?", "*", "{"):
        text = text[:-1]  # the last character is optional
    return text.lower()


_CUES = [(_literal_start(p), re.compile(p, re.IGNORECASE)) for p in MEETING_CUE_PATTERNS]
# Before a name (same clause): it is cited, greeted or quoted from afar.
CITED_BEFORE = re.compile(
    "(?:" + "|".join([
        r"thăm hỏi", r"lời chào", r"lời chúc", r"chuyển lời", r"gửi lời", r"tư tưởng", r"di chúc", r"sinh thời",
        r"lời dạy", r"theo lời", r"điện mừng", r"thư chúc mừng", r"thư mừng", r"thiệp", r"lời mời của",
        r"lời mời", r"đứng đầu là", r"kế nhiệm", r"thông điệp", r"lễ tang",
        r"tang lễ", r"viếng", r"tưởng niệm", r"truy điệu", r"khẳng định của", r"ý kiến của", r"qua đời",
        r"funeral", r"passing of", r"death of", r"homage to", r"mourn\w*",
        r"entrusted by", r"guidance of", r"leadership of", r"late\b",
        r"(?:committee|party|government|cpv|cpc|lprp|cpp)[,]?\s+(?:headed|led) by",
        r"葬礼", r"吊唁", r"悼念", r"逝世",
        r"похорон\w*", r"прощани\w*", r"приглашени\w*",
        r"greetings?", r"regards", r"best wishes", r"at the invitation", r"invitation", r"message", r"letter",
        r"congratulat\w*", r"under the leadership", r"thought on", r"teachings?",
        r"condolences?", r"tribute to", r"memory of", r"legacy of", r"portrait of",
        r"转达", r"问候", r"致以", r"贺电", r"贺信", r"致电", r"致函", r"思想", r"领导下", r"指引",
        r"привет\w*", r"пожелани\w*", r"по приглашению", r"поздрав\w*", r"послани\w*", r"письм\w*",
        r"под руководством", r"памят\w*", r"соболезнован\w*",
    ]) + r")[^.;:!?。；\n]{0,110}$",
    re.IGNORECASE,
)
# "On behalf of X, Y said", "according to X", "envoy of X": X only, so no comma between cue and name
# (the envoy's own titles may be listed with commas in Vietnamese: `đặc phái viên của Tổng Bí thư, Chủ tịch nước X`).
CITED_ON_BEHALF = re.compile(
    r"(?:on behalf of|thay mặt|代表(?!团)|от имени|according to|по словам|据|theo|envoy of|"
    r"посланник\w* \w+)[^.;:!?。；\n,，、]{0,50}$"
    r"|(?:đặc phái viên của|envoy of|посланник\w*)[^.;:!?。；\n]{0,80}$", re.IGNORECASE)
# Right after a name: the same, written the other way round.
CITED_AFTER = re.compile(
    r"^[^.;:!?。；\n]{0,25}?(?:" + "|".join([
        r"đứng đầu", r"làm hạt nhân", r"từng nói", r"đã dạy", r"lúc sinh thời",
        r"at its core", r"'s (?:greetings|regards|message|letter|thought|invitation|instructions?|teachings)",
        r"’s (?:greetings|regards|message|letter|thought|invitation|instructions?|teachings)", r"Thought",
        r"的(?:亲切|诚挚|良好|热情)?(?:问候|祝愿|祝福|邀请|委托|贺电|贺信)", r"为核心", r"思想", r"邀请", r"委托",
        r"привет", r"поздравлени", r"的?(?:战略)?引领",
        r"向[^，。]{0,12}致(?:贺|信|电|函)", r"致(?:贺|信|电|函)", r"的指引", r"[’']s\b", r"逝世", r"去世",
        r"who passed away", r"qua đời", r"đã từ trần",
    ]) + ")",
    re.IGNORECASE,
)


# Right before a name: the late (`cố nhạc sĩ Trịnh Công Sơn`, `cố Tổng Bí thư`, `已故`, `покойный`) and the
# author of a work (`tác phẩm của Vũ Trọng Phụng`, `ca khúc … của nhạc sĩ X`): cited, not present.
_TITLE_OR_TRADE = (r"(?:[A-ZĐÀ-Ỹ][\w-]*|nhà|nhạc|sĩ|sỹ|văn|thơ|họa|hoạ|nghệ|đạo|diễn|giáo|sư|tướng|thủ|chủ|tịch|"
                   r"tổng|bí|thư|đại|ông|bà|tác|giả|soạn)")
LATE_OR_AUTHOR_BEFORE = re.compile(
    r"(?:(?<!\w)cố\s+(?:" + _TITLE_OR_TRADE + r"\s+){0,4}"
    r"|(?:tác phẩm|sáng tác|tiểu thuyết|ca khúc|bài hát|tình khúc|nhạc phẩm|bài thơ|tập thơ|kịch bản|"
    r"cuốn sách|bài báo)[^.;:!?\n]{0,60}? của\s+(?:" + _TITLE_OR_TRADE + r"\s+){0,3}"
    r"|已故|покойн\w*\s+(?:\w+\s+){0,2})$")


# Right after a Chinese name and its titles: `习近平总书记特使` (his envoy), `以苏林总书记为首`.
CITED_AFTER_TITLES = re.compile(r"^(?:[、，]?(?:" + ZH_TITLE.pattern + r"))*(?:同志)?的?(?:特使|为首|为核心)")


def is_participation_sentence(sentence: str) -> bool:
    low = sentence.lower()
    return any(start in low and cue.search(sentence) for start, cue in _CUES)


def is_cited(sentence: str, start: int, end: int) -> bool:
    """True when the mention at sentence[start:end] is in a cited context."""
    before = sentence[max(0, start - 130):start]
    return bool(CITED_BEFORE.search(before)) or bool(CITED_ON_BEHALF.search(before)) or \
        bool(LATE_OR_AUTHOR_BEFORE.search(before[-90:])) or \
        bool(CITED_AFTER.match(sentence[end:end + 40])) or bool(CITED_AFTER_TITLES.match(sentence[end:end + 40]))
