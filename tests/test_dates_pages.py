"""Page dates (#12) where no `<meta>` declares one, each cause on a short page written here in the
shape of the real pages it was found on (zh69 pages of the shared set; the `nometa-dev` half of
the held-out check in bench/extraction.py). Dates are whole days unless the page knows less."""

from __future__ import annotations

import pytest

from search.ingest.loader import CorpusFile
from search.metadata.dates import parse_date


@pytest.fixture(scope="module")
def load(ingestor):
    def _load(html: str):
        return ingestor.load(CorpusFile("page.html", "page.html"), html.encode("utf-8"))
    return _load


# A NetEase board thread (zh69 229, 237): the post, then its footer line with the label
# "发布时间", then a reply with its own. No element is named for the date.
NETEASE_THREAD = """<html><head><title>网易娱乐</title></head><body><table>
<tr><td><b>如果愤怒的马</b><br>　　影片《清洁》是东西方文化交融最好的一部电影，
很少有西方导演能如此渗透东方文化，并且融会贯通，个人认为导演日渐成熟。<br>
文：眉间尺<br><p>------------------------------<p>〓 网易娱乐 周黎明留言板
发布时间 2005/05/17 22:11:42 by <a href=user.php?id=1>眉间尺</a> 〓</td></tr>
<tr bgcolor=#eeeeee><td>回复：同意楼主的看法。<p>〓 发布时间 2005/05/19 08:02:10 by
<a href=user.php?id=2>路人</a> 〓</td></tr>
</table></body></html>"""


def test_forum_thread_takes_the_first_posts_labelled_date(load):
    a = load(NETEASE_THREAD)
    assert (a.date.iso, a.date.precision) == ("2005-05-17", "day")  # not the reply's 05-19
    assert "发布时间" in a.date.source


# An ASP site's article header (zh69 182, 206): "发布日期： 9/17/2004 5:54:13 AM", the US order
# with a 12-hour clock.
ASP_HEADER = """<html><head><title>关注中国中心</title></head><body>
<table><tr><td><font size=4>巴黎举行座谈会</font></td></tr>
<tr><td>作者： &nbsp;&nbsp;来源： &nbsp;&nbsp;发布日期： {date}</td></tr>
<tr><td>29日下午，法国党部在华侨文化中心举办座谈会。入会者首先致哀，接下来讨论了运动的性质、意义和前景，
综合各种发言，有以下见解。讨论会主要围绕性质、意义展开。</td></tr></table></body></html>"""


@pytest.mark.parametrize(("printed", "iso"), [
    ("9/17/2004 5:54:13 AM", "2004-09-17"),  # no 17th month
    ("7/5/2005 9:23:57 PM", "2005-07-05"),  # the same site's order: July 5 (the story says 2005年07月03日报道)
])
def test_us_order_date_after_a_chinese_label(load, printed, iso):
    assert load(ASP_HEADER.format(date=printed)).date.iso == iso


def test_a_label_must_be_followed_by_its_date():
    from search.ingest.html_page import labelled_date

    assert labelled_date("Posted 3 comments since the meeting on July 4, 2020.") is None
    assert labelled_date("Posted on Monday, July 14, 2020 by Staff")[0] == "2020-07-14"
    assert labelled_date("发表于 2012-3-4 10:21 | 只看该作者")[0] == "2012-03-04"  # Discuz!
    assert labelled_date("Cập nhật: 15/07/2020 08:00") is None  # an update is not the publication
    assert labelled_date("Опубликовано: 14 июля 2020 г.")[0] == "2020-07-14"


# A story reprinted from a magazine (zh69 204, 234, 250): the page prints no date, the story
# ends with the issue it came from. The month is known, the day is not.
MAGAZINE_REPRINT = """<html><head><title>显示</title></head><body><table><tr><td>
<b>犬儒病(上)</b> 胡平<br>
　　人心不会熄灭，但它可能蒙上灰烬而不再燃烧。灰烬本来是燃烧的产物，但它反过来又抑制了燃烧。拨开灰烬，你会看到重新燃烧的人心。<br>
　　当今中国最流行的是什么主义？答：犬儒主义。这是一种对一切都不再相信的态度。(未完待续)□<br>
　　——《北京之春》1998年3月号</td></tr></table></body></html>"""


def test_magazine_issue_gives_the_month_and_no_day(load):
    a = load(MAGAZINE_REPRINT)
    assert (a.date.iso, a.date.precision, a.date.day) == ("1998-03", "month", None)


# A portal page built of tables (zh69 215): headline, then "SITE date+time source", no label.
TABLE_PORTAL = """<html><head><title>对比试车—测试昌河北斗星(图)-搜狐汽车</title></head><body>
<script>document.write("对比试车—测试昌河北斗星(图)");</script>
<table><tr><td>搜狐首页 &gt;&gt; 汽车频道 &gt;&gt; 评测对比</td></tr>
<tr><td class=c14><strong>对比试车—测试昌河北斗星(图)</strong></td></tr>
<tr><td class=topwhite>AUTO.SOHU.COM&nbsp;&nbsp;2003年11月12日16:36　 金羊网—新快报</td></tr>
<tr><td>　　2003年10月，两款车在广州进行了对比测试。北斗星的动力更强，爱迪尔的空间更大，两车各有所长，
消费者可以根据自己的需要选择。测试在同一天、同一条路线上完成。</td></tr></table></body></html>"""


def test_date_and_time_stamp_under_the_headline(load):
    a = load(TABLE_PORTAL)
    assert a.date.iso == "2003-11-12" and "headline" in a.date.source


def test_a_date_in_the_story_opening_is_no_stamp():
    from search.ingest.html_page import stamp_under_headline

    text = "Home News\nTalks in Hanoi\nOn 2020-07-14 the delegations met."
    assert stamp_under_headline(text, "Talks in Hanoi") is None  # no clock time: a date the story mentions
    assert stamp_under_headline(text.replace("\nOn", " 2020-07-15 09:30\nOn"), "Talks in Hanoi")[0] == "2020-07-15"


# A byline row that also holds the share buttons (nometa-dev: space.com's "byline-social",
# BBC's "mini-info-list-and-share"): its date is the story's, not furniture's.
BYLINE_WITH_SHARE = """<html><head><title>Europa water vapor confirmed</title></head><body>
<header><div class="date-time-masthead">November 20, 2019</div></header>
<article><h1>Water vapor on Europa confirmed</h1>
<div class="byline-social"><span class="by-author">By Mike Wall</span>
<time class="relative-date" datetime="2019-11-18T20:51:19+00:00">2 days ago</time>
<a class="share-facebook">Share</a></div>
<p>Jupiter's moon Europa vents water vapor into space, a new study confirms, strengthening the case
that the ice-covered moon holds a subsurface ocean that might support life.</p>
<p>The detection was made with the Keck Observatory in Hawaii over 17 nights, the team wrote.</p>
</article>
<aside class="related"><div class="date">November 1, 2019</div></aside></body></html>"""


def test_byline_row_with_share_buttons_keeps_its_date_and_masthead_date_is_not_taken(load):
    a = load(BYLINE_WITH_SHARE)
    assert a.date.iso == "2019-11-18"  # not the masthead's today (11-20) nor the related list's


@pytest.mark.parametrize(("text", "iso"), [
    ("By REUTERS 11/20/2019 01:14 PM", "2019-11-20"),
    ("9/17/2004", "2004-09-17"),
    ("14/7/2020", "2020-07-14"),  # day first where both readings could be valid: the field's pages
    ("5/7/2005", "2005-07-05"),
])
def test_us_and_day_first_orders(text, iso):
    assert parse_date(text).iso == iso


# A Hearst-style byline (nometa-dev): the printed local time wraps a machine `<time datetime>`
# in UTC (04:26 on the 20th is 11:26 pm EST on the 19th); the day is the publisher's, the one
# printed, and an "Updated" line is not the original date when the original is printed too.
TIMESTAMPS = """<html><head><title>Nelson's OT goal lifts Isles</title></head><body>
<h1>Nelson's OT goal lifts Isles</h1>
<span class="timestamp">Updated 9:05 am EST, Thursday, November 21, 2019</span>
<span class="timestamp">Published <time datetime="2019-11-20T04:26:50Z">11:26 pm EST, Tuesday,
November 19, 2019</time></span>
<p>Brock Nelson scored 2:22 into overtime and the New York Islanders extended their point streak,
beating the Pittsburgh Penguins on Tuesday night after trailing early in the second period.</p>
</body></html>"""


def test_machine_datetime_inside_a_printed_stamp_and_updates_last(load):
    a = load(TIMESTAMPS)
    assert a.date.iso == "2019-11-19" and "<time>" in a.date.source


def test_an_update_is_taken_only_when_nothing_else_is_printed(load):
    unnamed = TIMESTAMPS.replace('<span class="timestamp">Published', '<span>Published').replace(
        '<time datetime="2019-11-20T04:26:50Z">', "<b>").replace("</time>", "</b>")
    assert load(unnamed).date.iso == "2019-11-19"  # the "Published" label in the text, before the update
    only_update = TIMESTAMPS.split('<span class="timestamp">Published')[0] + TIMESTAMPS.split("</span>")[-1]
    assert load(only_update).date.iso == "2019-11-21"


@pytest.mark.parametrize(("text", "iso"), [
    ("Published November 20th, 2019 - 07:29 GMT", "2019-11-20"),  # nometa-dev (albawaba): a time, no range
    ("Thứ Tư, 20/11/2019 - 07:29", "2019-11-20"),  # the same shape on Vietnamese news pages
])
def test_a_dash_before_a_clock_time_is_no_range(text, iso):
    assert parse_date(text).iso == iso


@pytest.mark.parametrize("text", ["July 14-18, 2020", "14 - 18/7/2020", "Từ ngày 7-10/12"])
def test_ranges_stay_ranges(text):
    assert parse_date(text) is None


def test_microdata_date_published_in_the_body(load):
    """nometa-dev (autoracing.com.br): the byline span is `itemprop="datePublished"`, its class is
    Portuguese ("data"); the machine value in `content` is read when the words are not."""
    page = """<html><head><title>Classificação NASCAR</title></head><body><h1>Classificação NASCAR</h1>
    <span class="data" itemprop="datePublished" content="2010-10-22T20:13">sexta-feira, 22 de outubro de 2010
    às 20:13</span><p>Carl Edwards marcou a pole position para a corrida de domingo em Martinsville, a
    quinta etapa do Chase, à frente de Jimmie Johnson e Denny Hamlin.</p></body></html>"""
    assert load(page).date.iso == "2010-10-22"


def test_date_element_in_the_pages_own_language(load):
    """nometa-dev (autoracing.com.br): the byline span has only Portuguese words, no machine value:
    dateparser reads them (the page's declared language, else the open web's common ones)."""
    page = """<html><head><title>Classificação NASCAR</title></head><body><h1>Classificação NASCAR</h1>
    <span class="data" itemprop="datePublished">sexta-feira, 22 de outubro de 2010 às 20:13</span>
    <p>Carl Edwards marcou a pole position para a corrida de domingo em Martinsville, a quinta etapa
    do Chase, à frente de Jimmie Johnson e Denny Hamlin.</p></body></html>"""
    a = load(page)
    assert a.date.iso == "2010-10-22" and "sexta-feira" in a.date.source
    assert load(page.replace("<html>", '<html lang="pt-BR">')).date.iso == "2010-10-22"


# A WordPress theme (nometa-dev, beachbodyondemand.com): the update's `<time>` is printed before
# the post's own, marked by its class and microdata, not by words.
WORDPRESS_BYLINE = """<html><head><title>Meal prep</title></head><body><h1>A Little More Obsessed: Meal Prep</h1>
<span class="posted-on"><time class="entry-updated updated" itemprop="dateUpdated"
 datetime="2018-11-12T17:36:26-08:00">November 12, 2018</time>{published}</span>
<p>Meal prep is the single most useful habit for anyone who wants to eat well through a busy week,
and it takes less time than most people think.</p></body></html>"""


def test_an_element_marked_as_the_update_is_not_the_publication(load):
    published = ('<time class="entry-date published" itemprop="datePublished" '
                 'datetime="2018-10-07T09:00:35-08:00">October 7, 2018</time>')
    assert load(WORDPRESS_BYLINE.format(published=published)).date.iso == "2018-10-07"
    only_update = load(WORDPRESS_BYLINE.format(published=""))
    assert only_update.date.iso == "2018-11-12" and "an update's" in only_update.date.source
    # WordPress marks the one date of a post never edited as both: it is the publication's
    both = WORDPRESS_BYLINE.format(published="").replace("entry-updated updated", "entry-date published updated")
    assert "an update's" not in load(both).date.source


@pytest.mark.parametrize("text", [
    "Chuyến công tác diễn ra từ hôm nay đến ngày 2/9 theo lời mời của Tổng Bí thư",  # news-dev (vietbao.vn)
    "The visit runs from today until July 14, 2020.",
    "会议从今天到9月2日举行",
    "визит продлится с сегодняшнего дня по 2 сентября 2025 года",
])
def test_the_end_of_a_range_that_starts_with_a_word_is_no_date(text):
    """A trip "from today to 2/9": its end is not the day the page was published."""
    assert parse_date(text) is None


def test_a_date_after_a_place_range_is_still_a_date():
    assert parse_date("He flew from Hanoi to Beijing on July 5, 2020.").iso == "2020-07-05"
