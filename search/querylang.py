"""The query language users type, parsed leniently into a small tree.

    hội nghị an ninh            words: all must match (AND is the default)
    "hợp tác an ninh"           a phrase
    medvedev OR putin           either
    -covid  /  NOT covid        exclude (a dash standing alone, "kinh tế - xã hội", is punctuation)
    title:…  outlet:vna  lang:vi  delegate:"Song Tao"  author:…
    date:2020  date:2020-07  date:[2020-07-01 TO 2020-07-31]
    parti*                      prefix (at the end of a word only; expansion is capped)

Nothing here raises on any input: unbalanced quotes close at the end, stray operators and
parentheses are dropped, unknown fields are read as words, and each repair is reported in
`ParsedQuery.notes` so the user sees what was understood.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

MAX_QUERY_CHARS = 500
MAX_CLAUSES = 128  # parsed at most; the engine searches the rarest 32 (search.query_builder.MAX_TERMS)
DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"  # hyphen, en/em dashes, minus…
FIELDS = {"title": "title", "outlet": "outlet", "lang": "language", "language": "language",
          "delegate": "delegate", "person": "delegate", "date": "date", "author": "author",
          "credit": "credit", "mentioned": "mentioned"}  # wire credits; people named without taking part


@dataclass
class Text:
    """A word, a prefix (`parti*`) or a phrase, searched in `field` (None: title and body)."""

    text: str
    phrase: bool = False
    prefix: bool = False
    field: str | None = None


@dataclass
class Filter:
    """A metadata condition: outlet, language, delegate, date (value or [lo TO hi])."""

    field: str
    value: str
    upper: str | None = None  # for ranges: value is the lower bound


@dataclass
class Clause:
    node: Text | Filter
    negated: bool = False
    span: tuple[int, int] = (0, 0)  # where it was typed in the query, its `-` or NOT included


@dataclass
class ParsedQuery:
    # Conjunction of groups; each group is a disjunction of clauses (OR binds tighter than AND).
    groups: list[list[Clause]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    text: str = ""  # the query as parsed (cut to MAX_QUERY_CHARS)

    @property
    def empty(self) -> bool:
        return not self.groups

    def clauses(self):
        for group in self.groups:
            yield from group

    def without(self, clause: Clause) -> str:
        """The query text with `clause` taken out (a filter chip's "remove" link)."""
        start, end = clause.span
        return (self.text[:start].rstrip() + " " + self.text[end:].lstrip()).strip()


_TOKEN = re.compile(
    r'''(?P<field>[A-Za-z]+):(?P<fvalue>"[^"]*"?|\[[^\]]*\]?|[^\s()"]*)'''
    r'''|(?P<phrase>"[^"]*"?)'''
    r'''|(?P<paren>[()])'''
    r'''|(?P<word>[^\s()"]+)'''
)
_RANGE = re.compile(r"^\[\s*(\S*)\s+TO\s+(\S*)\s*\]$", re.IGNORECASE)


def parse(query: str) -> ParsedQuery:
    result = ParsedQuery()
    if len(query) > MAX_QUERY_CHARS:
        result.notes.append(f"query cut to its first {MAX_QUERY_CHARS} characters")
        query = query[:MAX_QUERY_CHARS]
    query = "".join(ch if ch.isprintable() else " " for ch in query)
    result.text = query
    pending_or = False
    negate_next = False
    negation_start = 0
    for m in _TOKEN.finditer(query):
        kind = m.lastgroup if m.lastgroup != "fvalue" else "field"
        raw = m.group(0)
        if kind == "paren":
            continue  # grouping is not supported; parentheses are ignored
        if kind == "word" and raw in ("OR", "||", "|"):
            pending_or = bool(result.groups)
            continue
        if kind == "word" and raw in ("AND", "&&", "&", "+"):
            continue
        if kind == "word" and all(ch in DASHES for ch in raw):
            continue  # a dash between spaces is punctuation ("kinh tế - xã hội"), never NOT
        if kind == "word" and raw in ("NOT", "!"):
            negate_next, negation_start = True, m.start()
            continue
        start = negation_start if negate_next else m.start()
        negated = negate_next
        negate_next = False
        if kind == "word" and raw[0] in "-!" and len(raw) > 1:
            negated, raw = True, raw[1:]
        clause = _clause(kind, m, raw, result.notes)
        if clause is None:
            continue
        clause.negated = negated
        clause.span = (start, m.end())
        if sum(len(g) for g in result.groups) >= MAX_CLAUSES:
            result.notes.append(f"only the first {MAX_CLAUSES} terms are read")
            break
        if pending_or and not negated:
            result.groups[-1].append(clause)
        else:
            result.groups.append([clause])
        pending_or = False
    if "".join(query.split()) and not result.groups:
        result.notes.append("nothing searchable in the query")
    return result


def _clause(kind: str, m: re.Match, raw: str, notes: list[str]) -> Clause | None:
    if kind == "phrase":
        text = raw.strip('"').strip()
        if not raw.endswith('"') or len(raw) == 1:
            notes.append("closed an unclosed quote at the end of the query")
        return Clause(Text(text, phrase=True)) if text else None
    if kind == "field":
        name, value = m.group("field"), m.group("fvalue")
        target = FIELDS.get(name.lower())
        if target is None:
            notes.append(f"unknown field '{name}:' read as words")
            words = (name + " " + value.strip('"[]')).strip()
            return Clause(Text(words, phrase=False)) if words else None
        if not value.strip('"[] '):
            notes.append(f"'{name}:' has no value; ignored")
            return None
        if target in ("title", "author", "credit", "mentioned"):
            phrase = value.startswith('"')
            return Clause(Text(value.strip('"'), phrase=phrase, field=target))
        rng = _RANGE.match(value)
        if rng:
            return Clause(Filter(target, rng.group(1).strip("*") or "", rng.group(2).strip("*") or ""))
        if value.startswith("["):
            notes.append(f"'{name}:' range should read [FROM TO TO]; read as a value")
        return Clause(Filter(target, value.strip('"[]')))
    # a word
    word = raw
    prefix = False
    if "*" in word or "?" in word:
        core = word.strip("*?")
        if word.endswith("*") and "*" not in core and "?" not in core and len(core) >= 2:
            prefix, word = True, core
        else:
            notes.append(f"wildcards work only at the end of a word of 2+ letters: '{raw}' searched as "
                         f"'{core.replace('*', '').replace('?', '')}'")
            word = core.replace("*", "").replace("?", "")
    word = word.strip(":")
    return Clause(Text(word, prefix=prefix)) if word else None
