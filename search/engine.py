"""The search core: one place that turns a request into hits, facets and messages, for the CLI,
the JSON API and the web pages alike.

Free text is AND by default: every word must match, because users of a news archive narrow
down (a name, a place, an event) and expect each added word to narrow further. When that finds
nothing and the query has several words, the engine says so and shows the documents matching
any of them, ranked, so a long natural-language question still finds its article.
"""

from __future__ import annotations

import datetime
import logging
import re
import threading
import time
from dataclasses import dataclass, field

import numpy as np
from whoosh import query as wq
from whoosh.scoring import BM25F

from search.analysis import tokens
from search.analysis.vietnamese import fold_accents
from search.executor import PROXIMITY_WEIGHT, RERANK_WINDOW, Executor, Scored, WordInFields, top
from search.facets import UNKNOWN, FacetColumns
from search.highlight import mark_html, matching_spans, snippet
from search.indexing.schema import from_stored
from search.indexing.store import IndexStore, Manifest
from search.metadata.folding import identity_key
from search.metadata.outlets import OutletRegistry
from search.metadata.people import PeopleRegistry, best_display_name
from search.postings import Deadline, PostingsCache, SearchTimeout
from search.querylang import Filter, ParsedQuery, Text, parse
from search.readers import ReaderPool, leased
from search.timeline import timeline_for

log = logging.getLogger(__name__)
PAGE_SIZE = 10
MAX_PAGE = 100  # deeper pages cost more and nobody reads them; narrow the query instead
MAX_PAGE_SIZE = 50
MAX_PREFIX_TERMS = 64  # a prefix query expands to at most this many terms per field
TIME_LIMIT = 5.0  # seconds a search may take before it is stopped with a message
FACET_LIMIT = 10
SORTS = ("relevance", "newest", "oldest")
FACETS = ("year", "month", "outlet", "language", "delegate")
LANGUAGE_NAMES = {"vi": "Tiếng Việt", "en": "English", "zh": "中文", "ru": "Русский", "fr": "Français",
                  "de": "Deutsch", "es": "Español", "ja": "日本語", "ko": "한국어", "th": "ไทย", "und": "Undetermined"}
LANGUAGE_ALIASES = {identity_key(name): code for code, name in LANGUAGE_NAMES.items()} | {
    "vietnamese": "vi", "english": "en", "chinese": "zh", "tiengviet": "vi", "russian": "ru"}

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
DATE_RE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")


class SearchError(ValueError):
    """A request that cannot be answered as asked; the message says what to change."""

    def __init__(self, message: str, parameter: str | None = None):
        super().__init__(message)
        self.parameter = parameter


@dataclass
class SearchRequest:
    q: str = ""
    language: list[str] = field(default_factory=list)
    outlet: list[str] = field(default_factory=list)
    delegate: list[str] = field(default_factory=list)
    year: list[str] = field(default_factory=list)
    month: list[str] = field(default_factory=list)
    date_from: str | None = None
    date_to: str | None = None
    sort: str = "relevance"
    page: int = 1
    page_size: int = PAGE_SIZE
    mode: str = "all"  # "all" words (default) or "any" (ranked retrieval, as in the evaluation)
    facet_limit: int = FACET_LIMIT


@dataclass
class Generation:
    """Everything cached for one published index generation."""

    name: str
    index: object
    searcher: object
    facets: FacetColumns
    postings: PostingsCache
    people: dict[str, str]  # delegate key → display name
    readers: ReaderPool  # searchers lent one per search (search.readers): searches run side by side


class SearchEngine:
    def __init__(self, index_dir, outlets: OutletRegistry | None = None, people: PeopleRegistry | None = None,
                 time_limit: float | None = TIME_LIMIT, background_reopen: bool = False):
        self.store = IndexStore(index_dir)
        self.time_limit = time_limit
        self.background_reopen = background_reopen  # for long-running servers
        self._opening: str | None = None
        self.outlets = outlets or OutletRegistry.load()
        self.registry = people or PeopleRegistry.load()
        self._generation: Generation | None = None
        self._open_lock = threading.Lock()

    # --- index generations ------------------------------------------------------------------
    def generation(self) -> Generation:
        """The live generation. When `search reindex` has published a new one, it is opened in
        the background while searches go on being answered from the current one, and replaces it
        when ready: no search waits for a new generation's arrays (seconds at 100,000 articles)."""
        name = self.store.current_name()
        gen = self._generation
        if gen is not None and gen.name == name:
            return gen
        if gen is not None and self.background_reopen:
            self._open_in_background(name)
            return gen
        with self._open_lock:
            gen = self._generation
            if gen is None or gen.name != self.store.current_name():
                gen = self._open()
                self._generation = gen
        return gen

    def _open_in_background(self, name: str) -> None:
        with self._open_lock:
            if self._opening == name:
                return
            self._opening = name

        def open_new():
            try:
                gen = self._open()
                with self._open_lock:
                    self._generation = gen
            except Exception:  # a generation replaced again while opening, say; the next search retries
                log.exception("could not open index generation %s", name)
            finally:
                with self._open_lock:
                    if self._opening == name:
                        self._opening = None

        threading.Thread(target=open_new, name=f"open-{name}", daemon=True).start()

    def _open(self) -> Generation:
        gen_dir = self.store.current_dir()
        index = self.store.open()
        searcher = index.searcher(weighting=BM25F())
        names: dict[str, list[str]] = {}
        for entry in Manifest.read(gen_dir).files.values():
            for key, name in entry.get("people", []):
                names.setdefault(key, []).append(name)
        people = {}
        for key, forms in names.items():
            entry = self.registry.canonical(forms[0])
            people[key] = entry.name if entry else best_display_name(forms)
        return Generation(gen_dir.name, index, searcher, FacetColumns(searcher.reader()), PostingsCache(searcher),
                          people, ReaderPool(index, searcher, weighting=BM25F()))

    # --- searching ---------------------------------------------------------------------------
    def search(self, request: SearchRequest) -> dict:
        started = time.perf_counter()
        _validate(request)
        gen = self.generation()
        self._check_known_values(gen, request)
        parsed = parse(request.q)
        notes = list(parsed.notes)
        selections = self._selections(request, parsed, notes)
        deadline = Deadline.after(self.time_limit)
        try:
            with leased(gen, deadline) as own:  # waiting for a searcher counts against the limit
                result = self._search_locked(own, request, parsed, selections, notes, deadline)
        except SearchTimeout:
            raise SearchTimeout(f"the search was stopped after {self.time_limit:g} s; narrow it with fewer "
                                "common words, a phrase or a filter") from None
        result["took_ms"] = round((time.perf_counter() - started) * 1000, 1)
        return result

    def _search_locked(self, gen, request, parsed, selections, notes, deadline) -> dict:
        reader = gen.searcher.reader()
        executor = Executor(gen.postings, deadline)
        text_query, pair_boosts, highlight_terms, prefixes = self._text_query(parsed, reader, request.mode,
                                                                            gen.people)
        mode = request.mode
        matched = self._evaluate(gen, executor, text_query)
        if mode == "all" and text_query is not None and not matched.mask.any() and _word_count(parsed) > 1:
            any_query, any_boosts, _, _ = self._text_query(parsed, reader, "any", gen.people)
            any_matched = self._evaluate(gen, executor, any_query)
            if any_matched.mask.any():
                notes.append("no article has all the words; showing articles with any of them")
                text_query, pair_boosts, matched, mode = any_query, any_boosts, any_matched, "any"
        text_mask = matched.mask

        facet_masks = {name: gen.facets.mask_for(name, values) for name, values in selections.items()
                       if name in FACETS and values}
        date_mask = None
        if selections.get("from") or selections.get("to"):
            date_mask = gen.facets.date_range_mask(selections.get("from"), selections.get("to"))
        final = text_mask.copy()
        for m in facet_masks.values():
            final &= m
        if date_mask is not None:
            final &= date_mask
        total = int(final.sum())

        hits = self._hits(gen, executor, request, text_query, matched, pair_boosts, final, total, highlight_terms,
                          prefixes, _query_words(parsed))
        facets = self._facets(gen, text_mask, facet_masks, date_mask, selections, request.facet_limit)
        result = {
            "query": request.q, "mode": mode, "total": total, "page": request.page,
            "page_size": request.page_size, "pages": max(1, -(-total // request.page_size)),
            "sort": request.sort, "hits": hits, "facets": facets, "notes": notes,
            "filters": _filters_json(selections, self, gen), "suggestion": None,
            "timeline": timeline_for(gen.facets, text_mask, facet_masks, final, selections),
        }
        if total < 3 and text_query is not None:
            result["suggestion"] = self._suggest(gen, executor, parsed, total)
        return result

    @staticmethod
    def _evaluate(gen: Generation, executor: Executor, query) -> Scored:
        """Which live documents match `query`, with their scores (all, unscored, for no text)."""
        if query is None:
            return Scored(gen.facets.live.copy(), np.zeros(gen.facets.size))
        matched = executor.run(query)
        matched.mask &= gen.facets.live
        return matched

    @staticmethod
    def _ranked(executor: Executor, matched: Scored, within: np.ndarray, boosts: list, first: int, wanted: int,
                words=()):
        """(document, score) for ranks `first`..`wanted`: best word scores, then, for the best
        RERANK_WINDOW of them, the word-pair bonus and the bonus for the query's `words` (folded)
        found close together."""
        words = sorted(words)
        rerank = bool(boosts) or len(words) > 1
        docs, scores = top(matched, within, max(wanted, RERANK_WINDOW) if rerank else wanted)
        if rerank and len(docs):
            if boosts:
                scores = executor.rerank(docs, scores, boosts)
            if len(words) > 1:
                scores = scores + PROXIMITY_WEIGHT * scores.max() * executor.proximity(docs, words)
            order = np.lexsort((docs, -scores))
            docs, scores = docs[order], scores[order]
        return list(zip(docs[first:wanted].tolist(), scores[first:wanted].tolist(), strict=True))

    def _hits(self, gen, executor, request, text_query, matched, boosts, final, total, terms, prefixes,
              words) -> list[dict]:
        first = (request.page - 1) * request.page_size
        if first >= total:
            return []
        wanted = first + request.page_size
        if request.sort == "relevance" and text_query is not None:
            ranked = self._ranked(executor, matched, final, boosts, first, wanted, words)
        else:
            docnums = np.nonzero(final)[0]
            dates = gen.facets.date_sort[docnums]
            if request.sort == "oldest":
                key = np.where(dates > 0, dates, np.iinfo(np.int64).max)  # undated last
                order = np.lexsort((docnums, key))
            else:
                order = np.lexsort((docnums, -dates))
            ranked = [(int(d), None) for d in docnums[order][first:wanted]]
        hits = []
        for docnum, score in ranked:
            article = from_stored(gen.searcher.stored_fields(docnum))
            meta = article.metadata()
            meta["delegates"] = [{"key": p.key, "name": gen.people.get(p.key, p.name)} for p in article.delegates]
            meta["score"] = round(score, 3) if score is not None else None
            meta["snippet"] = snippet(article.body, terms, prefixes)
            meta["title_html"] = mark_html(article.title, matching_spans(article.title, terms, prefixes))
            meta["language_name"] = LANGUAGE_NAMES.get(article.language, article.language)
            hits.append(meta)
        return hits

    def _facets(self, gen, text_mask, facet_masks, date_mask, selections, limit) -> dict:
        """Disjunctive counts: each facet sees every other facet's selection, not its own."""
        out = {}
        for name in ("year", "month", "outlet", "language", "delegate"):
            if name == "month" and len(selections.get("year", [])) != 1:
                continue  # months are shown inside one selected year
            mask = text_mask.copy()
            for other, m in facet_masks.items():
                if other != name:
                    mask &= m
            if date_mask is not None:
                mask &= date_mask
            counts = gen.facets.counts(name, mask)
            if name == "month":
                year = selections["year"][0]
                counts = {k: v for k, v in counts.items() if k.startswith(year + "-")}
            selected = selections.get(name, [])
            distinct = len(counts) + sum(1 for v in selected if v not in counts)
            shown = counts
            if name not in ("year", "month") and len(counts) > limit:
                # Thousands of delegates may match: label only those that can make the top `limit`.
                cut = sorted(counts.values(), reverse=True)[limit - 1]
                shown = {v: c for v, c in counts.items() if c >= cut or v in selected}
            values = [{"value": v, "label": self._label(gen, name, v), "count": c, "selected": v in selected}
                      for v, c in shown.items()]
            for v in selected:  # a selected value with no matches still shows, so it can be removed
                if v not in counts:
                    values.append({"value": v, "label": self._label(gen, name, v), "count": 0, "selected": True})
            if name in ("year", "month"):
                values.sort(key=lambda x: (x["value"] == UNKNOWN, x["value"]))
                truncated = False
            else:
                values.sort(key=lambda x: (not x["selected"], -x["count"], x["label"]))
                truncated = distinct > limit
                values = values[:limit] if truncated else values
            out[name] = {"values": values, "truncated": truncated, "distinct": distinct}
        return out

    def _label(self, gen, facet, value) -> str:
        if facet == "outlet":
            return self.outlets.get(value).name if value != UNKNOWN else "Unknown outlet"
        if facet == "language":
            return LANGUAGE_NAMES.get(value, value)
        if facet == "delegate":
            return gen.people.get(value, value)
        if value == UNKNOWN:
            return "Undated / year unknown" if facet == "year" else "Month unknown"
        return value

    # --- query building ----------------------------------------------------------------------
    def _text_query(self, parsed: ParsedQuery, reader, mode: str, people: dict | None = None):
        """(query or None, pair boosts or None, folded terms to highlight, prefixes to highlight)."""
        must, must_not, pairs = [], [], []
        weights = WEIGHTS_ACCENTED if _has_marks(parsed) else WEIGHTS_UNACCENTED
        terms: set[str] = set()
        prefixes: list[str] = []
        previous_word: str | None = None
        groups = parsed.groups
        skip = _function_word_groups(groups, accented=weights is WEIGHTS_ACCENTED) if mode == "any" else set()
        i = 0
        while i < len(groups):
            # A person's name, in any script or spelling, also finds the articles that name them
            # as a delegate: `宋涛` finds "Song Tao" in English, `Hoang Binh Quan` the Vietnamese.
            span, person = self._person_window(groups, i, people or {})
            alternatives = []
            for g in groups[i:i + span]:
                if id(g) in skip:
                    previous_word = None
                    continue
                for clause in g:
                    node = clause.node
                    if not isinstance(node, Text):
                        continue
                    q, folded = self._unit_query(node, reader, weights)
                    if q is None:
                        continue
                    if clause.negated:
                        must_not.append(q)
                        continue
                    alternatives.append(q)
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
        if not must and not must_not:
            return None, [], terms, tuple(prefixes)
        if must:
            core = wq.And(must) if mode == "all" else wq.Or(must)
        else:
            core = wq.Every()
        if must_not:
            core = wq.AndNot(core, wq.Or(must_not))
        return core, pairs, terms, tuple(prefixes)

    def _person_window(self, groups, i: int, people: dict) -> tuple[int, str | None]:
        """The longest run of 1-4 plain words (or one phrase) from `i` that names a known delegate."""
        for span in range(min(4, len(groups) - i), 0, -1):
            window = groups[i:i + span]
            if not all(_plain_word(g) or (span == 1 and _phrase(g)) for g in window):
                continue
            text = " ".join(g[0].node.text for g in window)
            key = identity_key(text)
            if key not in people:
                entry = self.registry.canonical(text)  # another script or reading: Tống Đào, 宋涛
                key = entry.key if entry else key
            if key in people:
                return span, key
        return 1, None

    def _unit_query(self, node: Text, reader, weights: dict):
        folded = tokens("folded", node.text)
        if not folded:
            return None, []
        if node.field == "author":
            return _phrase_or_term("author", folded, weights["author"]), folded
        bases = ["title"] if node.field == "title" else ["title", "body"]
        exact = tokens("exact", node.text) if weights["body"] else []
        english = tokens("english", node.text) if not node.phrase else []
        alts = []
        if node.prefix:
            for base in bases:
                expansions = list(_limited(reader.expand_prefix(base + "_fold", folded[0]), MAX_PREFIX_TERMS))
                alts += [wq.Term(base + "_fold", t, boost=weights[base + "_fold"] or 1.0) for t in expansions]
            return (wq.Or(alts) if alts else wq.NullQuery), folded
        if len(folded) > 1:
            # A phrase must match as a phrase (on the folded fields, which keep positions); the exact
            # body has no positions, so its words only add a bonus to documents that already match.
            required = [_phrase_or_term(base + "_fold", folded, weights[base + "_fold"] or 0.1) for base in bases]
            if exact:
                required.append(_phrase_or_term("title", exact, weights["title"]))
            q = wq.Or(required)
            if exact and "body" in bases:
                q = wq.AndMaybe(q, wq.And([wq.Term("body", w) for w in exact], boost=weights["body"]))
            return q, folded
        for base in bases:
            alts.append(wq.Term(base + "_fold", folded[0], boost=weights[base + "_fold"]))
            if exact:
                alts.append(wq.Term(base, exact[0], boost=weights[base]))
            if english and len(english) == 1:
                alts.append(wq.Term(base + "_en", english[0], boost=weights[base + "_en"]))
        return WordInFields(alts), folded

    # --- filters -----------------------------------------------------------------------------
    def _check_known_values(self, gen: Generation, request: SearchRequest) -> None:
        """A filter value that neither this index nor the registries know is a mistake (a typo, an
        edited URL), not a question whose answer is "nothing": say so, naming the parameter."""
        columns = gen.facets.columns
        known = {"lang": set(columns["language"].values) | set(LANGUAGE_NAMES),
                 "outlet": set(columns["outlet"].values) | set(self.outlets.by_key) | {UNKNOWN}}
        for param, values in (("lang", request.language), ("outlet", request.outlet)):
            for v in values:
                if v not in known[param]:
                    examples = ", ".join(sorted(columns["language" if param == "lang" else "outlet"].values)[:12])
                    raise SearchError(f"unknown {param} {v[:60]!r}; this index has: {examples}", param)
        for name in request.delegate:
            key = identity_key(name)
            if key not in gen.people and not self.registry.canonical(name):
                raise SearchError(f"no delegate {name[:60]!r} in this index", "delegate")

    def _selections(self, request: SearchRequest, parsed: ParsedQuery, notes: list[str]) -> dict:
        sel = {"language": list(request.language), "outlet": list(request.outlet),
               "delegate": [identity_key(d) or d for d in request.delegate],
               "year": list(request.year), "month": list(request.month)}
        sel["from"] = _date_bound(request.date_from, "from")
        sel["to"] = _date_bound(request.date_to, "to")
        if sel["from"] and sel["to"] and sel["from"] > sel["to"]:
            raise SearchError(f"'from' ({request.date_from}) is after 'to' ({request.date_to})", "from")
        for clause in parsed.clauses():
            node = clause.node
            if not isinstance(node, Filter):
                continue
            if clause.negated:
                notes.append(f"'-{node.field}:' is not supported; ignored")
                continue
            if node.field == "outlet":
                outlet = self.outlets.by_key.get(node.value.lower()) or self.outlets.by_name(node.value)
                if outlet is None and node.value.lower() != UNKNOWN:
                    notes.append(f"unknown outlet '{node.value}'")
                    sel["outlet"].append(node.value.lower())
                else:
                    sel["outlet"].append(outlet.key if outlet else UNKNOWN)
            elif node.field == "language":
                code = node.value.lower() if len(node.value) <= 3 else LANGUAGE_ALIASES.get(identity_key(node.value))
                sel["language"].append(code or node.value.lower())
            elif node.field == "delegate":
                sel["delegate"].append(identity_key(node.value))
            elif node.field == "date":
                self._date_clause(node, sel, notes)
        for key in ("language", "outlet", "delegate", "year", "month"):
            sel[key] = list(dict.fromkeys(v for v in sel[key] if v))
        return sel

    def _date_clause(self, node: Filter, sel: dict, notes: list[str]) -> None:
        try:
            if node.upper is not None:
                sel["from"] = _date_bound(node.value or None, "from")
                sel["to"] = _date_bound(node.upper or None, "to")
                return
            m = DATE_RE.match(node.value)
            if not m:
                raise SearchError("bad date")
            if m.group(3):
                sel["from"] = sel["to"] = _date_bound(node.value, "from")
            elif m.group(2):
                sel["year"].append(m.group(1))
                sel["month"].append(f"{m.group(1)}-{int(m.group(2)):02d}")
            else:
                sel["year"].append(m.group(1))
        except SearchError:
            notes.append(f"'date:{node.value}' is not a date (use 2020, 2020-07, 2020-07-14 or [FROM TO TO]); ignored")

    # --- did you mean --------------------------------------------------------------------------
    def _suggest(self, gen, executor: Executor, parsed: ParsedQuery, total: int) -> dict | None:
        words = [c.node.text for c in parsed.clauses()
                 if isinstance(c.node, Text) and not c.node.phrase and not c.node.prefix and not c.negated]
        if not words:
            return None
        corrector = gen.searcher.corrector("body_fold")
        changed, fixed = False, []
        for word in words:
            folded = tokens("folded", word)
            if len(folded) == 1 and len(folded[0]) >= 4 and \
                    gen.searcher.reader().doc_frequency("body_fold", folded[0]) == 0:
                suggestions = corrector.suggest(folded[0], limit=1, maxdist=2)
                if suggestions and suggestions[0] != folded[0]:
                    fixed.append(suggestions[0])
                    changed = True
                    continue
            fixed.append(word)
        if not changed:
            return None
        q = " ".join(fixed)
        probe, _, _, _ = self._text_query(parse(q), gen.searcher.reader(), "all", gen.people)
        count = int(self._evaluate(gen, executor, probe).mask.sum()) if probe is not None else 0
        return {"q": q, "total": count} if count > total else None

    def rank(self, q: str, limit: int = 100, mode: str = "any") -> list[str]:
        """Just the ranked ids for `q`, through the same query path as `search` (for evaluation)."""
        with leased(self.generation()) as gen:
            parsed = parse(q)
            text_query, boosts, _, _ = self._text_query(parsed, gen.searcher.reader(), mode, gen.people)
            if text_query is None:
                return []
            executor = Executor(gen.postings)
            matched = self._evaluate(gen, executor, text_query)
            ranked = self._ranked(executor, matched, matched.mask, boosts, 0, limit, _query_words(parsed))
            return [gen.searcher.stored_fields(docnum)["id"] for docnum, _ in ranked]

    # --- articles ----------------------------------------------------------------------------
    def article(self, doc_id: str, q: str = "") -> dict | None:
        if not re.fullmatch(r"[0-9a-f]{16}", doc_id or ""):
            return None
        gen = self.generation()
        with leased(gen) as own:
            fields = own.searcher.document(id=doc_id)
        if not fields:
            return None
        article = from_stored(fields)
        data = article.to_json()
        data["delegates"] = [{"key": p.key, "name": gen.people.get(p.key, p.name)} for p in article.delegates]
        data["language_name"] = LANGUAGE_NAMES.get(article.language, article.language)
        terms = _query_words(parse(q) if q else ParsedQuery())
        data["body_html"] = [mark_html(p, matching_spans(p, terms)) for p in article.body.split("\n") if p.strip()]
        return data

    def overview(self) -> dict:
        """What the archive holds: counts by language and outlet, for the home page."""
        gen = self.generation()
        live = gen.facets.live
        return {
            "documents": int(live.sum()),
            "language": _ranked(gen.facets.counts("language", live), lambda v: self._label(gen, "language", v)),
            "outlet": _ranked(gen.facets.counts("outlet", live), lambda v: self._label(gen, "outlet", v)),
            "generation": gen.name,
        }


def _ranked(counts: dict, label) -> list[dict]:
    return [{"value": v, "label": label(v), "count": c} for v, c in sorted(counts.items(), key=lambda x: -x[1])]


def _phrase_or_term(fieldname: str, words: list[str], boost: float):
    if len(words) == 1:
        return wq.Term(fieldname, words[0], boost=boost)
    return wq.Phrase(fieldname, words, boost=boost)


def _limited(iterable, n):
    for i, item in enumerate(iterable):
        if i >= n:
            return
        yield item.decode("utf-8") if isinstance(item, bytes) else item


def _has_marks(parsed: ParsedQuery) -> bool:
    """Was the query typed with diacritics (Vietnamese marks, đ)?"""
    return any(isinstance(c.node, Text) and fold_accents(c.node.text) != c.node.text for c in parsed.clauses())


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


def _query_words(parsed: ParsedQuery) -> set[str]:
    """Every word the query looks for (folded), function words included: what an article page marks,
    and what the proximity bonus looks for close together."""
    return {t for c in parsed.clauses() if isinstance(c.node, Text) and not c.negated
            for t in tokens("folded", c.node.text)}


def _word_count(parsed: ParsedQuery) -> int:
    return sum(1 for c in parsed.clauses() if isinstance(c.node, Text) and not c.negated)


def _validate(request: SearchRequest) -> None:
    if request.sort not in SORTS:
        raise SearchError(f"sort must be one of {', '.join(SORTS)}", "sort")
    if not 1 <= request.page <= MAX_PAGE:
        raise SearchError(f"page must be between 1 and {MAX_PAGE}", "page")
    if not 1 <= request.page_size <= MAX_PAGE_SIZE:
        raise SearchError(f"page_size must be between 1 and {MAX_PAGE_SIZE}", "page_size")
    if request.mode not in ("all", "any"):
        raise SearchError("mode must be 'all' or 'any'", "mode")
    for y in request.year:
        if y != UNKNOWN and not re.fullmatch(r"\d{4}", y):
            raise SearchError(f"year must be YYYY or 'unknown', not {y!r}", "year")
    for m in request.month:
        if m != UNKNOWN and not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", m):
            raise SearchError(f"month must be YYYY-MM, not {m!r}", "month")


def _date_bound(value: str | None, which: str) -> int | None:
    """`2020`, `2020-07` or `2020-07-14` → yyyymmdd, as the start or the end of that period."""
    if not value:
        return None
    m = DATE_RE.match(value.strip())
    if not m:
        raise SearchError(f"{which} must be a date like 2020, 2020-07 or 2020-07-14, not {value!r}", which)
    year, month, day = int(m.group(1)), int(m.group(2) or 0), int(m.group(3) or 0)
    try:
        datetime.date(year, month or 1, day or 1)  # 2020-02-30, 2020-13 and 2020-00 do not exist
    except ValueError:
        raise SearchError(f"{which}: no such date {value!r}", which) from None
    if m.group(2) and not month or m.group(3) and not day:
        raise SearchError(f"{which}: no such date {value!r}", which)
    if which == "from":
        return year * 10000 + (month or 1) * 100 + (day or 1)
    return year * 10000 + (month or 12) * 100 + (day or 31)


def _filters_json(sel: dict, engine: SearchEngine, gen: Generation) -> list[dict]:
    """The active filters, as chips: facet, value, label."""
    chips = []
    for facet in ("year", "month", "outlet", "language", "delegate"):
        for v in sel.get(facet, []):
            chips.append({"facet": facet, "value": v, "label": engine._label(gen, facet, v)})
    for which in ("from", "to"):
        if sel.get(which):
            d = str(sel[which])
            iso = f"{d[:4]}-{d[4:6]}-{d[6:]}"
            chips.append({"facet": which, "value": iso, "label": iso})
    return chips
