"""Delegates: the people who took part, one identity per person across scripts and spellings.

Pipeline for one article (`DelegateExtractor.extract_people`):

1. split into sentences;
2. find names: the people registry's forms (`search/data/people.json`), matched per script and
   as whole names only (so `Tống Đào` is never found inside 通道), and names found by rule
   (`names.py`: titles and honorifics, apposition, Vietnamese family names, Chinese titles);
3. drop authors and anything the gazetteer calls a place;
4. merge by identity key (`folding.identity_key`: 王毅 = Wang Yi, Медведев = Medvedev,
   Hoàng Bình Quân = Hoang Binh Quan);
5. classify (`participation.py`): a person with a mention in a sentence that reports taking
   part, outside a cited context, is a delegate; the others are `mentioned`.

The registry also gives the facet its labels: a name in the UI's language and a role
(`PeopleRegistry.display`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import icu

from search.analysis.vietnamese import fold_accents
from search.data import load_json
from search.metadata.folding import CYRILLIC, identity_key, marks_count
from search.metadata.names import (
    _UPPER,
    HAN,
    ZH_SURNAMES,
    _vi_surname,
    capitalised_runs,
    fold_latin,
    han_names,
    is_place,
    latin_names,
    normalise_cyrillic,
    vouched_at,
)
from search.metadata.participation import is_cited, is_participation_sentence
from search.metadata.sino_vietnamese import (
    same_person,
    sino_vietnamese_syllables,
    vietnamese_name,
    written_for_a_vietnamese,
)
from search.model import Person

# Where a sentence may end; not after an initial or an abbreviation (`H.E. Do Van Chien`,
# `Г.А. Зюганов`, `Mr. Sang`), which `split_sentences` checks.
SENTENCE_END = re.compile(r"[.!?]\s+|[。！？]|\n+")
ABBREVIATION = re.compile(r"(?:^|[\s.(])(?:[A-ZА-ЯЁ]|Mr|Ms|Mrs|Dr|St)\.$")
NON_LATIN_LETTER = re.compile(r"[^\W\u0000-\u024f\u1e00-\u1eff]")
HAN_STOP_AROUND = "，、。；：,（(“”\"和与同及在对时一率会表说指出强调介绍并也就陪等的了将向为应于"


@dataclass
class Role:
    start: str | None
    end: str | None
    text: dict[str, str]


@dataclass
class RegistryEntry:
    name: str
    aliases: list[str] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)  # UI language → name
    roles: list[Role] = field(default_factory=list)
    historical: bool = False

    @property
    def key(self) -> str:
        return identity_key(self.name)

    def forms(self) -> list[str]:
        return list(dict.fromkeys([self.name, *self.names.values(), *self.aliases]))


@dataclass
class Mention:
    name: str
    start: int  # in the sentence
    end: int
    sentence: int  # index of the sentence
    source: str  # "registry" or "rule"


@dataclass
class PeopleFound:
    delegates: list[Person]
    mentioned: list[Person]


class PeopleRegistry:
    def __init__(self, entries: list[RegistryEntry], not_delegate_contexts: list[str] | None = None):
        self.entries = entries
        self._canonical: dict[str, RegistryEntry] = {}
        for entry in entries:
            for form in entry.forms():
                self._canonical.setdefault(identity_key(form), entry)
                if CYRILLIC.search(form):
                    self._canonical.setdefault(identity_key(normalise_cyrillic(form)), entry)
        self.by_key = {e.key: e for e in entries}
        forms = {f for e in entries for f in e.forms()}
        # Latin and Cyrillic forms are looked up among the capitalised runs of a sentence, word by
        # word, accents folded and Russian case endings undone (`Вячеслава Володина`): whole names only.
        self._run_forms = {_run_key(f.split()) for f in forms if not HAN.search(f)}
        self._run_starts = {key.split(" ", 1)[0] for key in self._run_forms}
        self._max_words = max((len(f.split()) for f in forms), default=1)
        han = sorted({f for f in forms if HAN.search(f)}, key=len, reverse=True)
        self._han_re = _union(han, "(", ")")
        self._contexts = not_delegate_contexts or []

    @classmethod
    def load(cls, path: Path | None = None) -> PeopleRegistry:
        data = load_json("people.json", path)
        entries = []
        for p in data["people"]:
            roles = [Role(r.get("from"), r.get("to"), {k: v for k, v in r.items() if k not in ("from", "to")})
                     for r in p.get("roles", [])]
            entries.append(RegistryEntry(p["name"], p.get("aliases", []), p.get("names", {}), roles,
                                         p.get("historical", False)))
        return cls(entries, data.get("not_delegate_contexts", []))

    def canonical(self, name: str) -> RegistryEntry | None:
        entry = self._canonical.get(identity_key(name))
        if entry is None and CYRILLIC.search(name):
            entry = self._canonical.get(identity_key(normalise_cyrillic(name)))
        return entry

    def display(self, key: str, lang: str = "en", fallback: str | None = None,
                year: int | None = None) -> tuple[str, str]:
        """(name, role) for the delegate facet: the name in `lang`, and the role held in `year`
        (else the latest), in `lang`. Unknown people: (fallback or key, '')."""
        entry = self.by_key.get(key) or (self.canonical(fallback) if fallback else None)
        if entry is None:
            return fallback or key, ""
        name = entry.names.get(lang) or entry.names.get("en") or entry.name
        role = _role_in(entry.roles, year)
        return name, (role.text.get(lang) or role.text.get("en", "")) if role else ""

    def label(self, key: str, lang: str = "en", fallback: str | None = None) -> str:
        """`Song Tao — head of the CPC International Department` (role left out when unknown)."""
        name, role = self.display(key, lang, fallback)
        return f"{name} — {role}" if role else name

    def mentions(self, sentence: str, runs: list | None = None) -> list[tuple[str, int, int]]:
        """Registry forms found in one sentence as whole names: (form as written, start, end)."""
        found = []
        for run in capitalised_runs(sentence) if runs is None else runs:
            keys = [_word_key(m.group(0)) for m in run]
            i = 0
            while i < len(run):
                if keys[i] not in self._run_starts:  # no registry form starts with this word
                    i += 1
                    continue
                for j in range(min(len(run), i + self._max_words), i, -1):
                    if " ".join(keys[i:j]) in self._run_forms:
                        start, end = run[i].start(), _word_end(run[j - 1])
                        found.append((sentence[start:end], start, end))
                        i = j
                        break
                else:
                    i += 1
        if self._han_re and HAN.search(sentence):
            for m in self._han_re.finditer(sentence):
                if _han_whole_name(sentence, m.start(1), m.end(1)):
                    found.append((m.group(1), m.start(1), m.end(1)))
        return found


def _word_end(match: re.Match) -> int:
    """Where a word ends, a sentence's full stop left out (`Фуком.`), an initial's kept (`V.I.`)."""
    word = match.group(0)
    return match.end() - 1 if word.endswith(".") and len(word) > 2 and word[-3] != "." else match.end()


@lru_cache(maxsize=65536)
def _word_key(word: str) -> str:
    """A word as registry forms are compared: accents folded, lower case, Russian case ending undone."""
    word = fold_latin(word.rstrip(".")).lower().replace("ё", "е")
    return normalise_cyrillic(word) if CYRILLIC.search(word) else word


def _run_key(words: list[str]) -> str:
    return " ".join(_word_key(w) for w in words)


def _stem(word: str) -> str:
    """A Russian name word without its nominative ending, so that every case form matches:
    `мигель` → `мигел` (`Мигелем`), `дмитрий` → `дмитри` (`Дмитрия`)."""
    return re.sub(r"(?<=\w\w)[ьйаяоеиы]$", "", word)


def _union(forms: list[str], before: str, after: str) -> re.Pattern | None:
    forms = [f for f in forms if f]
    if not forms:
        return None
    return re.compile(before + "|".join(map(re.escape, forms)) + after)


def _role_in(roles: list[Role], year: int | None) -> Role | None:
    if not roles:
        return None
    if year is not None:
        for role in roles:
            if (role.start is None or int(role.start) <= year) and (role.end is None or year <= int(role.end)):
                return role
    return max(roles, key=lambda r: (r.end is None, int(r.end or 0), int(r.start or 0)))


def _looks_like_written_name(written: str, folded_form: str) -> bool:
    """A registry form found accent-insensitively must be written as a name: every word capitalised,
    and with the marks of a real form when it has any (`tổ làm` is not `Tô Lâm`)."""
    words = written.split()
    if not words or not all(w[:1].isupper() for w in words if w[:1].isalpha()):
        return False
    return True


def _han_whole_name(sentence: str, start: int, end: int) -> bool:
    """A Chinese form inside running text: bounded by punctuation, a title or a verb, not in a word."""
    prev = sentence[start - 1] if start > 0 else ""
    nxt = sentence[end] if end < len(sentence) else ""
    if end - start >= 3:
        return True
    prev_ok = not prev or not HAN.search(prev) or prev in HAN_STOP_AROUND or sentence[:start].endswith(
        ("书记", "主席", "总理", "部长", "总统", "首相", "委员长", "议长", "大使", "同志", "主任", "国王", "亲王"))
    next_ok = not nxt or not HAN.search(nxt) or nxt in HAN_STOP_AROUND or sentence[end:].startswith(
        ("同志", "总书记", "主席", "总理", "部长", "先生", "女士", "首相", "总统", "一行"))
    return prev_ok and next_ok


def split_sentences(text: str) -> list[str]:
    sentences, start = [], 0
    for m in SENTENCE_END.finditer(text):
        if text[m.start()] == "." and ABBREVIATION.search(text[max(start, m.start() - 4):m.start() + 1]):
            continue
        end = m.end() if text[m.start()] in "。！？" else m.start() + (text[m.start()] != "\n")
        sentences.append(text[start:end])
        start = m.end()
    sentences.append(text[start:])
    return [s for s in sentences if s.strip()]


def fold_text(text: str) -> str:
    """Lower-case, accent-free twin of Latin text (kept for callers that match folded phrases)."""
    return fold_accents(text).lower()


class DelegateExtractor:
    def __init__(self, registry: PeopleRegistry):
        self.registry = registry

    def extract(self, story: str, exclude: list[str] | None = None) -> list[Person]:
        """The delegates only (see `extract_people`)."""
        return self.extract_people(story, exclude).delegates

    def extract_people(self, story: str, exclude: list[str] | None = None) -> PeopleFound:
        story = story.translate(_SAME_LENGTH_FIXES)
        if HAN.search(story):
            story = _simplified(story)
        sentences = split_sentences(story)
        mentions: list[Mention] = []
        not_people: list[str] = []  # names the context showed to be a place, company or work
        # A last line of names only (`Đoàn Loan - Thanh Nhàn`) is the byline: its authors did not take part.
        last = len(sentences) - 1 if sentences and BYLINE.fullmatch(sentences[-1].strip()) else -1
        single_words: set[str] = set()  # capitalised words standing alone somewhere in the article
        for i, sentence in enumerate(sentences):
            if i != last:
                mentions.extend(self._mentions(sentence, i, not_people, single_words))
        for m in mentions:
            if m.source == "rule":
                _drop_leading_company(m, single_words)
        excluded = {identity_key(name) for name in exclude or [] if name}
        # One sense per article: `khách sạn Hoàng Gia` once makes every `Hoàng Gia` of the article a hotel.
        not_people_keys = {_key_of(name) for name in not_people}
        people: dict[str, Person] = {}
        took_part: set[str] = set()
        reports: dict[int, bool] = {}  # sentence index → reports taking part
        for m in mentions:
            entry = self.registry.canonical(m.name)
            if entry is None and m.source == "rule" and (is_place(m.name) or _is_outlet_name(m.name)):
                continue
            key = entry.key if entry else _key_of(m.name)
            vietnamese = None
            if entry is None and m.source == "rule" and HAN.search(m.name) \
                    and written_for_a_vietnamese(sentences[m.sentence], m.start, m.name) \
                    and (vietnamese := vietnamese_name(m.name)):
                key = _key_of(vietnamese)  # `越南公安部部长梁三光` is Lương Tam Quang in every script
            if not key or key in excluded or len(key) < 4:
                continue
            if entry is None and key in not_people_keys and not vouched_at(sentences[m.sentence], m.start, m.end):
                continue
            person = people.setdefault(key, Person(key=key, name=entry.name if entry else m.name))
            for form in (m.name, vietnamese):
                if form and form not in person.forms:
                    person.forms.append(form)
            sentence = sentences[m.sentence]
            if m.sentence not in reports:
                reports[m.sentence] = is_participation_sentence(sentence)
            if (entry is None or not entry.historical) and reports[m.sentence] \
                    and not is_cited(sentence, m.start, m.end) and not self._registry_cited(sentence, m):
                took_part.add(key)
        _merge_shorter_forms(people, took_part, {m.name for m in mentions if m.source == "rule"})
        _merge_sino_vietnamese(people, took_part, self.registry)
        delegates, mentioned = [], []
        for key, person in people.items():
            if not self.registry.canonical(person.name):
                person.name = best_display_name(person.forms)
            (delegates if key in took_part else mentioned).append(person)
        return PeopleFound(delegates, mentioned)

    def _mentions(self, sentence: str, index: int, not_people: list[str] | None = None,
                  single_words: set[str] | None = None) -> list[Mention]:
        han = HAN.search(sentence) is not None
        runs = [] if han else list(capitalised_runs(sentence))
        if single_words is not None:
            single_words.update(run[0].group(0).rstrip(".") for run in runs if len(run) == 1)
        found = [Mention(n, s, e, index, "registry") for n, s, e in self.registry.mentions(sentence, runs)]
        taken = [(m.start, m.end) for m in found]
        if han:
            rule = han_names(sentence)
        else:
            rule = latin_names(sentence, vietnamese=_is_vietnamese, runs=runs, not_people=not_people) if runs else []
        for f in rule:
            if any(s < f.end and f.start < e for s, e in taken):
                continue  # the registry already has this span
            found.append(Mention(f.name, f.start, f.end, index, "rule"))
        return found

    def _registry_cited(self, sentence: str, m: Mention) -> bool:
        """The registry's own not-a-delegate phrases (`with comrade {name} at its core`)."""
        if not self.registry._contexts:
            return False
        folded = fold_accents(sentence).lower()
        needle = m.name if HAN.search(m.name) else fold_accents(m.name).lower()
        return any(c.format(name=needle) in folded for c in self.registry._contexts)


def _merge_shorter_forms(people: dict[str, Person], took_part: set[str], rule_names: set[str]) -> None:
    """One person written in full and shortened in the same article (`Jaap de Hoop Scheffer`, then
    `de Hoop Scheffer`): a name found by rule whose key ends another found name's key (8 letters
    at least) is that person."""
    short = [k for k, p in people.items() if len(k) >= 8 and any(f in rule_names for f in p.forms)]
    for key in short:
        longer = [k for k in people if k != key and k.endswith(key)]
        if len(longer) != 1:
            continue  # none, or two people it could be
        target = people[longer[0]]
        target.forms.extend(f for f in people.pop(key).forms if f not in target.forms)
        if key in took_part:
            took_part.add(longer[0])


def _merge_sino_vietnamese(people: dict[str, Person], took_part: set[str], registry: PeopleRegistry) -> None:
    """A Chinese name and its Sino-Vietnamese reading in one article (`Li Zhiyong` … `Lý Trí Dũng`,
    `张德江` … `Trương Đức Giang`) are one person, under the Chinese side's key (its pinyin), the
    one the same name has in any other article that writes it in characters or pinyin. Only names
    the registry does not know; a reading that fits two people is left alone."""
    if len(people) < 2:
        return
    readings = {k: p for k, p in people.items() if registry.canonical(p.name) is None
                and any(sino_vietnamese_syllables(f) for f in p.forms if not HAN.search(f))}
    if not readings:
        return
    for vi_key, vi_person in readings.items():
        same = [k for k, p in people.items() if k != vi_key and k not in readings and registry.canonical(p.name) is None
                and any(same_person(c, v) for c in p.forms for v in vi_person.forms)]
        if len(same) != 1:
            continue
        target = people[same[0]]
        target.forms.extend(f for f in people.pop(vi_key).forms if f not in target.forms)
        if vi_key in took_part:
            took_part.add(same[0])


# Family names written first in East Asian names, which an article also uses alone (`Kim Jong Un`, `ông Kim`).
EAST_ASIAN_FIRST = {"kim", "lee", "park", "choi", "roh", "moon", "yoon", "yun", "chung", "jung", "kang", "cho",
                    "han", "shin", "hwang", "jang", "seo", "oh", "ryu", "yoo", "goh", "lim", "tan", "ong", "ng",
                    "teo", "koh", "hun", "aung", "lien"} | ZH_SURNAMES


def _drop_leading_company(m: Mention, single_words: set[str]) -> None:
    """`chủ tịch Microsoft Bill Gates`: the first word of a foreign name of three words or more that
    the article also writes on its own (`tập đoàn Microsoft`) is the company or country before the
    name. East Asian family names, written first and also alone (`ông Kim`), are kept."""
    words = m.name.split()
    first = words[0]
    if len(words) >= 3 and words[1][:1].isupper() and first in single_words and first.isascii() \
            and first.lower() not in EAST_ASIAN_FIRST and not _vi_surname(first):
        m.name = " ".join(words[1:])
        m.start += len(first) + 1


# A capital letter of any script (the range À-Ỹ also holds lower-case letters and all of Cyrillic:
# every short last sentence of a Russian article was taken for a byline).
_NAME_WORD = rf"[{re.escape(_UPPER)}][^\W\d_]*\.?"
BYLINE = re.compile(rf"(?:{_NAME_WORD} ){{1,3}}{_NAME_WORD}(?:\s*[-–,/&]\s*(?:{_NAME_WORD} ){{0,3}}{_NAME_WORD})*")
_SAME_LENGTH_FIXES = str.maketrans({"Ð": "Đ", "ð": "đ", "\u00a0": " "})


@lru_cache(maxsize=1)
def _to_simplified() -> icu.Transliterator:
    return icu.Transliterator.createInstance("Traditional-Simplified")


def _simplified(text: str) -> str:
    """Traditional Chinese in simplified characters, one for one (`劉建超` → `刘建超`), offsets kept."""
    out = _to_simplified().transliterate(text)
    return out if len(out) == len(text) else text


VI_MARKED = re.compile(r"[ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]", re.IGNORECASE)


@lru_cache(maxsize=1)
def _outlet_names() -> frozenset[str]:
    from search.metadata.outlets import default_registry

    return frozenset(identity_key(n) for o in default_registry().outlets
                     for n in [o.name, o.short, *o.names, *o.labels.values()] if n)


def _is_outlet_name(name: str) -> bool:
    """`Thanh Niên`, `Tuổi Trẻ`: a newspaper, not a person."""
    return identity_key(name) in _outlet_names()


def _is_vietnamese(sentence: str) -> bool:
    return len(VI_MARKED.findall(sentence)) >= 3


def _key_of(name: str) -> str:
    return identity_key(normalise_cyrillic(name) if CYRILLIC.search(name) else name)


def best_display_name(forms: list[str]) -> str:
    """The form to show: Latin script with the most diacritics, then the most frequent."""
    latin = [f for f in forms if not HAN.search(f) and not CYRILLIC.search(f)] or forms
    # Russian forms: the nominative (`Геннадий Зюганов`, not `Геннадием Зюгановым`).
    # Then the name in full (`Jaap de Hoop Scheffer` over `Hoop Scheffer`), then the most frequent.
    return max(latin, key=lambda f: (normalise_cyrillic(f) == f, marks_count(f),
                                     any(g != f and f.endswith(" " + g) for g in latin), latin.count(f), -len(f)))
