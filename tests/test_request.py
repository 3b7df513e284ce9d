"""Validation in one place (search/request.py): the same value gives the same message whether it is a
parameter (a 400 naming it) or typed inside the query (a note, and the clause ignored); numbers
are ASCII digits only; facets are described once (search/facets.py FACETS)."""

from __future__ import annotations

import pytest

from search.facets import FACET_BY_PARAM, FACETS
from search.querylang import parse
from search.request import SearchError, SearchRequest, date_range, select, whole_number


@pytest.mark.parametrize("raw", ["1_0", "٣", "３", "+3", " 3", "3 ", "0x3", "1e1", "²"])
def test_only_ascii_digits_are_numbers(raw):
    with pytest.raises(SearchError) as e:
        whole_number(raw, "page", 1, 1, 100)
    assert e.value.parameter == "page" and "whole number" in str(e.value)


def test_ascii_numbers_and_the_default():
    assert whole_number("10", "page", 1, 1, 100) == 10
    assert whole_number(None, "page", 7, 1, 100) == whole_number("", "page", 7, 1, 100) == 7
    with pytest.raises(SearchError, match="between 1 and 100"):
        whole_number("101", "page", 1, 1, 100)


class _NoOutlets:
    by_key: dict = {}

    @staticmethod
    def by_name(name):
        return None


def _notes_for(q: str) -> tuple[list[str], object]:
    notes: list[str] = []
    parsed = parse(q)
    return notes, select(SearchRequest(q=q), parsed, _NoOutlets(), notes)


@pytest.mark.parametrize("typed,param_from,param_to", [
    ("date:2025-13", "2025-13", None),
    ("date:[2020 TO 2010]", "2020", "2010"),
    ("date:[2020-02-30 TO 2021]", "2020-02-30", "2021"),
    ("date:٢٠٢٠", "٢٠٢٠", None),
    ("date:yesterday", "yesterday", None),
])
def test_a_bad_date_in_the_query_is_a_note_with_the_parameters_message(typed, param_from, param_to):
    with pytest.raises(SearchError) as as_parameter:
        date_range(param_from, param_to)
    notes, sel = _notes_for("hội nghị " + typed)
    message = str(as_parameter.value)
    if typed.startswith("date:[") or param_to:
        assert any(message in n for n in notes), notes
    else:  # a single date is named `date`, as it was typed, instead of `from`
        assert any(message.replace("from", "date", 1) in n for n in notes), notes
    assert sel.date_from is None and sel.date_to is None and not sel.of("year") and not sel.of("month")


def test_good_dates_in_the_query_select():
    _, sel = _notes_for("date:2020-07")
    assert sel.of("year") == ["2020"] and sel.of("month") == ["2020-07"]
    _, sel = _notes_for("date:[2020-07-01 TO 2020-07-31]")
    assert (sel.date_from, sel.date_to) == (20200701, 20200731)


def test_filters_typed_in_the_query_know_the_query_without_them():
    _, sel = _notes_for('hoi nghi lang:vi  delegate:"Song Tao" date:[2020 TO 2021]')
    assert sel.typed[("language", "vi")] == 'hoi nghi delegate:"Song Tao" date:[2020 TO 2021]'
    assert sel.typed[("delegate", "songtao")] == "hoi nghi lang:vi date:[2020 TO 2021]"
    assert sel.typed[("from", "")] == 'hoi nghi lang:vi  delegate:"Song Tao"'  # the rest as typed


def test_every_facet_is_described_once_and_reachable_by_its_parameter():
    assert [f.name for f in FACETS] == ["year", "month", "outlet", "language", "delegate"]
    assert FACET_BY_PARAM["lang"].name == "language"
    assert all(hasattr(SearchRequest(), f.name) for f in FACETS)
