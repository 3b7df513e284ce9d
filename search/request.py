"""A search request: its limits, its validation, and what it selects besides its words.

Validation lives here once, for every way a value arrives: `page=1_0` in a URL, `--page` on the
command line, `from=2025-13` as a parameter or `date:2025-13` typed in the query. A bad parameter
is a SearchError (a 400 naming it); the same bad value typed inside `q` is a note with the same
message, and the clause is ignored, because the query language never refuses a query. Numbers are
ASCII digits only: `int()` would also read `1_0` as 10 and `٣` as 3.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from search.facets import FACETS, LANGUAGE_ALIASES, LANGUAGE_NAMES, UNKNOWN
from search.metadata.folding import identity_key
from search.querylang import Filter, ParsedQuery

PAGE_SIZE = 10
MAX_PAGE = 100  # deeper pages cost more and nobody reads them; narrow the query instead
MAX_PAGE_SIZE = 50
TIME_LIMIT = 5.0  # seconds a search may take before it is stopped with a message
FACET_LIMIT = 10
SORTS = ("relevance", "newest", "oldest")
MODES = ("all", "any")
DATE_RE = re.compile(r"^([0-9]{4})(?:-([0-9]{1,2})(?:-([0-9]{1,2}))?)?$")
DIGITS = re.compile(r"[0-9]+")


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
    ui: str = "en"  # the UI's language: facet labels (outlet and delegate names, roles) in it
    as_typed: bool = False  # no automatic correction: "search instead for" what was typed


def whole_number(raw: str | None, name: str, default: int, low: int, high: int) -> int:
    """`raw` (a parameter as typed) as a number from `low` to `high`; ASCII digits only."""
    if raw is None or raw == "":
        return default
    if not DIGITS.fullmatch(raw):
        raise SearchError(f"'{name}' must be a whole number, not {raw[:40]!r}", name)
    value = int(raw)
    if not low <= value <= high:
        raise SearchError(f"'{name}' must be between {low} and {high}", name)
    return value


def validate(request: SearchRequest) -> None:
    if request.sort not in SORTS:
        raise SearchError(f"sort must be one of {', '.join(SORTS)}", "sort")
    if not 1 <= request.page <= MAX_PAGE:
        raise SearchError(f"page must be between 1 and {MAX_PAGE}", "page")
    if not 1 <= request.page_size <= MAX_PAGE_SIZE:
        raise SearchError(f"page_size must be between 1 and {MAX_PAGE_SIZE}", "page_size")
    if request.mode not in MODES:
        raise SearchError("mode must be 'all' or 'any'", "mode")
    for y in request.year:
        if y != UNKNOWN and not re.fullmatch(r"[0-9]{4}", y):
            raise SearchError(f"year must be YYYY or 'unknown', not {y!r}", "year")
    for m in request.month:
        if m != UNKNOWN and not re.fullmatch(r"[0-9]{4}-(0[1-9]|1[0-2])", m):
            raise SearchError(f"month must be YYYY-MM, not {m!r}", "month")


def date_bound(value: str | None, which: str) -> int | None:
    """`2020`, `2020-07` or `2020-07-14` → yyyymmdd, as the start (`from`) or the end of that period."""
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
    if which == "to":
        return year * 10000 + (month or 12) * 100 + (day or 31)
    return year * 10000 + (month or 1) * 100 + (day or 1)


def date_range(date_from: str | None, date_to: str | None) -> tuple[int | None, int | None]:
    lo, hi = date_bound(date_from, "from"), date_bound(date_to, "to")
    if lo and hi and lo > hi:
        raise SearchError(f"'from' ({date_from}) is after 'to' ({date_to})", "from")
    return lo, hi


@dataclass
class Selections:
    """What a request narrows to besides its words: facet values, and dates as yyyymmdd."""

    values: dict[str, list[str]]  # facet name → selected values
    date_from: int | None = None
    date_to: int | None = None
    # (facet, value) → the query text without the clause that selected it, for filters typed in `q`
    typed: dict[tuple[str, str], str] = field(default_factory=dict)

    def of(self, facet: str) -> list[str]:
        return self.values.get(facet, [])

    def as_dict(self) -> dict:
        """Facet name → values, with "from" and "to" (yyyymmdd or None)."""
        return {**self.values, "from": self.date_from, "to": self.date_to}


def select(request: SearchRequest, parsed: ParsedQuery, outlets, notes: list[str]) -> Selections:
    """The request's parameters and the filters typed in its query, as one Selections."""
    values = {f.name: list(getattr(request, f.name)) for f in FACETS}
    values["delegate"] = [identity_key(d) or d for d in values["delegate"]]
    sel = Selections(values, *date_range(request.date_from, request.date_to))
    for clause in parsed.clauses():
        node = clause.node
        if not isinstance(node, Filter):
            continue
        if clause.negated:
            notes.append(f"'-{node.field}:' is not supported; ignored")
            continue
        before = {name: len(v) for name, v in values.items()}
        if node.field == "outlet":
            outlet = outlets.by_key.get(node.value.lower()) or outlets.by_name(node.value)
            if outlet is None and node.value.lower() != UNKNOWN:
                notes.append(f"unknown outlet '{node.value}'")
            values["outlet"].append(outlet.key if outlet else node.value.lower())
        elif node.field == "language":
            code = node.value.lower() if len(node.value) <= 3 else LANGUAGE_ALIASES.get(identity_key(node.value))
            values["language"].append(code or node.value.lower())
        elif node.field == "delegate":
            values["delegate"].append(identity_key(node.value))
        elif node.field == "date":
            _date_clause(node, sel, notes, parsed.without(clause))
        for name, count in before.items():
            for v in values[name][count:]:
                sel.typed.setdefault((name, v), parsed.without(clause))
    for name in values:
        values[name] = list(dict.fromkeys(v for v in values[name] if v))
    return sel


def _date_clause(node: Filter, sel: Selections, notes: list[str], q_without: str) -> None:
    """`date:2020`, `date:2020-07`, `date:2020-07-14` or `date:[FROM TO TO]`, checked exactly as the
    `from`/`to` parameters are; a bad one is a note carrying the parameter's message."""
    try:
        if node.upper is not None:
            sel.date_from, sel.date_to = date_range(node.value or None, node.upper or None)
            sel.typed[("from", "")] = sel.typed[("to", "")] = q_without
            return
        bound = date_bound(node.value, "date")
        m = DATE_RE.match(node.value.strip())
        if m.group(3):
            sel.date_from = sel.date_to = bound
            sel.typed[("from", "")] = sel.typed[("to", "")] = q_without
        elif m.group(2):
            sel.values["year"].append(m.group(1))
            sel.values["month"].append(f"{m.group(1)}-{int(m.group(2)):02d}")
        else:
            sel.values["year"].append(m.group(1))
    except SearchError as e:
        shown = f"[{node.value} TO {node.upper}]" if node.upper is not None else node.value
        notes.append(f"'date:{shown}' ignored: {e}")


def check_known_values(request: SearchRequest, columns: dict, people: dict, outlets, registry) -> None:
    """A filter value that neither this index nor the registries know is a mistake (a typo, an
    edited URL), not a question whose answer is "nothing": say so, naming the parameter."""
    known = {"language": set(columns["language"].values) | set(LANGUAGE_NAMES),
             "outlet": set(columns["outlet"].values) | set(outlets.by_key) | {UNKNOWN}}
    for facet in (f for f in FACETS if f.name in known):
        for v in getattr(request, facet.name):
            if v not in known[facet.name]:
                examples = ", ".join(sorted(columns[facet.name].values)[:12])
                raise SearchError(f"unknown {facet.param} {v[:60]!r}; this index has: {examples}", facet.param)
    for name in request.delegate:
        if identity_key(name) not in people and not registry.canonical(name):
            raise SearchError(f"no delegate {name[:60]!r} in this index", "delegate")
