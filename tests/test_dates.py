import pytest

from search.metadata.dates import article_date, find_dates, infer_year, parse_date


@pytest.mark.parametrize("text,iso,precision", [
    ("2020-07-14", "2020-07-14", "day"),
    ("2020-07", "2020-07", "month"),
    ("( 2020.07.14 )", "2020-07-14", "day"),
    ("Ngày 14/7", "--07-14", "day-month"),
    ("sáng 5-8", "--08-05", "day-month"),
    ("Thứ Năm, 06-08-2020", "2020-08-06", "day"),
    ("14 tháng 7 năm 2020", "2020-07-14", "day"),
    ("July 14, 2020", "2020-07-14", "day"),
    ("14 July 2020", "2020-07-14", "day"),
    ("On July 14th", "--07-14", "day-month"),
    ("2020年7月14日", "2020-07-14", "day"),
    ("7月14日", "--07-14", "day-month"),
    ("2020-07-14T09:15:00+07:00", "2020-07-14", "day"),
])
def test_forms_real_pages_use(text, iso, precision):
    info = parse_date(text)
    assert (info.iso, info.precision) == (iso, precision)


@pytest.mark.parametrize("text", ["tỉ số 5-8", "Từ ngày 7-10/12", "31/2/2020", "no date here", "2020-13-01"])
def test_not_dates(text):
    assert parse_date(text) is None


def test_year_inferred_only_from_evidence_in_story_and_recorded():
    day_month = parse_date("Ngày 14/7")
    inferred = infer_year(day_month, "Ngày 14/7, hội nghị... Hội nghị ngày 14/7/2020 là lần đầu tiên.")
    assert (inferred.iso, inferred.precision) == ("2020-07-14", "day")
    assert "14/7/2020" in inferred.inferred
    # A year merely mentioned is not evidence for the date.
    unknown = infer_year(day_month, "Năm 2019, Bộ Chính trị ban hành chỉ thị.")
    assert (unknown.iso, unknown.precision, unknown.inferred) == ("--07-14", "day-month", None)


def test_article_date_prefers_header_then_story_opening():
    d = article_date("2021-01-27", "export header", ["On July 14 the meeting…"])
    assert (d.iso, d.source) == ("2021-01-27", "export header")
    d = article_date(None, None, ["Ngày 25/5, Hội nghị…", "Năm 2020 …"])
    assert (d.iso, d.precision) == ("--05-25", "day-month")
    assert article_date(None, None, ["No date at all."]).precision == "unknown"


def test_find_dates_in_order():
    assert [d.text for d in find_dates("Ngày 14/7 và ngày 2020-07-15")] == ["Ngày 14/7", "2020-07-15"]


def test_seed_dates(seed_articles):
    got = {k: (a.date.iso, a.date.precision) for k, a in seed_articles.items()}
    assert got["000"] == ("2020-07-14", "day")
    assert got["001"] in {("2020-07-14", "day"), ("--07-14", "day-month")}
    assert got["002"] == ("2020-07-14", "day")
    assert got["003"] == ("--05-25", "day-month")  # the story never says the year
    assert got["004"] == ("2021-01-27", "day")
    # The related-links in seed 003 carry 2026 dates; none of them leaked into the article date.
    assert seed_articles["003"].date.year is None
