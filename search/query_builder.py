"""From a parsed query to a QueryPlan: the Whoosh query tree the executor runs, and what ranking
and highlighting need besides (word-pair boosts, the words to mark, prefixes).

Free text is AND by default (mode "all"): every word must match, because users of a news archive
narrow down (a name, a place, an event). Mode "any" ranks documents matching any word, as the
evaluation does and as the engine falls back to when no document has every word.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from whoosh import query as wq

from search.analysis import tokens
from search.analysis.vietnamese import fold_accents
from search.executor import WordInFields
from search.marks import UNMARKED, UNMARKED_FIELD, vietnamese_marked
from search.metadata.folding import CYRILLIC, identity_key
from search.metadata.names import normalise_cyrillic
from search.querylang import ParsedQuery, Text

MAX_PREFIX_TERMS = 64  # a prefix query expands to at most this many terms per field
# Terms searched at most: a long question is cut to its rarest terms (its first may all be common
# words), negations kept first. Each term costs one pass over its postings.
MAX_TERMS = 32

# Field weights, by whether the query was typed with diacritics. Folding is lossy in Vietnamese
# (bàn, bán, ban, bản are different words), so a query with marks is matched mainly on the exact
# fields, with the folded fields as a weak fallback; a query without marks can only be matched
# folded. One word's fields are combined as BM25F (search.executor.WordInFields): an occurrence in
# the title counts 1.5 times one in the body, after each is normalised by its field's length.
# Adjacent words matched as a phrase ("an ninh" as one word, not "an" and "ninh" apart) add `pair`
# when ranking any-word matches, and the larger `pair_all` when every word already matches and
# only the order is at stake. bench/relevance.py measured the title weight against two sets
# (nDCG@10, ViNewsQA tuning questions / party-diplomacy queries): 0.2 → 0.758 / 0.946,
# 1.0 → 0.748 / 0.964, 1.5 → 0.746 / 0.963. Our users' queries are short
# and name people and events, which headlines carry; 1.5 keeps titles first at a small cost on
# long questions about article bodies.
WEIGHTS_ACCENTED = {"title": 1.5, "body": 1.0, "title_fold": 0.15, "body_fold": 0.1,
                    "title_en": 1.5, "body_en": 1.0, "pair": 0.25, "pair_all": 4.0, "author": 1.0}
# Vietnamese function and question words, left out of any-word rankings (see _function_word_groups).
FUNCTION_WORDS = frozenset(
    "là gì nào của và có được những các cho với trong đã này đó ai bao nhiêu khi đâu sao thế như ở tại "
    "về theo từ một người bị do vì nên thì mà".split())
# Typed without marks, they collide with content words (la: lá, cua: cửa, voi: voi, trong: trọng, bao:
# báo…). Measured: with marks, nDCG@10 0.746 → 0.761 on 300 held-out ViNewsQA questions and 0.769 →
# 0.772 on the 1,000 evaluated; a folded list gave +0.009 held-out but −0.010 on the 1,000, so
# unaccented questions keep every word.
WEIGHTS_UNACCENTED = {"title": 0.0, "body": 0.0, "title_fold": 1.5, "body_fold": 1.0,
                      "title_en": 1.5, "body_en": 1.0, "pair": 0.25, "pair_all": 4.0, "author": 1.0}


@dataclass
class QueryPlan:
    """What a query asks the executor, and what ranking and highlighting need to know about it."""

    query: wq.Query | None  # None: the query has no words; every live document matches, unscored
    mode: str = "all"  # "all" words or "any"
    pair_boosts: list[wq.Phrase] = field(default_factory=list)  # adjacent words found as a phrase
    highlight: set[str] = field(default_factory=set)  # folded words to mark in titles and snippets
    prefixes: tuple[str, ...] = ()  # folded prefixes to mark
    words: set[str] = field(default_factory=set)  # folded words whose closeness earns a bonus
    # folded word → the spellings typed with marks: only those match, and only those are highlighted
    # (in documents written with marks); words also typed without marks are not here
    spelled: dict[str, frozenset[str]] = field(default_factory=dict)


class QueryBuilder:
    """Plans queries against one index generation: its lexicon (for prefixes) and its delegates."""

    def __init__(self, reader, people: dict[str, str], registry):
        self.reader = reader
        self.people = people  # delegate key → display name
        self.registry = registry
        self._people_named: dict[str, str | None] = {}

    def plan(self, parsed: ParsedQuery, mode: str = "all", ignore_marks: bool = False) -> QueryPlan:
        """`ignore_marks`: as if the query had been typed without diacritics (to count what it would find)."""
        must, must_not, pairs = [], [], []
        marked: dict[str, set[str]] = {}
        unmarked: set[str] = set()
        weights = WEIGHTS_ACCENTED if has_marks(parsed) else WEIGHTS_UNACCENTED
        terms: set[str] = set()
        prefixes: list[str] = []
        previous_word: str | None = None
        groups = parsed.groups
        skip = _function_word_groups(groups, accented=weights is WEIGHTS_ACCENTED) if mode == "any" else set()
        i = 0
        while i < len(groups):
            # A person's name, in any script or spelling, also finds the articles that name them
            # as a delegate: `宋涛` finds "Song Tao" in English, `Hoang Binh Quan` the Vietnamese.
            span, person = self._person_window(groups, i)
            alternatives = []
            for g in groups[i:i + span]:
                if id(g) in skip:
                    previous_word = None
                    continue
                for clause in g:
                    node = clause.node
                    if not isinstance(node, Text):
                        continue
                    q, folded, spelled = self._unit_query(node, weights, ignore_marks)
                    if q is None:
                        continue
                    if clause.negated:
                        must_not.append(q)
                        continue
                    alternatives.append(q)
                    for f in folded:
                        if f in spelled:
                            marked.setdefault(f, set()).add(spelled[f])
                        else:
                            unmarked.add(f)
                    if node.prefix:
                        prefixes.append(folded[0])
                    else:
                        terms.update(folded)
                    word = folded if _plain_word(g) and len(folded) == 1 else []
                    if word and previous_word:
                        pair = [previous_word, word[0]]
                        boost = weights["pair"] if mode == "any" else weights["pair_all"]
                        pairs.append(wq.Phrase("body_fold", pair, boost=boost))
                        pairs.append(wq.Phrase("title_fold", pair, boost=2 * boost))
                    previous_word = word[0] if word else None
            if person:
                must.append(wq.Or([wq.And(alternatives) if len(alternatives) > 1 else alternatives[0],
                                   wq.Term("delegate", person, boost=2.0)]))
            elif alternatives:
                must.append(alternatives[0] if len(alternatives) == 1 else wq.Or(alternatives))
            i += span
        spelled = {f: frozenset(forms) for f, forms in marked.items() if f not in unmarked}
        plan = QueryPlan(None, mode, pairs, terms, tuple(prefixes), query_words(parsed), spelled)
        if must:
            plan.query = wq.And(must) if mode == "all" else wq.Or(must)
        elif must_not:
            plan.query = wq.Every()
        if must_not:
            plan.query = wq.AndNot(plan.query, wq.Or(must_not))
        return plan

    def keep_rarest(self, parsed: ParsedQuery, notes: list[str]) -> ParsedQuery:
        """`parsed` cut to its MAX_TERMS rarest terms (in the order typed) if it has more."""
        texts = [g for g in parsed.groups if any(isinstance(c.node, Text) for c in g)]
        if sum(len(g) for g in texts) <= MAX_TERMS:
            return parsed
        kept, size = set(), 0
        for g in sorted(texts, key=self._commonness):
            if size + len(g) <= MAX_TERMS:
                kept.add(id(g))
                size += len(g)
        notes.append(f"the query has {sum(len(g) for g in texts)} terms; its {size} rarest are searched")
        groups = [g for g in parsed.groups if id(g) in kept or g not in texts]
        return dataclasses.replace(parsed, groups=groups)

    def _commonness(self, group) -> tuple[int, int]:
        """How common a group of alternatives is: the sum of its clauses' document counts (a
        phrase counts as its rarest word); negations first, whatever their count."""
        if all(c.negated for c in group):
            return (0, 0)
        total = 0
        for c in group:
            words = tokens("folded", c.node.text) if isinstance(c.node, Text) else []
            total += min((max(self.reader.doc_frequency(f, w) for f in ("title_fold", "body_fold")) for w in words),
                         default=0)
        return (1, total)

    def _person_window(self, groups, i: int) -> tuple[int, str | None]:
        """The longest run of 1-4 plain words (or one phrase) from `i` that names a known delegate."""
        for span in range(min(4, len(groups) - i), 0, -1):
            window = groups[i:i + span]
            if not all(_plain_word(g) or (span == 1 and _phrase(g)) for g in window):
                continue
            key = self._person(" ".join(g[0].node.text for g in window))
            if key:
                return span, key
        return 1, None

    def _person(self, text: str) -> str | None:
        """The delegate `text` names, if any (remembered: a query is planned again for its
        any-word fallback, its count without marks and its suggestion)."""
        if text not in self._people_named:
            key = identity_key(text)
            if key not in self.people:
                entry = self.registry.canonical(text)  # another script or reading: Tống Đào, 宋涛
                key = entry.key if entry else key
            found = key in self.people and _marks_agree(text, self.people[key])
            self._people_named[text] = key if found else None
        return self._people_named[text]

    def _identity(self, text: str) -> str:
        """A person's identity key in any script or spelling: the registry's, else the rule's."""
        entry = self.registry.canonical(text) if self.registry is not None else None
        return entry.key if entry else identity_key(normalise_cyrillic(text) if CYRILLIC.search(text) else text)

    def _unit_query(self, node: Text, weights: dict, ignore_marks: bool = False):
        """One word, phrase or prefix as a query: (query or None, its folded terms, {folded: exact}
        for the terms typed with Vietnamese marks, which match only that spelling)."""
        folded = tokens("folded", node.text)
        if not folded:
            return None, [], {}
        if node.field in ("author", "credit", "mentioned"):  # one folded field each
            q = _phrase_or_term(node.field, folded, weights.get(node.field, weights["author"]))
            if node.field == "mentioned" and (key := self._identity(node.text)) and [key] != folded:
                # each person is indexed with their identity key too: `mentioned:习近平` finds "Xi Jinping"
                q = wq.Or([q, wq.Term("mentioned", key, boost=weights.get("mentioned", weights["author"]))])
            return q, folded, {}
        bases = ["title"] if node.field == "title" else ["title", "body"]
        exact = tokens("exact", node.text)
        if len(exact) != len(folded) or ignore_marks:
            exact = folded  # never expected: the folded analyzer is the exact one plus folding
        marked = {f: e for e, f in zip(exact, folded, strict=True) if e != f and vietnamese_marked(e)}
        if marked:
            return _marked_query(node, bases, exact, folded, marked, self.reader), folded, marked
        english = tokens("english", node.text) if not node.phrase else []
        alts = []
        if node.prefix:
            for base in bases:
                expansions = list(_limited(self.reader.expand_prefix(base + "_fold", folded[0]), MAX_PREFIX_TERMS))
                alts += [wq.Term(base + "_fold", t, boost=weights[base + "_fold"] or 1.0) for t in expansions]
            return (wq.Or(alts) if alts else wq.NullQuery), folded, {}
        if len(folded) > 1:
            # A phrase must match as a phrase (on the folded fields, which keep positions); the exact
            # body has no positions, so its words only add a bonus to documents that already match.
            required = [_phrase_or_term(base + "_fold", folded, weights[base + "_fold"] or 0.1) for base in bases]
            if weights["body"]:
                required.append(_phrase_or_term("title", exact, weights["title"]))
            q = wq.Or(required)
            if weights["body"] and "body" in bases:
                q = wq.AndMaybe(q, wq.And([wq.Term("body", w) for w in exact], boost=weights["body"]))
            return q, folded, {}
        for base in bases:
            alts.append(wq.Term(base + "_fold", folded[0], boost=weights[base + "_fold"]))
            if weights["body"]:
                alts.append(wq.Term(base, exact[0], boost=weights[base]))
            if english and len(english) == 1:
                alts.append(wq.Term(base + "_en", english[0], boost=weights[base + "_en"]))
        return WordInFields(alts), folded, {}


def _marked_query(node: Text, bases: list[str], exact: list[str], folded: list[str], marked: dict, reader):
    """A word or phrase typed with marks: its marked words match their exact spelling only (the
    exact fields), except in documents written without marks, which match folded (search.marks)."""
    w = WEIGHTS_ACCENTED
    unmarked_doc = wq.Term(UNMARKED_FIELD, UNMARKED, boost=0.0)
    if node.prefix:
        exact_terms = [wq.Term(base, t, boost=w[base]) for base in bases
                       for t in _limited(reader.expand_prefix(base, exact[0]), MAX_PREFIX_TERMS)]
        folded_terms = [wq.Term(base + "_fold", t, boost=w[base]) for base in bases
                        for t in _limited(reader.expand_prefix(base + "_fold", folded[0]), MAX_PREFIX_TERMS)]
        exact_q = wq.Or(exact_terms) if exact_terms else wq.NullQuery
        folded_q = wq.Or(folded_terms) if folded_terms else wq.NullQuery
        return wq.Or([exact_q, wq.And([folded_q, unmarked_doc])])
    if len(folded) == 1:
        exact_q = WordInFields([wq.Term(base, exact[0], boost=w[base]) for base in bases])
        folded_q = WordInFields([wq.Term(base + "_fold", folded[0], boost=w[base]) for base in bases])
        return wq.Or([exact_q, wq.And([folded_q, unmarked_doc])])
    # A phrase: in a row on the folded fields (which keep positions), and each marked word present
    # as typed (the exact body keeps no positions); the exact title phrase adds a bonus.
    phrase = wq.Or([wq.Phrase(base + "_fold", folded, boost=w[base + "_fold"] or 0.1) for base in bases])
    spelled = wq.And([wq.Or([wq.Term(base, e, boost=w[base]) for base in bases]) for e in marked.values()])
    exact_q = wq.AndMaybe(wq.And([phrase, spelled]), wq.Phrase("title", exact, boost=w["title"]))
    return wq.Or([exact_q, wq.And([phrase, unmarked_doc])])


def _marks_agree(typed: str, name: str) -> bool:
    """A name typed with marks names the person only if its marked words are spelled as the
    person's name is: `tổ lam` is not Tô Lâm (a name written without marks, or in another script,
    cannot disagree)."""
    typed_words, name_words = tokens("exact", typed), tokens("exact", name)
    if len(typed_words) != len(name_words):
        return True
    return all(t == n or not vietnamese_marked(t) or not vietnamese_marked(n)
               for t, n in zip(typed_words, name_words, strict=True))


def has_marks(parsed: ParsedQuery) -> bool:
    """Was the query typed with diacritics (Vietnamese marks, đ)?"""
    return any(isinstance(c.node, Text) and fold_accents(c.node.text) != c.node.text for c in parsed.clauses())


def query_words(parsed: ParsedQuery) -> set[str]:
    """Every word the query looks for (folded), function words included: what an article page marks,
    and what the proximity bonus looks for close together."""
    return {t for c in parsed.clauses() if isinstance(c.node, Text) and not c.negated
            for t in tokens("folded", c.node.text)}


def spelled_words(parsed: ParsedQuery) -> dict[str, frozenset[str]]:
    """Folded word → the spellings it was typed in with Vietnamese marks, for words typed only
    with marks (as QueryPlan.spelled, without an index: for highlighting an article)."""
    marked: dict[str, set[str]] = {}
    unmarked: set[str] = set()
    for c in parsed.clauses():
        if isinstance(c.node, Text) and not c.negated:
            exact, folded = tokens("exact", c.node.text), tokens("folded", c.node.text)
            if len(exact) != len(folded):
                exact = folded
            for e, f in zip(exact, folded, strict=True):
                if e != f and vietnamese_marked(e):
                    marked.setdefault(f, set()).add(e)
                else:
                    unmarked.add(f)
    return {f: frozenset(forms) for f, forms in marked.items() if f not in unmarked}


def word_count(parsed: ParsedQuery) -> int:
    return sum(1 for c in parsed.clauses() if isinstance(c.node, Text) and not c.negated)


def _phrase_or_term(fieldname: str, words: list[str], boost: float):
    if len(words) == 1:
        return wq.Term(fieldname, words[0], boost=boost)
    return wq.Phrase(fieldname, words, boost=boost)


def _limited(iterable, n):
    for i, item in enumerate(iterable):
        if i >= n:
            return
        yield item.decode("utf-8") if isinstance(item, bytes) else item


def _function_word_groups(groups, accented: bool) -> set[int]:
    """Groups (by id) holding a function or question word, to leave out of an any-word ranking.

    In the any-word fallback (long questions such as "Ai là người đứng đầu …?"), words like
    `là`, `của`, `gì` match nearly every article and their word pairs (`là người`) add noise; the
    content words decide. Kept when the query has nothing else; only for queries typed with marks."""
    if not accented:
        return set()
    found = {id(g) for g in groups if _plain_word(g) and (t := tokens("exact", g[0].node.text))
             and len(t) == 1 and t[0] in FUNCTION_WORDS}
    content = sum(1 for g in groups if id(g) not in found)
    return found if content else set()


def _plain_word(group) -> bool:
    c = group[0]
    return len(group) == 1 and not c.negated and isinstance(c.node, Text) and not c.node.phrase \
        and not c.node.prefix and c.node.field is None


def _phrase(group) -> bool:
    c = group[0]
    return len(group) == 1 and not c.negated and isinstance(c.node, Text) and c.node.phrase and c.node.field is None
