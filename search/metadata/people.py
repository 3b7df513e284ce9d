"""Delegates: the people named as taking part, one identity per person across scripts and spellings.

Three sources of candidates, merged by identity key (`folding.identity_key`):
- the people registry (`search/data/people.json`): aliases in other scripts (宋涛 = Song Tao);
- honorifics right before a name: `đồng chí Hoàng Bình Quân`, `ngài Dmitry Medvedev`, `Comrade …`;
- a role in the same sentence and a name that starts with a Vietnamese or Chinese family name
  (`Head of the … Commission for External Relations Hoang Binh Quan`), or a name in apposition
  to a role (`Song Tao, Minister of the International Department`).
A name cited rather than taking part (`with Comrade Xi Jinping at its core`) is not a delegate,
and neither is the article's author.

underthesea's NER was tried for Vietnamese and left out: on the seeds it tags
`đồng chí Hoàng Bình Quân` as a location and the byline `TGVN.` as a person.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from search.analysis.vietnamese import fold_accents
from search.data import load_json
from search.metadata.folding import identity_key, marks_count, to_ascii
from search.model import Person

VI_SURNAMES = {
    "nguyễn", "trần", "lê", "phạm", "hoàng", "huỳnh", "phan", "vũ", "võ", "đặng", "bùi", "đỗ", "hồ",
    "ngô", "dương", "lý", "đào", "đoàn", "đinh", "lâm", "mai", "trịnh", "trương", "hà", "lương", "tô",
    "tạ", "thái", "vương", "cao", "chu", "đàm", "kiều", "lưu", "quách", "tăng", "nông", "triệu",
    "hứa", "phùng", "khúc", "lại", "mạc", "châu", "tôn", "giáp", "doãn", "khổng", "lò", "y",
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
SURNAMES_FOLDED = {to_ascii(s) for s in VI_SURNAMES} | ZH_SURNAMES


def is_surname(word: str) -> bool:
    """A family name as written: `Hoàng`, or unaccented `Hoang`/`Song` in English text.

    Folding is only for words written without marks: `Đảng` (party) must not pass as `Đặng`.
    """
    lower = word.lower()
    return lower in VI_SURNAMES or (word.isascii() and lower in SURNAMES_FOLDED)


def looks_vietnamese(words: list[str]) -> bool:
    return any(not w.isascii() for w in words)

# Words that, right before a capitalised name, mark the person as present.
HONORIFICS = re.compile(
    r"(?:\b|^)(?:đồng chí|ngài|ông|bà|comrade|mr\.?|mrs\.?|ms\.?|madam|h\.e\.|his excellency|her excellency)\s+$",
    re.IGNORECASE,
)
# Roles and titles: in the same sentence before a family-name-first name, or in apposition after one.
ROLE_WORDS = (
    r"president|chairman|chairwoman|chair|vice[- ]president|vice[- ]chairman|deputy|head|minister|"
    r"vice[- ]minister|secretary|secretary[- ]general|general secretary|ambassador|premier|director|"
    r"member|leader|delegation|chủ tịch|phó chủ tịch|tổng bí thư|bí thư|thủ tướng|bộ trưởng|thứ trưởng|"
    r"trưởng ban|phó trưởng ban|trưởng đoàn|đại sứ|ủy viên|uỷ viên|chủ nhiệm|tổng thống|chủ tọa|"
    r"giám đốc|trưởng|phó"
)
ROLE_BEFORE = re.compile(rf"(?:\b|^)(?:{ROLE_WORDS})\b", re.IGNORECASE)
ROLE_AFTER = re.compile(rf"^\s*,\s*(?:the\s+)?(?:{ROLE_WORDS})\b", re.IGNORECASE)
ZH_TITLE_NAME = re.compile(
    r"(?:部长|副部长|主席|副主席|总书记|书记|总理|委员|大使|同志)([\u4e00-\u9fff]{2,3}?)"
    r"(?=出席|会见|表示|指出|说|在|率|主持|发表|同|与|和|致|，|、|。)"
)
WORD = re.compile(r"[^\W\d_]+(?:[-’'][^\W\d_]+)*")
SENTENCE_SPLIT = re.compile(r"(?<=[.!?。！？;；])\s+|\n+")
HAN = re.compile(r"[\u4e00-\u9fff]")
NON_LATIN_LETTER = re.compile(r"[^\W\u0000-\u024f\u1e00-\u1eff]")
MAX_NAME_WORDS = 4


@dataclass
class Candidate:
    name: str
    start: int  # offset in the story text, for exclusion contexts
    source: str


@dataclass
class RegistryEntry:
    name: str
    aliases: list[str] = field(default_factory=list)

    @property
    def key(self) -> str:
        return identity_key(self.name)


class PeopleRegistry:
    def __init__(self, entries: list[RegistryEntry], not_delegate_contexts: list[str]):
        self.entries = entries
        self._canonical: dict[str, RegistryEntry] = {}
        for entry in entries:
            for form in [entry.name, *entry.aliases]:
                self._canonical[identity_key(form)] = entry
        # One pass over the text per script: folded Latin/Cyrillic aliases, and Han aliases as written.
        latin = sorted({to_ascii(f) for e in entries for f in [e.name, *e.aliases] if not HAN.search(f)},
                       key=len, reverse=True)
        han = sorted({f for e in entries for f in e.aliases if HAN.search(f)}, key=len, reverse=True)
        self._latin_re = re.compile(r"\b(" + "|".join(map(re.escape, latin)) + r")\b") if latin else None
        self._han_re = re.compile("(" + "|".join(map(re.escape, han)) + ")") if han else None
        self._contexts = not_delegate_contexts

    @classmethod
    def load(cls, path: Path | None = None) -> PeopleRegistry:
        data = load_json("people.json", path)
        entries = [RegistryEntry(p["name"], p.get("aliases", [])) for p in data["people"]]
        return cls(entries, data.get("not_delegate_contexts", []))

    def canonical(self, name: str) -> RegistryEntry | None:
        return self._canonical.get(identity_key(name))

    def mentions(self, text: str, folded: str) -> list[Candidate]:
        """Registry aliases found in the story (accent- and case-insensitively for Latin forms)."""
        found = []
        if self._latin_re:
            for m in self._latin_re.finditer(folded):
                found.append(Candidate(m.group(1), m.start(), "registry"))
        if self._han_re:
            for m in self._han_re.finditer(text):
                found.append(Candidate(m.group(1), m.start(), "registry"))
        return found

    def is_cited_only(self, name: str, text: str, folded: str) -> bool:
        """True when every mention of `name` sits in a not-a-delegate context."""
        haystack, needle = (text, name) if HAN.search(name) else (folded, to_ascii(name))
        mentions = len(re.findall(re.escape(needle), haystack))
        cited = sum(len(re.findall(re.escape(c.format(name=needle)), haystack)) for c in self._contexts)
        return mentions > 0 and cited >= mentions


def _capitalised_runs(sentence: str):
    """Runs of consecutive capitalised words separated by single spaces: (start, end, words)."""
    run: list[re.Match] = []
    for m in WORD.finditer(sentence):
        if m.group(0)[0].isupper():
            if run and sentence[run[-1].end():m.start()] == " ":
                run.append(m)
                continue
            if run:
                yield run
            run = [m]
        elif run:
            yield run
            run = []
    if run:
        yield run


def _pattern_candidates(sentence: str, offset: int) -> list[Candidate]:
    found = []
    for run in _capitalised_runs(sentence):
        words = [m.group(0) for m in run]
        before = sentence[: run[0].start()]
        # Honorific right before: the whole run (up to four words) is the name.
        if HONORIFICS.search(before) and len(words) >= 2 and \
                (is_surname(words[0]) or not looks_vietnamese(words)):
            found.append(Candidate(" ".join(words[:MAX_NAME_WORDS]), offset + run[0].start(), "honorific"))
            continue
        # A family name inside the run starts the name; it needs a role nearby to count.
        for i, word in enumerate(words):
            if is_surname(word) and len(words) - i >= 2:
                name_words = words[i: i + MAX_NAME_WORDS]
                start = run[i].start()
                end = run[min(i + MAX_NAME_WORDS, len(run)) - 1].end()
                role_before = ROLE_BEFORE.search(sentence[:start])
                role_after = ROLE_AFTER.match(sentence[end:])
                if role_before or role_after:
                    found.append(Candidate(" ".join(name_words), offset + start, "role"))
                break
        else:
            # Any capitalised name in apposition to a role: "Dmitry Medvedev, Chairman of …".
            if 2 <= len(words) <= 3 and ROLE_AFTER.match(sentence[run[-1].end():]) and \
                    not looks_vietnamese(words) and not ROLE_BEFORE.fullmatch(words[0]):
                found.append(Candidate(" ".join(words), offset + run[0].start(), "apposition"))
    for m in ZH_TITLE_NAME.finditer(sentence):
        found.append(Candidate(m.group(1), offset + m.start(1), "title"))
    return found


def fold_text(text: str) -> str:
    """Lower-case ASCII twin of `text` for alias matching, offsets kept where possible.

    Latin text (Vietnamese, English) is folded by dropping marks, 70x faster than ICU's
    transliterator, which is kept for other scripts (Cyrillic, Chinese)."""
    if NON_LATIN_LETTER.search(text) is None:
        return fold_accents(text).lower()
    return to_ascii(text)


class DelegateExtractor:
    def __init__(self, registry: PeopleRegistry):
        self.registry = registry

    def extract(self, story: str, exclude: list[str] | None = None) -> list[Person]:
        folded = fold_text(story)
        candidates = self.registry.mentions(story, folded)
        offset = 0
        for sentence in SENTENCE_SPLIT.split(story):
            start = story.find(sentence, offset)
            candidates.extend(_pattern_candidates(sentence, start))
            offset = start + len(sentence)
        excluded = {identity_key(name) for name in exclude or [] if name}
        people: dict[str, Person] = {}
        for cand in candidates:
            # Registry matches on folded text: take the form as written in the story when same length.
            form = cand.name
            if cand.source == "registry" and not HAN.search(form):
                form = _original_span(story, folded, cand.start, len(cand.name))
            entry = self.registry.canonical(form)
            key = entry.key if entry else identity_key(form)
            if not key or key in excluded:
                continue
            person = people.setdefault(key, Person(key=key, name=entry.name if entry else form))
            if form not in person.forms:
                person.forms.append(form)
        result = []
        for person in people.values():
            if all(self.registry.is_cited_only(form, story, folded) for form in person.forms):
                continue
            if not self.registry.canonical(person.name):
                person.name = best_display_name(person.forms)
            result.append(person)
        return result


def _original_span(story: str, folded: str, start: int, length: int) -> str:
    """The story's own text for a span found in its folded twin (same offsets for Latin text)."""
    if len(story) == len(folded):
        return story[start: start + length]
    return folded[start: start + length]


def best_display_name(forms: list[str]) -> str:
    """The form to show: Latin script with the most diacritics, then the most frequent."""
    latin = [f for f in forms if not HAN.search(f)] or forms
    return max(latin, key=lambda f: (marks_count(f), latin.count(f)))
