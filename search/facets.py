"""Facet counts from columns held in memory as numpy arrays, one set per index generation.

Counting by walking every hit in Python is too slow at 100,000 articles; here a result set is a
boolean mask over document numbers and a facet count is one `np.bincount` over the codes of the
masked documents. Multi-valued facets (delegates) are kept as CSR arrays (offsets + codes).
Generations never change once published, so the arrays are built once per generation.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
from whoosh.columns import NumericColumn, RefBytesColumn, VarBytesColumn

from search.metadata.folding import identity_key
from search.metadata.outlets import UNKNOWN as UNKNOWN  # one "unknown" for every facet


@dataclass(frozen=True)
class FacetSpec:
    """One facet, described once for the engine, the web layer and the CLI."""

    name: str  # its key in a result's "facets" and "filters", and its SearchRequest attribute
    column: str  # the index field its values are read from
    param: str  # the URL parameter and CLI option that select a value
    label: str  # heading in English (web/labels.py translates by `name`)
    multi_valued: bool = False  # a document may hold several values (delegates): a CSR column
    by_time: bool = False  # listed in time order and never truncated, not by count


FACETS = (
    FacetSpec("year", "year", "year", "Year", by_time=True),
    FacetSpec("month", "month", "month", "Month", by_time=True),  # shown inside one selected year
    FacetSpec("outlet", "outlet", "outlet", "Outlet"),
    FacetSpec("language", "language", "lang", "Language"),
    FacetSpec("delegate", "delegate", "delegate", "Delegates", multi_valued=True),
)
FACET_BY_NAME = {f.name: f for f in FACETS}
FACET_BY_PARAM = {f.param: f for f in FACETS}
SINGLE_VALUED = tuple(f.column for f in FACETS if not f.multi_valued)
# Language facet values are ISO codes; these are their labels, and the names a query may use (lang:russian).
LANGUAGE_NAMES = {"vi": "Tiếng Việt", "en": "English", "zh": "中文", "ru": "Русский", "fr": "Français",
                  "de": "Deutsch", "es": "Español", "ja": "日本語", "ko": "한국어", "th": "ไทย", "und": "Undetermined"}
LANGUAGE_ALIASES = {identity_key(name): code for code, name in LANGUAGE_NAMES.items()} | {
    "vietnamese": "vi", "english": "en", "chinese": "zh", "tiengviet": "vi", "russian": "ru"}


@dataclass
class Column:
    values: list[str]  # code → value
    codes: np.ndarray  # docnum → code

    def code_of(self, value: str) -> int | None:
        try:
            return self.values.index(value)
        except ValueError:
            return None

    def mask_for(self, values: list[str]) -> np.ndarray:
        wanted = [c for v in values if (c := self.code_of(v)) is not None]
        return np.isin(self.codes, wanted)

    def counts(self, mask: np.ndarray) -> dict[str, int]:
        # Taken by position: a third of the time of a boolean index of the (uint8) codes at 100,000.
        return self.counts_of(np.flatnonzero(mask))

    def counts_of(self, docs: np.ndarray) -> dict[str, int]:
        """The same counts for the documents `docs` (a few hits: no pass over the whole column)."""
        return _named(self.values, np.bincount(self.codes[docs], minlength=len(self.values)))


@dataclass
class MultiColumn:
    values: list[str]
    offsets: np.ndarray  # docnum → start in codes; offsets[n + 1] - offsets[n] values
    codes: np.ndarray

    def mask_for(self, values: list[str]) -> np.ndarray:
        index = {v: i for i, v in enumerate(self.values)}
        wanted = np.isin(self.codes, [index[v] for v in values if v in index])
        owner = np.repeat(np.arange(len(self.offsets) - 1), np.diff(self.offsets))
        mask = np.zeros(len(self.offsets) - 1, dtype=bool)
        mask[owner[wanted]] = True
        return mask

    def counts(self, mask: np.ndarray) -> dict[str, int]:
        per_value = np.flatnonzero(np.repeat(mask, self._sizes))
        return _named(self.values, np.bincount(self.codes[per_value], minlength=len(self.values)))

    def counts_of(self, docs: np.ndarray) -> dict[str, int]:
        """The same counts for the documents `docs` (a few hits): only their values are gathered."""
        starts = self.offsets[docs]
        sizes = self.offsets[docs + 1] - starts
        # Value slots of every document in turn: each document's start, plus 0, 1, … within it.
        first_slot = np.cumsum(sizes) - sizes
        slots = np.arange(int(sizes.sum()), dtype=np.int64) + np.repeat(starts - first_slot, sizes)
        return _named(self.values, np.bincount(self.codes[slots], minlength=len(self.values)))

    @cached_property
    def _sizes(self) -> np.ndarray:
        """How many values each document holds."""
        return np.diff(self.offsets)

def _named(values: list[str], counts: np.ndarray) -> dict[str, int]:
    """value → count for the values counted at least once, in code order: converted in bulk (a query
    matching thousands of delegates spent 1.8 ms converting their counts one numpy scalar at a time)."""
    found = np.flatnonzero(counts)
    return dict(zip([values[i] for i in found.tolist()], counts[found].tolist(), strict=True))


class FacetColumns:
    """All facet columns of one index generation, plus live-document and date arrays."""

    def __init__(self, reader):
        n = reader.doc_count_all()
        self.size = n
        self.live = np.ones(n, dtype=bool)
        for leaf, base in reader.leaf_readers():
            deleted = np.fromiter(leaf.deleted_docs_set, dtype=np.int64) if leaf.has_deletions() else None
            if deleted is not None and len(deleted):
                self.live[deleted + base] = False
        self.columns: dict[str, Column | MultiColumn] = {
            f.name: _multi_column(reader, f.column, n) if f.multi_valued else _column(reader, f.column, n)
            for f in FACETS}
        self.date_sort = _numbers(reader, "date_sort", n)

    @property
    def delegate(self) -> MultiColumn:
        return self.columns["delegate"]

    @classmethod
    def from_arrays(cls, live: np.ndarray, date_sort: np.ndarray, columns: dict) -> FacetColumns:
        """Columns already laid out (memory-mapped from a generation's arrays, search.indexing.arrays)."""
        self = cls.__new__(cls)
        self.size = len(live)
        self.live, self.date_sort, self.columns = live, date_sort, dict(columns)
        return self

    def mask_for(self, facet: str, values: list[str]) -> np.ndarray:
        return self.columns[facet].mask_for(values)

    def counts(self, facet: str, mask: np.ndarray) -> dict[str, int]:
        return self.columns[facet].counts(mask)

    def counts_of(self, facet: str, docs: np.ndarray) -> dict[str, int]:
        """`counts` for the documents `docs` rather than a mask: what a search with few hits uses."""
        return self.columns[facet].counts_of(docs)

    def date_range_mask(self, lo: int | None, hi: int | None) -> np.ndarray:
        mask = self.date_sort > 0
        if lo is not None:
            mask &= self.date_sort >= lo
        if hi is not None:
            mask &= self.date_sort <= hi
        return mask


def _column(reader, field: str, n: int) -> Column:
    """A single-valued column as codes into its sorted distinct values, read in one piece per
    segment (iterating 100,000 documents through Whoosh's column readers took 0.5 s a field)."""
    per_segment = []
    for leaf, _ in reader.leaf_readers():
        size = leaf.doc_count_all()
        raw = leaf.column_reader(field, translate=False) if leaf.has_column(field) else None
        if isinstance(raw, RefBytesColumn.Reader):
            itemsize = raw._itemsize
            refs = np.frombuffer(raw._dbfile.get(raw._basepos, size * itemsize), dtype=">" + raw._typecode)
            uniques = [u.decode("utf-8") for u in raw._uniques]
        else:
            if isinstance(raw, VarBytesColumn.Reader):  # the data in one read, cut by its offsets
                offsets, lengths = raw._offsets, raw._lengths
                blob = raw._dbfile.get(raw._basepos, max((o + n for o, n in zip(offsets, lengths, strict=True)),
                                                         default=0))
                values = [blob[o:o + n].decode("utf-8") for o, n in zip(offsets, lengths, strict=True)]
            else:  # another column type: one value at a time
                values = list(leaf.column_reader(field)) if raw is not None else [""] * size
            uniques = sorted(set(values))
            index = {v: i for i, v in enumerate(uniques)}
            refs = np.array([index[v] for v in values], dtype=np.int64)
        per_segment.append((refs, uniques))
    values = sorted({u for _, uniques in per_segment for u in uniques})
    index = {v: i for i, v in enumerate(values)}
    codes = [np.array([index[u] for u in uniques], dtype=np.int32)[refs.astype(np.int64)] if len(uniques) else
             np.zeros(len(refs), dtype=np.int32) for refs, uniques in per_segment]
    return Column(values, np.concatenate(codes) if codes else np.zeros(n, dtype=np.int32))


def _numbers(reader, field: str, n: int) -> np.ndarray:
    """A numeric column (date_sort) as an int64 array."""
    parts = []
    for leaf, _ in reader.leaf_readers():
        size = leaf.doc_count_all()
        raw = leaf.column_reader(field, translate=False) if leaf.has_column(field) else None
        if isinstance(raw, NumericColumn.Reader):
            count = min(raw._count, size)
            data = np.frombuffer(raw._dbfile.get(raw._basepos, count * raw._fixedlen), dtype=">" + raw._typecode)
            part = np.full(size, raw._default, dtype=np.int64)
            part[:count] = data
            # Whoosh stores numbers shifted so that they sort as unsigned; undo it as the field does.
            translate = leaf.schema[field].from_column_value
            shift = translate(0)
            if translate(1) - shift != 1:
                raise ValueError(f"column {field!r} is not a plain shifted integer")
            parts.append(part + shift)
        else:
            parts.append(np.array(list(leaf.column_reader(field)) if raw is not None else [0] * size, dtype=np.int64))
    return np.concatenate(parts) if parts else np.zeros(n, dtype=np.int64)


def _multi_column(reader, field: str, n: int) -> MultiColumn:
    """A multi-valued keyword field (delegates) from its postings, segment by segment."""
    owners, codes = [], []
    values: list[str] = []
    code_of: dict[str, int] = {}
    for leaf, base in reader.leaf_readers():
        for term in leaf.lexicon(field):
            value = term.decode("utf-8") if isinstance(term, bytes) else term
            code = code_of.setdefault(value, len(values))
            if code == len(values):
                values.append(value)
            docs = np.fromiter(leaf.postings(field, term).all_ids(), dtype=np.int64) + base
            owners.append(docs)
            codes.append(np.full(len(docs), code, dtype=np.int32))
    owner = np.concatenate(owners) if owners else np.zeros(0, dtype=np.int64)
    code = np.concatenate(codes) if codes else np.zeros(0, dtype=np.int32)
    order = np.lexsort((code, owner))
    owner, code = owner[order], code[order]
    offsets = np.zeros(n + 1, dtype=np.int64)
    offsets[1:] = np.cumsum(np.bincount(owner, minlength=n))
    return MultiColumn(values, offsets, code)
