"""Results as users see them: hits with snippets, facet values with counts and labels, and the
active filters as chips.

Facet counts are disjunctive, as in Datasette: each facet is counted with every other facet's
selection applied but not its own, so its other values stay visible and can be added.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np

from search.analysis import tokens
from search.facets import FACETS, LANGUAGE_NAMES, UNKNOWN, FacetColumns
from search.highlight import FOLD_TABLE, flat_snippet, flatten, fold, mark_html, matching_spans
from search.indexing.schema import from_stored
from search.marks import written_without_marks
from search.query_builder import QueryPlan, query_words, spelled_words
from search.querylang import ParsedQuery, parse
from search.request import Selections


@dataclass
class Labels:
    """Display names for facet values in the UI's language: outlets from the outlet registry,
    delegates from the people registry (name and role), else as the generation recorded them."""

    outlets: object  # OutletRegistry
    people: dict[str, str]
    registry: object = None  # PeopleRegistry
    lang: str = "en"
    year: int | None = None  # roles as held that year (the period searched), else the latest

    def __call__(self, facet: str, value: str) -> str:
        if facet == "outlet":
            return self.outlets.label(value, self.lang)  # the unknown outlet too, in the UI language
        if facet == "language":
            return LANGUAGE_NAMES.get(value, value)
        if facet == "delegate":
            if self.registry is not None:
                return self._display(value)[0]
            return self.people.get(value, value)
        if value == UNKNOWN:
            return "Undated / year unknown" if facet == "year" else "Month unknown"
        return value

    def role(self, facet: str, value: str) -> str:
        """A delegate's role (`head of the CPC International Department`), '' when unknown."""
        if facet != "delegate" or self.registry is None:
            return ""
        return self._display(value)[1]

    def _display(self, key: str) -> tuple[str, str]:
        """The registry's (name, role); the generation's name for the person (worked out on first
        use, 0.2 ms a person) is asked for only when the registry does not know the key."""
        if key in getattr(self.registry, "by_key", ()):
            return self.registry.display(key, self.lang, year=self.year)
        return self.registry.display(key, self.lang, fallback=self.people.get(key, key), year=self.year)


def role_year(sel: Selections) -> int | None:
    """The year whose roles the delegate facet shows: the last year selected, else the end of the
    date range (`Song Tao` in 2019: head of the CPC International Department; today: another post)."""
    years = [int(y) for y in sel.of("year") if y.isdigit()]
    if years:
        return max(years)
    return sel.date_to // 10000 if sel.date_to else None


class Narrowing:
    """The masks a request's selections make: one per facet with selected values, and the dates."""

    def __init__(self, facets: FacetColumns, sel: Selections):
        self.by_facet = {f.name: facets.mask_for(f.name, sel.of(f.name)) for f in FACETS if sel.of(f.name)}
        self.dates = None
        if sel.date_from or sel.date_to:
            self.dates = facets.date_range_mask(sel.date_from, sel.date_to)

    def apply(self, mask: np.ndarray, except_facet: str | None = None) -> np.ndarray:
        mask = mask.copy()
        for name, m in self.by_facet.items():
            if name != except_facet:
                mask &= m
        if self.dates is not None:
            mask &= self.dates
        return mask

    def apply_to(self, docs: np.ndarray, except_facet: str | None = None) -> np.ndarray:
        """`apply` for documents given by number (ascending): those of `docs` the selections keep."""
        keep = np.ones(len(docs), dtype=bool)
        for name, m in self.by_facet.items():
            if name != except_facet:
                keep &= m[docs]
        if self.dates is not None:
            keep &= self.dates[docs]
        return docs[keep]


SNIPPET_SCAN_CHARS = 60_000


@dataclass
class Shown:
    """A document as a hit needs it: the article, and the part of its body a snippet is looked for
    in, flattened and folded (the same whatever the query)."""

    article: object  # Article
    flat: str
    folded: str

    @classmethod
    def read(cls, searcher, docnum: int) -> Shown:
        article = from_stored(searcher.stored_fields(docnum))
        # The snippet is looked for in the first SNIPPET_SCAN_CHARS only: a 5 MB article cost 4 s here.
        flat = flatten(article.body[:SNIPPET_SCAN_CHARS])
        return cls(article, flat, fold(flat))


class ShownCache:
    """The documents shown as hits in one index generation, kept once decoded (reading the stored
    record, parsing it, flattening and folding the body were half the cost of a warm search); the
    least recently shown are dropped past `max_chars` of body text (two copies: flat and folded)."""

    def __init__(self, max_chars: int = 8_000_000):
        self.max_chars = max_chars
        self._docs: OrderedDict[int, Shown] = OrderedDict()
        self._chars = 0
        self._lock = threading.Lock()

    def get(self, searcher, docnum: int) -> Shown:
        with self._lock:
            shown = self._docs.get(docnum)
            if shown is not None:
                self._docs.move_to_end(docnum)
                return shown
        shown = Shown.read(searcher, docnum)  # outside the lock: searches decode side by side
        with self._lock:
            if docnum not in self._docs:
                self._docs[docnum] = shown
                self._chars += 2 * len(shown.flat)
                while self._chars > self.max_chars and len(self._docs) > 1:
                    _, old = self._docs.popitem(last=False)
                    self._chars -= 2 * len(old.flat)
        return shown


def hits(searcher, people: dict, ranked: list[tuple[int, float | None]], plan: QueryPlan,
         unmarked_docs=frozenset(), label: Labels | None = None, cache: ShownCache | None = None) -> list[dict]:
    """The page of hits; `unmarked_docs`: documents written without marks, where a word typed with
    marks is found (and marked) folded. With `label`, a known outlet is named as its facet value is
    (the registry's name in the UI's language), not by the name stored when the page was read.
    `cache`: the generation's decoded documents (else each is read from the searcher)."""
    keep = spelled_as_typed(plan.spelled)
    out = []
    for docnum, score in ranked:
        shown = cache.get(searcher, docnum) if cache is not None else Shown.read(searcher, docnum)
        article = shown.article
        meta = article.metadata()
        meta["delegates"] = [{"key": p.key, "name": people.get(p.key, p.name)} for p in article.delegates]
        meta["score"] = round(score, 3) if score is not None else None
        doc_keep = None if docnum in unmarked_docs else keep
        meta["snippet"] = flat_snippet(shown.flat, shown.folded, plan.highlight, plan.prefixes, doc_keep)
        meta["title_html"] = mark_html(article.title,
                                       matching_spans(article.title, plan.highlight, plan.prefixes, doc_keep))
        meta["language_name"] = LANGUAGE_NAMES.get(article.language, article.language)
        if label is not None:
            meta["outlet_name"] = label.outlets.label(article.outlet, label.lang, fallback=article.outlet_name)
        out.append(meta)
    return out


def spelled_as_typed(spelled: dict[str, frozenset[str]]):
    """A highlight filter: a word whose folded form was typed only with marks is marked when it is
    spelled as typed (`tô` marks Tô, not tổ or tờ); None when no word was typed with marks."""
    if not spelled:
        return None

    seen: dict[str, bool] = {}  # a page marks the same few words many times: each analysed once

    def keep(word: str) -> bool:
        kept = seen.get(word)
        if kept is None:
            forms = spelled.get(word.translate(FOLD_TABLE))
            if forms is None:
                kept = True
            else:
                exact = tokens("exact", word)
                kept = len(exact) == 1 and exact[0] in forms
            seen[word] = kept
        return kept

    return keep


# A result set holding fewer than this share of the generation's documents has its facets counted
# from its documents' values; a larger one with a pass over each column (same counts either way).
SPARSE_FACETS = 1 / 8


def facet_values(facets: FacetColumns, text_mask: np.ndarray, narrowing: Narrowing, sel: Selections,
                 label: Labels, limit: int, text_docs: np.ndarray | None = None) -> dict:
    """Facet values and counts; `text_docs`: the documents of `text_mask` by number, when known."""
    out = {}
    few = text_docs is not None and len(text_docs) < SPARSE_FACETS * facets.size
    for spec in FACETS:
        name = spec.name
        if name == "month" and len(sel.of("year")) != 1:
            continue  # months are shown inside one selected year
        if few:
            counts = facets.counts_of(name, narrowing.apply_to(text_docs, except_facet=name))
        else:
            counts = facets.counts(name, narrowing.apply(text_mask, except_facet=name))
        if name == "month":
            year = sel.of("year")[0]
            counts = {k: v for k, v in counts.items() if k.startswith(year + "-")}
        selected = sel.of(name)
        distinct = len(counts) + sum(1 for v in selected if v not in counts)
        shown = counts
        if not spec.by_time and len(counts) > limit:
            # Thousands of delegates may match: label only those that can make the top `limit`.
            cut = sorted(counts.values(), reverse=True)[limit - 1]
            shown = {v: c for v, c in counts.items() if c >= cut or v in selected}
        values = [{"value": v, "label": label(name, v), "count": c, "selected": v in selected}
                  for v, c in shown.items()]
        if name == "delegate":  # each person once, with a role where the registry knows one
            for v in values:
                if role := label.role(name, v["value"]):
                    v["role"] = role
        for v in selected:  # a selected value with no matches still shows, so it can be removed
            if v not in counts:
                values.append({"value": v, "label": label(name, v), "count": 0, "selected": True})
        if spec.by_time:
            values.sort(key=lambda x: (x["value"] == UNKNOWN, x["value"]))
            truncated = False
        else:
            values.sort(key=lambda x: (not x["selected"], -x["count"], x["label"]))
            truncated = distinct > limit
            values = values[:limit] if truncated else values
        out[name] = {"values": values, "truncated": truncated, "distinct": distinct}
    return out


def chips(sel: Selections, label: Labels) -> list[dict]:
    """The active filters: facet, value, label, and for a filter typed in the query, "source":
    "query" and "q_without" (the query without that clause), so that a chip can remove it."""
    out = []
    for spec in FACETS:
        for v in sel.of(spec.name):
            out.append(_chip(spec.name, v, label(spec.name, v), sel.typed.get((spec.name, v))))
    for which, bound in (("from", sel.date_from), ("to", sel.date_to)):
        if bound:
            d = str(bound)
            iso = f"{d[:4]}-{d[4:6]}-{d[6:]}"
            out.append(_chip(which, iso, iso, sel.typed.get((which, ""))))
    return out


def _chip(facet: str, value: str, label: str, q_without: str | None) -> dict:
    chip = {"facet": facet, "value": value, "label": label, "source": "parameter"}
    if q_without is not None:
        chip.update(source="query", q_without=q_without)
    return chip


def by_count(counts: dict, label) -> list[dict]:
    """Values with their labels, most frequent first (the home page's overview)."""
    return [{"value": v, "label": label(v), "count": c} for v, c in sorted(counts.items(), key=lambda x: -x[1])]


# An article page (and its JSON) shows at most this much of the body: a long news article is
# 5,000–30,000 characters; a 5 MB "article" would otherwise be 22 MB of highlighted HTML.
ARTICLE_PAGE_CHARS = 60_000


def _cut(text: str, limit: int) -> str:
    """`text` up to `limit` characters, ended at a paragraph (else a space) when one is near."""
    if len(text) <= limit:
        return text
    cut = text.rfind("\n", limit - 5000, limit)
    if cut < 0:
        cut = text.rfind(" ", limit - 500, limit)
    return text[:cut if cut > 0 else limit].rstrip()


def article_page(article, people: dict, q: str = "") -> dict:
    """An article's JSON for its page, on either backend: bounded to ARTICLE_PAGE_CHARS of the body
    (only that part is highlighted; the whole text is plain text at text_url), with the query's
    words marked — a word typed with marks marks its own spelling, unless the text has no marks."""
    data = article.to_json()
    data["delegates"] = [{"key": p.key, "name": people.get(p.key, p.name)} for p in article.delegates]
    data["language_name"] = LANGUAGE_NAMES.get(article.language, article.language)
    shown = _cut(article.body, ARTICLE_PAGE_CHARS)
    data.update(body=shown, body_chars=len(article.body), truncated=len(shown) < len(article.body),
                text_url=f"/articles/{article.id}.txt")
    parsed = parse(q) if q else ParsedQuery()
    terms = query_words(parsed)
    keep = None
    if not written_without_marks(article.title + "\n" + shown, article.language):
        keep = spelled_as_typed(spelled_words(parsed))
    data["body_html"] = [mark_html(p, matching_spans(p, terms, keep=keep)) for p in shown.split("\n") if p.strip()]
    return data
