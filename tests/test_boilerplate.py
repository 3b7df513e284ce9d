from search.ingest import boilerplate as bp
from tests.conftest import SEED, SEEDS


def test_end_marker_cuts_footer():
    lines = ["Story line.", "Đọc thêm", "Giá vàng hôm nay", "Phiên bản di động"]
    assert bp.cut_at_end_marker(lines) == ["Story line."]


def test_teaser_cards_cut_at_repeated_headline():
    lines = ["Story ends here.", "", "A related headline here", "", "A related headline here", "Teaser ..."]
    assert bp.cut_at_teaser_cards(lines) == ["Story ends here.", ""]


def test_related_list_dropped_but_caption_after_it_kept():
    lines = ["First paragraph.", "TIN LIÊN QUAN", "Headline one", "Headline two",
             "Caption of the photo ngày 14/7.", "", "Story goes on."]
    assert bp.drop_related_lists(lines) == ["First paragraph.", "Caption of the photo ngày 14/7.", "",
                                            "Story goes on."]


def test_follow_us_and_image_names_dropped():
    assert bp.drop_follow_us(["Theo dõi Baoquocte.vn trên", "Tin."]) == ["Tin."]
    assert bp.drop_image_names(["0653 hoi nghi 4720", "Hội nghị 2020"]) == ["Hội nghị 2020"]


def test_collapse_blank_lines():
    assert bp.collapse_blank_lines(["", " a ", "", "", "b", ""]) == ["a", "", "b"]


def test_seed_001_body_ends_with_the_story(seed_articles):
    body = seed_articles["001"].body
    assert body.rstrip().endswith("đồng thời ghi nhận những đề xuất của ta.")
    for junk in ("TIN LIÊN QUAN", "Đọc thêm", "Giá vàng hôm nay", "Phiên bản di động", "Theo dõi Baoquocte.vn",
                 "Thúc đẩy vai trò của các chính đảng", "0653 hoi nghi", "Facebook"):
        assert junk not in body
    # The story around the mid-page related list survives, caption included.
    assert "Tham dự Hội nghị có đại diện lãnh đạo" in body
    assert "Hoàng Bình Quân tham dự Hội nghị bàn tròn" in body


def test_seed_003_body_ends_with_the_story(seed_articles):
    body = seed_articles["003"].body
    assert body.rstrip().endswith("hợp tác quốc tế trong phòng chống đại dịch Covid-19.")
    for junk in ("TIN LIÊN QUAN", "Đọc thêm", "Giá vàng hôm nay", "Phiên bản di động", "Tô Lâm"):
        assert junk not in body
    assert (SEEDS / SEED["003"]).read_text("utf-8").count("Giá vàng hôm nay") > 0  # it was there to remove


def test_bylines_stripped_from_body(seed_articles):
    assert not seed_articles["000"].body.startswith("Hanoi (VNA)")
    assert "(VNA) –" not in seed_articles["000"].body
    assert seed_articles["000"].dateline == "Hanoi"
    assert seed_articles["001"].body.startswith("Ngày 14/7")
    # The standfirst that repeats the first sentence above the byline is kept once.
    assert seed_articles["000"].body.count("attended a virtual international round-table") == 1
