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

MEETING_CUES = re.compile(
    "|".join([
        # Vietnamese
        r"hội kiến", r"hội đàm", r"hội đàm trực tuyến", r"điện đàm", r"gặp gỡ", r"gặp mặt", r"\bgặp\b",
        r"\btiếp(?= (?:[A-ZĐÀ-Ỹ]|đoàn|xã giao|thân mật|ông|bà|ngài|các|đại|lãnh|cựu|nguyên|phó|trưởng|bộ))",
        r"làm việc với", r"làm việc tại", r"chào xã giao", r"chào từ biệt", r"thăm chính thức", r"thăm cấp nhà nước",
        r"chuyến thăm", r"\bthăm\b", r"đến thăm", r"sang thăm", r"dẫn đầu", r"trưởng đoàn", r"đoàn đại biểu",
        r"\bđoàn\b", r"tham dự", r"\bdự (?:hội|lễ|buổi|cuộc|phiên|tiệc|đại hội|chiêu đãi|kỷ niệm|và|họp|diễn đàn)",
        r"chủ trì", r"đồng chủ trì", r"phát biểu", r"\bđón\b", r"\btiễn\b", r"tháp tùng", r"chứng kiến",
        r"\bký\b", r"trao đổi", r"cùng dự", r"có mặt", r"tọa đàm", r"toạ đàm", r"hội thảo", r"trò chuyện",
        r"chúc mừng", r"tặng", r"trao", r"hội nghị", r"thảo luận",
        # English
        r"\bmet\b", r"\bmeets?\b", r"\bmeeting with\b", r"\breceived\b", r"\breceives?\b", r"\btalks\b",
        r"\bvisit(?:s|ed|ing)?\b", r"\bdelegation\b", r"\battend(?:s|ed|ing)?\b", r"\bchair(?:s|ed)\b",
        r"\bco-chair(?:s|ed)\b", r"\bhost(?:s|ed)\b", r"\bwelcom(?:e|ed|es|ing)\b", r"\bled by\b",
        r"\bleading\b", r"\bled\b", r"\bheaded by\b", r"\bheads?\b", r"\bphone call\b", r"\bspoke\b",
        r"\bsigned\b", r"\baccompan(?:ied|y|ying)\b", r"\bpresent\b", r"\baddress(?:ed|es)\b",
        r"\bspeech\b", r"\bcalled on\b", r"\bcourtesy call\b", r"\bconversation\b", r"\bexchanged\b",
        r"\bgreeted\b", r"\bdiscussed\b", r"\bparticipat", r"\bjoined\b", r"\bseminar\b", r"\bconference\b",
        r"\bsaid\b", r"\bexpressed\b", r"\bthanked\b", r"\bbriefed\b", r"\binformed\b",
        # Chinese
        r"会见", r"会谈", r"会晤", r"接见", r"见面", r"访问", r"出访", r"率团", r"率领", r"率", r"代表团",
        r"出席", r"主持", r"致辞", r"陪同", r"参加", r"座谈", r"通话", r"举行", r"签署", r"接待", r"宴请",
        r"欢迎", r"拜会", r"看望", r"为团长", r"一行", r"在座", r"讲话", r"发言", r"交流", r"介绍", r"表示",
        # Russian
        r"встрет\w*", r"встреч\w*", r"принял\w*", r"приня\w*", r"переговор\w*", r"визит\w*", r"посетил\w*",
        r"делегаци\w*", r"возглав\w*", r"во главе с", r"участ\w*", r"провел\w*", r"провёл\w*", r"бесед\w*",
        r"выступ\w*", r"председательств\w*", r"подписа\w*", r"прибыл\w*", r"обсудил\w*", r"отметил\w*",
        r"заявил\w*", r"сообщил\w*", r"подчеркнул\w*", r"поблагодарил\w*", r"приветствовал\w*",
    ]),
    re.IGNORECASE,
)
# Before a name (same clause): it is cited, greeted or quoted from afar.
CITED_BEFORE = re.compile(
    "(?:" + "|".join([
        r"thăm hỏi", r"lời chào", r"lời chúc", r"chuyển lời", r"gửi lời", r"tư tưởng", r"di chúc", r"sinh thời",
        r"lời dạy", r"theo lời", r"điện mừng", r"thư chúc mừng", r"thư mừng", r"thiệp", r"lời mời của",
        r"theo lời mời", r"nhận lời mời", r"đứng đầu là", r"kế nhiệm",
        r"greetings?", r"regards", r"best wishes", r"at the invitation", r"invitation", r"message", r"letter",
        r"congratulat\w*", r"under the leadership", r"thought on", r"teachings?",
        r"condolences?", r"tribute to", r"memory of", r"legacy of", r"portrait of",
        r"转达", r"问候", r"致以", r"贺电", r"贺信", r"致电", r"致函", r"思想", r"领导下", r"指引", r"邀请",
        r"привет\w*", r"пожелани\w*", r"по приглашению", r"поздрав\w*", r"послани\w*", r"письм\w*",
        r"под руководством", r"памят\w*", r"соболезнован\w*",
    ]) + r")[^.;:!?。；\n]{0,70}$",
    re.IGNORECASE,
)
# "On behalf of X, Y said": X only, so no comma between cue and name.
CITED_ON_BEHALF = re.compile(
    r"(?:on behalf of|thay mặt|代表(?!团)|от имени)[^.;:!?。；\n,，、]{0,50}$", re.IGNORECASE)
# Right after a name: the same, written the other way round.
CITED_AFTER = re.compile(
    r"^[^.;:!?。；\n]{0,25}?(?:" + "|".join([
        r"đứng đầu", r"làm hạt nhân", r"từng nói", r"đã dạy", r"lúc sinh thời",
        r"at its core", r"'s (?:greetings|regards|message|letter|thought|invitation|instructions?|teachings)",
        r"’s (?:greetings|regards|message|letter|thought|invitation|instructions?|teachings)", r"Thought",
        r"的(?:亲切|诚挚|良好|热情)?(?:问候|祝愿|祝福|邀请|委托|贺电|贺信)", r"为核心", r"思想", r"邀请", r"委托",
        r"同志为核心", r"привет", r"поздравлени",
    ]) + ")",
    re.IGNORECASE,
)


def is_participation_sentence(sentence: str) -> bool:
    return MEETING_CUES.search(sentence) is not None


def is_cited(sentence: str, start: int, end: int) -> bool:
    """True when the mention at sentence[start:end] is in a cited context."""
    before = sentence[max(0, start - 90):start]
    return bool(CITED_BEFORE.search(before)) or bool(CITED_ON_BEHALF.search(before)) or \
        bool(CITED_AFTER.match(sentence[end:end + 40]))
