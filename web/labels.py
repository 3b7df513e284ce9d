"""UI text in English and Vietnamese, the engine's notes translated, and dates said in words.

The engine speaks English (its notes and messages are also the CLI's and the API's); the web
layer translates them for `?ui=vi` by pattern, and leaves any it does not know in English.
"""

from __future__ import annotations

import re

LABELS = {
    "en": {
        "title": "Party diplomacy news search", "search": "Search", "placeholder": "Search articles, people, events…",
        "search_label": "Search the archive", "skip": "Skip to results", "skip_main": "Skip to content",
        "archive_holds": "The archive holds", "articles": "articles", "article": "article",
        "results": "results", "result": "result", "about": "about", "in": "in",
        "results_for": "Results for", "all_articles": "All articles",
        "sort": "Sort", "relevance": "Relevance", "newest": "Newest", "oldest": "Oldest",
        "outlet": "Outlet", "language": "Language", "delegate": "Delegates", "year": "Year", "month": "Month",
        "from": "From", "to": "To", "period": "Dates",
        "filters": "Filters", "active_filters": "Active filters", "typed": "typed in the query",
        "timeline": "Timeline", "clear_all": "Clear all", "show_more": "Show more", "remove": "Remove filter",
        "all_values": "All {n} values",
        "all_values_1": "The 1 value", "values_of": "All values: {facet}", "filter_values": "Filter the values",
        "filter": "Filter", "no_values": "No value matches.", "values_count": "{m} of {n} values",
        "back_to_results": "Back to results",
        "previous": "Previous", "next": "Next", "page": "Page", "of": "of", "pages": "Pages",
        "page_cap": "Page {page} of about {pages:,}: only the first {cap} pages can be opened; add a word or a "
        "filter to narrow the search.",
        "no_results": "No articles found.", "past_last": "There is no page {page}: the search has {pages} page(s).",
        "first_page": "Go to the first page", "last_page": "Go to the last page ({pages})",
        "did_you_mean": "Did you mean", "back": "Back to results", "source": "Source",
        "showing_results_for": "Showing results for", "search_instead_for": "search instead for",
        "more_without_marks": "{n} more results without diacritics:",
        "truncated_article": "This page shows the first %d of %d characters.", "full_text": "The whole text",
        "date": "Date",
        "author": "Author", "not_found": "Article not found", "bad_request": "That search could not be run",
        "error": "Something went wrong", "home": "Home", "other_lang": "Tiếng Việt", "other_ui": "vi",
        "undated": "undated", "examples": "Try", "all_years": "All dates",
        "all_years_list": "Articles per year ({n} years)",
        "undated_apart": "{n} undated, not on the axis", "imprecise": "{n} dated less precisely, not on the axis",
        "share": "Show the share of all articles", "counts": "Show counts",
        "share_title": "{label}: {count} of {all} articles ({pct})", "count_title": "{label}: {count}",
        "date_range": "Date range", "apply": "Apply", "date_hint": "2020, 2020-07 or 2020-07-14",
        "timeline_help": "Click a bar to zoom in; drag across bars to choose a range.",
        "year_unknown": "year unknown", "month_unknown": "month unknown", "day_unknown": "day unknown",
        "date_inferred": "inferred", "unknown_outlet": "Unknown outlet", "undated_value": "Undated",
        "not_found_page": "Page not found", "menu": "Filters",
        "json": "JSON",
    },
    "vi": {
        "title": "Tra cứu tin đối ngoại Đảng", "search": "Tìm", "placeholder": "Tìm bài viết, nhân vật, sự kiện…",
        "search_label": "Tìm trong kho lưu trữ", "skip": "Đến phần kết quả", "skip_main": "Đến nội dung chính",
        "archive_holds": "Kho lưu trữ có", "articles": "bài", "article": "bài",
        "results": "kết quả", "result": "kết quả", "about": "khoảng", "in": "trong",
        "results_for": "Kết quả cho", "all_articles": "Tất cả bài viết",
        "sort": "Sắp xếp", "relevance": "Liên quan", "newest": "Mới nhất", "oldest": "Cũ nhất",
        "outlet": "Cơ quan báo chí", "language": "Ngôn ngữ", "delegate": "Đại biểu", "year": "Năm", "month": "Tháng",
        "from": "Từ", "to": "Đến", "period": "Thời gian",
        "filters": "Bộ lọc", "active_filters": "Bộ lọc đang dùng", "typed": "gõ trong câu tìm",
        "timeline": "Dòng thời gian", "clear_all": "Bỏ tất cả", "show_more": "Xem thêm", "remove": "Bỏ bộ lọc",
        "all_values": "Tất cả {n} giá trị",
        "all_values_1": "Giá trị duy nhất", "values_of": "Tất cả giá trị: {facet}", "filter_values": "Lọc các giá trị",
        "filter": "Lọc", "no_values": "Không có giá trị nào khớp.", "values_count": "{m} trên {n} giá trị",
        "back_to_results": "Quay lại kết quả",
        "previous": "Trước", "next": "Sau", "page": "Trang", "of": "/", "pages": "Các trang",
        "page_cap": "Trang {page} trên khoảng {pages:,} trang: chỉ mở được {cap} trang đầu; hãy thêm từ hoặc "
        "bộ lọc để thu hẹp tìm kiếm.",
        "no_results": "Không tìm thấy bài nào.", "past_last": "Không có trang {page}: kết quả chỉ có {pages} trang.",
        "first_page": "Về trang đầu", "last_page": "Đến trang cuối ({pages})",
        "did_you_mean": "Có phải bạn muốn tìm", "back": "Quay lại kết quả", "source": "Nguồn",
        "showing_results_for": "Đang hiện kết quả cho", "search_instead_for": "tìm đúng như đã gõ",
        "more_without_marks": "Thêm {n} kết quả khi bỏ dấu:",
        "truncated_article": "Trang này hiển thị %d trên %d ký tự đầu tiên.", "full_text": "Toàn văn (văn bản thuần)",
        "date": "Ngày",
        "author": "Tác giả", "not_found": "Không tìm thấy bài viết", "bad_request": "Không thể thực hiện tìm kiếm",
        "error": "Đã có lỗi xảy ra", "home": "Trang chủ", "other_lang": "English", "other_ui": "en",
        "undated": "không rõ ngày", "examples": "Thử", "all_years": "Mọi thời gian",
        "all_years_list": "Số bài theo từng năm ({n} năm)",
        "undated_apart": "{n} bài không rõ ngày, không có trên trục", "imprecise": "{n} bài chỉ rõ ngày một phần, "
        "không có trên trục",
        "share": "Hiện tỷ lệ trên tổng số bài", "counts": "Hiện số bài",
        "share_title": "{label}: {count} trên {all} bài ({pct})", "count_title": "{label}: {count}",
        "date_range": "Khoảng thời gian", "apply": "Áp dụng", "date_hint": "2020, 2020-07 hoặc 2020-07-14",
        "timeline_help": "Bấm vào một cột để xem chi tiết; kéo qua nhiều cột để chọn một khoảng.",
        "year_unknown": "không rõ năm", "month_unknown": "không rõ tháng", "day_unknown": "không rõ ngày",
        "date_inferred": "suy ra", "unknown_outlet": "Không rõ cơ quan", "undated_value": "Không rõ ngày",
        "not_found_page": "Không tìm thấy trang", "menu": "Bộ lọc",
        "json": "JSON",
    },
}
UI_LANGUAGES = tuple(LABELS)


def labels_for(ui: str | None) -> dict:
    return LABELS.get(ui or "en", LABELS["en"])


# Titles of the HTTP errors a page can end in, by status; English uses Werkzeug's own names.
HTTP_ERRORS_VI = {
    400: "Yêu cầu không hợp lệ", 403: "Không được phép truy cập", 404: "Không tìm thấy trang",
    405: "Phương thức không được hỗ trợ", 408: "Hết thời gian chờ yêu cầu", 413: "Yêu cầu quá lớn",
    414: "Địa chỉ quá dài", 429: "Quá nhiều yêu cầu", 431: "Tiêu đề yêu cầu quá lớn",
    500: "Lỗi máy chủ", 503: "Dịch vụ tạm thời không sẵn sàng",
}


def http_error_title(code: int, name: str, ui: str | None) -> str:
    """`Method Not Allowed` in English, its Vietnamese title with ?ui=vi."""
    if code == 404:
        return labels_for(ui)["not_found_page"]
    return HTTP_ERRORS_VI.get(code, name) if ui == "vi" else name


# The engine's notes and errors, by pattern (see search/engine.py, search/querylang.py).
NOTES_VI = [
    (r"no article has all the words; showing articles with any of them",
     "không bài nào có đủ mọi từ; đang hiện các bài có một trong các từ"),
    (r"'-(?P<f>\w+):' is not supported; ignored", "không hỗ trợ '-{f}:'; đã bỏ qua"),
    (r"unknown outlet '(?P<v>.*)'", "không có cơ quan báo chí '{v}'"),
    (r"'date:(?P<v>[^']*)' ignored: (?P<inner>.*)", "'date:{v}' bị bỏ qua: {inner}"),
    (r"'date:(?P<v>.*)' is not a date \(use .*\); ignored",
     "'date:{v}' không phải một ngày (dùng 2020, 2020-07, 2020-07-14 hoặc [TỪ TO ĐẾN]); đã bỏ qua"),
    (r"query cut to its first (?P<n>\d+) characters", "câu tìm bị cắt còn {n} ký tự đầu"),
    (r"only the first (?P<n>\d+) terms are read", "chỉ đọc {n} từ đầu tiên"),
    (r"the query has (?P<n>\d+) terms; its (?P<k>\d+) rarest are searched",
     "câu tìm có {n} từ; chỉ tìm {k} từ hiếm nhất"),
    (r"nothing searchable in the query", "câu tìm không có gì để tìm"),
    (r"closed an unclosed quote at the end of the query", "đã đóng dấu ngoặc kép còn mở ở cuối câu tìm"),
    (r"unknown field '(?P<f>.*):' read as words", "không có trường '{f}:'; đã đọc như từ thường"),
    (r"'(?P<f>.*):' has no value; ignored", "'{f}:' không có giá trị; đã bỏ qua"),
    (r"'(?P<f>.*):' range should read \[FROM TO TO\]; read as a value",
     "khoảng '{f}:' phải viết [TỪ TO ĐẾN]; đã đọc như một giá trị"),
    (r"wildcards work only at the end of a word of 2\+ letters: '(?P<a>.*)' searched as '(?P<b>.*)'",
     "ký tự đại diện chỉ dùng ở cuối một từ từ 2 chữ cái: '{a}' được tìm như '{b}'"),
    (r"the search was stopped after (?P<s>[\d.]+) s; .*",
     "tìm kiếm đã dừng sau {s} giây; hãy thu hẹp bằng ít từ phổ biến hơn, một cụm từ hoặc một bộ lọc"),
    (r"(?P<p>\w+) must be between (?P<a>\d+) and (?P<b>\d+)", "{p} phải nằm trong khoảng {a} đến {b}"),
    (r"'(?P<p>\w+)' must be between (?P<a>\d+) and (?P<b>\d+)", "'{p}' phải nằm trong khoảng {a} đến {b}"),
    (r"'(?P<p>\w+)' must be a whole number, not (?P<v>.*)", "'{p}' phải là số nguyên, không phải {v}"),
    (r"parameter '(?P<p>.*)' was given more than once", "tham số '{p}' được đưa nhiều lần"),
    (r"parameter '(?P<p>.*)' is not valid UTF-8 text", "tham số '{p}' không phải văn bản UTF-8 hợp lệ"),
    (r"sort must be one of (?P<v>.*)", "sort phải là một trong {v}"),
    (r"(?P<w>from|to) must be a date like 2020, 2020-07 or 2020-07-14, not (?P<v>.*)",
     "{w} phải là ngày dạng 2020, 2020-07 hoặc 2020-07-14, không phải {v}"),
    (r"(?P<w>from|to): no such date (?P<v>.*)", "{w}: không có ngày {v}"),
    (r"'from' \((?P<a>.*)\) is after 'to' \((?P<b>.*)\)", "'from' ({a}) sau 'to' ({b})"),
    (r"unknown (?P<p>\w+) (?P<v>'.*'); this index has: (?P<h>.*)", "không có {p} {v}; kho này có: {h}"),
    (r"no delegate (?P<v>.*) in this index", "không có đại biểu {v} trong kho này"),
    (r"year must be YYYY or 'unknown', not (?P<v>.*)", "năm phải dạng YYYY hoặc 'unknown', không phải {v}"),
    (r"month must be YYYY-MM, not (?P<v>.*)", "tháng phải dạng YYYY-MM, không phải {v}"),
    (r"the query is (?P<n>\d+) characters long; the limit is (?P<m>\d+)", "câu tìm dài {n} ký tự; tối đa {m}"),
    (r"too many or too long values for '(?P<p>.*)'", "quá nhiều hoặc quá dài giá trị cho '{p}'"),
]
_NOTES_VI = [(re.compile(pattern + r"$"), text) for pattern, text in NOTES_VI]


def translate(message: str, ui: str) -> str:
    """An engine note or error in the UI language (unknown ones stay as they are)."""
    if ui != "vi":
        return message
    for pattern, text in _NOTES_VI:
        m = pattern.match(message)
        if m:
            parts = m.groupdict()
            if "inner" in parts:  # a note that quotes another message
                parts["inner"] = translate(parts["inner"], ui)
            return text.format(**parts)
    return message


def count_phrase(n: int, ui: str, word: str = "result", about: bool = False) -> str:
    """`1 result`, `2 results`, `about 1,200 results`; Vietnamese has no plural.

    >>> count_phrase(1, "en"), count_phrase(12345, "vi")
    ('1 result', '12.345 kết quả')
    """
    L = labels_for(ui)
    noun = L[word] if n == 1 else L[word + "s"]
    number = f"{n:,}" if ui == "en" else f"{n:,}".replace(",", ".")
    return f"{L['about']} {number} {noun}" if about else f"{number} {noun}"


MONTHS_EN = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
             "November", "December"]


def period_label(value: str, ui: str) -> str:
    """`2020` → 2020, `2020-07` → July 2020 / tháng 7/2020, `2020-07-14` → 14 July 2020 / 14/7/2020."""
    parts = value.split("-")
    if len(parts) == 2 and all(p.isdigit() for p in parts):
        y, m = int(parts[0]), int(parts[1])
        if 1 <= m <= 12:
            return f"tháng {m}/{y}" if ui == "vi" else f"{MONTHS_EN[m - 1]} {y}"
    if len(parts) == 3 and all(p.isdigit() for p in parts):
        y, m, d = (int(p) for p in parts)
        if 1 <= m <= 12:
            return f"{d}/{m}/{y}" if ui == "vi" else f"{d} {MONTHS_EN[m - 1]} {y}"
    return value


def date_display(item: dict, ui: str = "en") -> str:
    """A date as precise as it is known, said in words: `14 July 2020`, `July 2020`, `2020`,
    `14 July (year unknown)`, `undated`."""
    L = labels_for(ui)
    iso, precision = item.get("date"), item.get("date_precision")
    if not iso:
        return L["undated"]
    if precision == "day-month":
        month, day = int(iso[2:4]), int(iso[5:7])
        if ui == "vi":
            return f"{day}/{month} ({L['year_unknown']})"
        return f"{day} {MONTHS_EN[month - 1]} ({L['year_unknown']})"
    return period_label(iso, ui)


def value_label(facet: str, value: str, label: str, ui: str) -> str:
    """A facet value's label in the UI language (the engine's words for `unknown` are English)."""
    L = labels_for(ui)
    if value == "unknown":
        if facet == "outlet":
            return L["unknown_outlet"]
        if facet == "year":
            return L["undated_value"]
        if facet == "month":
            return L["month_unknown"]
    if facet == "month":
        return period_label(value, ui)
    return label
