"""UI labels in English and Vietnamese; `?ui=vi` switches."""

LABELS = {
    "en": {
        "title": "Party diplomacy news search", "search": "Search", "placeholder": "Search articles, people, events…",
        "archive_holds": "The archive holds", "articles": "articles", "results": "results", "in": "in",
        "sort": "Sort", "relevance": "Relevance", "newest": "Newest", "oldest": "Oldest",
        "outlet": "Outlet", "language": "Language", "delegate": "Delegates", "year": "Year", "month": "Month",
        "timeline": "Timeline", "clear_all": "Clear all", "show_more": "Show more", "remove": "Remove filter",
        "previous": "Previous", "next": "Next", "page": "Page", "of": "of", "no_results": "No articles found.",
        "did_you_mean": "Did you mean", "back": "Back to results", "source": "Source", "date": "Date",
        "author": "Author", "not_found": "Article not found", "bad_request": "That search could not be run",
        "error": "Something went wrong", "home": "Home", "precision": "precision", "other_lang": "Tiếng Việt",
        "undated": "undated", "examples": "Try", "all_years": "All years",
    },
    "vi": {
        "title": "Tra cứu tin đối ngoại Đảng", "search": "Tìm", "placeholder": "Tìm bài viết, nhân vật, sự kiện…",
        "archive_holds": "Kho lưu trữ có", "articles": "bài", "results": "kết quả", "in": "trong",
        "sort": "Sắp xếp", "relevance": "Liên quan", "newest": "Mới nhất", "oldest": "Cũ nhất",
        "outlet": "Cơ quan báo chí", "language": "Ngôn ngữ", "delegate": "Đại biểu", "year": "Năm", "month": "Tháng",
        "timeline": "Dòng thời gian", "clear_all": "Bỏ tất cả", "show_more": "Xem thêm", "remove": "Bỏ bộ lọc",
        "previous": "Trước", "next": "Sau", "page": "Trang", "of": "/", "no_results": "Không tìm thấy bài nào.",
        "did_you_mean": "Có phải bạn muốn tìm", "back": "Quay lại kết quả", "source": "Nguồn", "date": "Ngày",
        "author": "Tác giả", "not_found": "Không tìm thấy bài viết", "bad_request": "Không thể thực hiện tìm kiếm",
        "error": "Đã có lỗi xảy ra", "home": "Trang chủ", "precision": "độ chính xác", "other_lang": "English",
        "undated": "không rõ ngày", "examples": "Thử", "all_years": "Mọi năm",
    },
}


def labels_for(ui: str | None) -> dict:
    return LABELS.get(ui or "en", LABELS["en"])


MONTHS_EN = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def date_display(item: dict, ui: str = "en") -> str:
    """A date as precise as it is known: `2020-07-14`, `2020-07`, `14 Jul (year unknown)`."""
    iso, precision = item.get("date"), item.get("date_precision")
    if not iso:
        return labels_for(ui)["undated"]
    if precision == "day-month":
        month, day = int(iso[2:4]), int(iso[5:7])
        return f"{day}/{month} (không rõ năm)" if ui == "vi" else f"{day} {MONTHS_EN[month - 1]} (year unknown)"
    return iso
