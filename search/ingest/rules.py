"""The extraction rules that are ours, in one place: what the field's outlets put around a story.

Trafilatura finds the story on most of the web; the pages of the Vietnam News Agency, Nhân Dân,
Thế giới & Việt Nam, Xinhua, People's Daily, TASS and the CPC's International Department still
leave furniture in what it returns, in four languages. Each table says which steps use it
(`boilerplate.py` runs the line rules, `html_page.py` the tree rules).
"""

from __future__ import annotations

import re

# --- Tree rules (html_page) -------------------------------------------------------------------

# Tree rules name elements by the words in their class or id (lower-cased), matched in one pass
# over the tree (`html_page.elements_named`): an XPath with translate() per word cost more than
# trafilatura itself on large pages.

# Breadcrumb trails ("Trang chủ › Thời sự › 14/07/2020"): removed before trafilatura or htmldate
# see the tree, so their dates and section names are never taken for the article's.
BREADCRUMB = re.compile(r"breadcrumb|crumbs?\b")
BREADCRUMB_MAX_CHARS = 300  # a trail is a few words; a page's wrapper named "has-breadcrumbs" is not one
# Page furniture that carries other articles' dates (related lists, sidebars, comments, footers):
# removed before the page's own date is looked for, once trafilatura has read the story. Not share
# bars: they carry no other article's date, and the row that holds them often holds the byline
# and the story's own date too (`<div class="byline-social">`, BBC's "mini-info-list-and-share").
DATE_FURNITURE = re.compile(r"related|relate\b|recommend|most-?read|sidebar|comment|read-?also|tin-?lien-?quan|"
                            r"box-tin|hot-news|footer")
DATE_FURNITURE_TAGS = {"nav", "aside", "footer"}
# Elements where a page prints its own date: <time>, and short elements named for a date.
DATE_ELEMENT = re.compile(r"date|time|publish|info|meta|ngay")
DATE_ELEMENT_MAX_CHARS = 80
# A date the page labels as its publication's in running text, where no element is named for it:
# forum and archive posts ("〓 网易娱乐 发布时间 2005/05/17 22:11:42 by …", Discuz!'s "发表于
# 2012-3-4 10:21", an ASP site's "发布日期： 9/17/2004 5:54:13 AM"), blogs ("Posted on July 14,
# 2020"). The first one in the page is the first post's: replies come after it. Never an
# update's label ("更新时间", "Updated", "Cập nhật", "Обновлено").
PUBLISHED_LABELS = ("发布时间", "发布日期", "发表时间", "发表日期", "发表于", "发布于", "发帖时间", "刊发时间",
                    "刊登日期",
                    "published", "posted", "date published",
                    "ngày đăng", "đăng ngày", "đăng lúc", "ngày xuất bản",
                    "опубликовано", "дата публикации", "размещено")  # lower case: found in the lowered text
PUBLISHED_LABEL_TAIL = re.compile(r"(?:\s+on)?\s*[:：]?\s*(?=\S)([\s\S]{4,40})")  # what follows a label: its date
# A printed date that says it is an update's: the original date is taken before it, if printed.
UPDATED_LABEL = re.compile(r"\s*(?:last\s+)?(?:updated|modified|cập nhật|更新|修改|обновлено|изменено)",
                           re.IGNORECASE)
# A date element marked as an update's, by its class or microdata (`<time class="entry-updated
# updated" itemprop="dateUpdated">`, `dateModified`): like an "Updated" label. Not WordPress's
# `class="entry-date published updated"`: the one date of a post never changed is both.
UPDATED_ELEMENT = re.compile(r"updated|modified|prop:date(?:updated|modified)")
PUBLISHED_ELEMENT = re.compile(r"publish|prop:datepublished|prop:datecreated")
# A magazine's issue, the month its story is dated by when the page prints no day: "——《北京之春》
# 1998年3月号", "(The Atlantic, March 1998 issue)". Month precision: no day is made up.
ISSUE_MONTH = re.compile(r"》\s*((?:19|20)\d\d)\s*年\s*(\d{1,2})\s*月号"
                         r"|\b(january|february|march|april|may|june|july|august|september|october|november|"
                         r"december)\s+((?:19|20)\d\d)\s+issue\b", re.IGNORECASE)
# Long paragraphs: their dates are the events' (a trip, an anniversary), not the page's. Left out
# of what htmldate sees; the story's own opening is read by our dateline rules instead.
LONG_TEXT_XPATH = ("//p[string-length(normalize-space()) > 120] | //li[string-length(normalize-space()) > 120]"
                   " | //blockquote | //div[string-length(normalize-space(text())) > 120]")
# Where a byline sits when the head has no author meta: `itemprop="author"`, `rel="author"`,
# or an element whose class has the word `author` or `byline`.
BYLINE_ROLE = re.compile(r"\b(?:prop|rel):author\b")  # ClassIndex writes roles as prop:… rel:…
BYLINE_CLASS = re.compile(r"\s(author|byline)\s")
# Publication-date metadata, in order of trust (never `article:modified_time` / `dateModified`).
PUBLISHED_META = ["article:published_time", "og:published_time", "datePublished", "pubdate",
                  "publishdate", "publish-date", "dc.date.issued", "DC.date.issued", "date"]

# --- Line rules (boilerplate) -----------------------------------------------------------------

# A line that starts the page's footer: everything from it on is not the story.
END_MARKER = re.compile(
    r"^\s*[\[【(]?\s*("
    # vi
    r"đọc thêm|xem thêm|tin cùng chuyên mục|tin khác|các tin khác|bài liên quan|bài viết liên quan|"
    r"tin mới nhất|tin đọc nhiều|phiên bản di động|ý kiến bạn đọc|bình luận|gửi bình luận|"
    # en
    r"read more|related news|related articles|related stories|more news|more stories|mobile version|"
    r"you may also like|recommended|comments|leave a comment|"
    # zh
    r"相关新闻|相关阅读|相关链接|相关报道|延伸阅读|推荐阅读|更多精彩|热点推荐|往期回顾|我要评论|发表评论|"
    # ru
    r"читайте также|смотрите также|новости по теме|материалы по теме|похожие новости|другие новости|"
    r"комментарии|оставить комментарий"
    r")\s*[\]】)]?\s*[:：]?\s*$",
    re.IGNORECASE,
)
# A header that introduces a list of related headlines inside the story (the story goes on after).
RELATED_HEADER = re.compile(
    r"^\s*(tin liên quan|related|see also|xem thêm tin|相关|по теме|читайте также по теме)\s*[:：]?\s*$",
    re.IGNORECASE)
FOLLOW_US = re.compile(
    r"^\s*(theo dõi|follow|mời bạn đọc theo dõi|подписывайтесь|关注)\b.{0,60}\b(trên|on|tại|на)\s*[:：]?\s*$",
    re.IGNORECASE)
# Share bars and comment prompts: a short line made only of these words.
SHARE_WORDS = re.compile(
    r"^\s*(?:(?:chia sẻ|share|tweet|facebook|twitter|zalo|telegram|vk|вконтакте|whatsapp|email|e-mail|"
    r"in bài|print|lưu|save|copy link|sao chép liên kết|поделиться|分享到|分享|微信|微博|打印|"
    r"bình luận|comment|комментировать|评论|gửi bài|gửi|send)\s*[:：|,/·•]?\s*){1,8}$",
    re.IGNORECASE)
# Photo credits and image placeholders on a line of their own: "(Ảnh: TTXVN)", "Фото: ТАСС".
PHOTO_CREDIT = re.compile(
    r"^\s*[\[(（【]?\s*(ảnh|nguồn ảnh|photo|photos|image|фото|图片来源|图|摄影)\s*[:：]\s*[^.!?。]{1,60}[\])）】]?\s*$"
    r"|^\s*[\[(（【]\s*(ảnh|image|photo|图片|фото)\s*[\])）】]\s*$"
    r"|^\s*(ảnh minh họa|ảnh minh hoạ|illustrative (?:image|photo)|иллюстрация)\s*\.?\s*$",
    re.IGNORECASE)
# A photo caption: a line that ends with its credit, "Đoàn đại biểu tại Hội nghị. (Ảnh: TTXVN)".
CAPTION = re.compile(r"[(（\[]\s*(ảnh|nguồn|photo|фото|图|图片)\s*[:：][^)）\]]{1,50}[)）\]]\s*\.?\s*$", re.IGNORECASE)
# Editor and source lines, at the end of zh/vi/ru stories: "(责任编辑：王某)", "Theo TTXVN".
CREDIT_LINE = re.compile(
    r"^\s*[\[(（【]?\s*(责任编辑|编辑|责编|来源|作者|记者|biên tập|nguồn|source|источник|автор|редактор)"
    r"\s*[:：]\s*[^。.!?？！]{1,30}[\])）】]?\s*$"
    r"|^\s*\(?\s*(theo|nguồn)\s+[A-ZĐ][^\s.]*(?:\s+[^\s.]+){0,4}\s*\)?\s*$"
    r"|^\s*【纠错】.*$",
    re.IGNORECASE)
# Image file names left as alt text: "0653 hoi nghi 4720" (lower-case ASCII words with digits and
# at least one letter: a paragraph that is just "2026-01-15" is a date, not a file name).
IMAGE_NAME = re.compile(r"^(?=.*\d)(?=.*[a-z])[a-z0-9_\-]+(?: [a-z0-9_\-]+){0,6}$")
TEASER_MIN_CHARS = 15  # a headline printed twice shorter than this is a label ("Video"), not a card
STORY_PARAGRAPH_CHARS = 80  # a teaser grid follows a story: a line at least this long comes first
SENTENCE_END = re.compile(r"[.!?…:;\"”»)。！？]\s*$")
LIST_BULLET = re.compile(r"^\s*[-•]\s+")  # trafilatura's text output marks list items "- "

# --- Time zones (dates.publisher_zone) ----------------------------------------------------------

# The zone of a site's country, by its country domain, for a UTC timestamp's local day. One zone per
# country: where a country has several, the one its national press is published in (Moscow for .ru,
# Jakarta for .id, Brasília for .br). No `.com`, `.org`, `.net`: they say nothing of where a site is.
ZONE_BY_COUNTRY_DOMAIN = {
    "vn": "Asia/Ho_Chi_Minh", "cn": "Asia/Shanghai", "hk": "Asia/Hong_Kong", "mo": "Asia/Macau",
    "tw": "Asia/Taipei", "la": "Asia/Vientiane", "kh": "Asia/Phnom_Penh", "th": "Asia/Bangkok",
    "mm": "Asia/Yangon", "sg": "Asia/Singapore", "my": "Asia/Kuala_Lumpur", "id": "Asia/Jakarta",
    "ph": "Asia/Manila", "jp": "Asia/Tokyo", "kr": "Asia/Seoul", "kp": "Asia/Pyongyang",
    "mn": "Asia/Ulaanbaatar", "in": "Asia/Kolkata", "pk": "Asia/Karachi", "bd": "Asia/Dhaka",
    "lk": "Asia/Colombo", "np": "Asia/Kathmandu", "ir": "Asia/Tehran", "il": "Asia/Jerusalem",
    "ae": "Asia/Dubai", "sa": "Asia/Riyadh", "tr": "Europe/Istanbul", "kz": "Asia/Almaty",
    "uz": "Asia/Tashkent", "ru": "Europe/Moscow", "by": "Europe/Minsk", "ua": "Europe/Kyiv",
    "uk": "Europe/London", "ie": "Europe/Dublin", "fr": "Europe/Paris", "de": "Europe/Berlin",
    "it": "Europe/Rome", "es": "Europe/Madrid", "pt": "Europe/Lisbon", "nl": "Europe/Amsterdam",
    "be": "Europe/Brussels", "ch": "Europe/Zurich", "at": "Europe/Vienna", "pl": "Europe/Warsaw",
    "cz": "Europe/Prague", "sk": "Europe/Bratislava", "hu": "Europe/Budapest", "ro": "Europe/Bucharest",
    "bg": "Europe/Sofia", "rs": "Europe/Belgrade", "gr": "Europe/Athens", "se": "Europe/Stockholm",
    "no": "Europe/Oslo", "dk": "Europe/Copenhagen", "fi": "Europe/Helsinki", "cu": "America/Havana",
    "br": "America/Sao_Paulo", "ar": "America/Argentina/Buenos_Aires", "cl": "America/Santiago",
    "za": "Africa/Johannesburg", "ng": "Africa/Lagos", "eg": "Africa/Cairo", "ke": "Africa/Nairobi",
    "nz": "Pacific/Auckland",
}
# The zone of a page's declared language (`<html lang>`), only for languages written in one zone.
ZONE_BY_LANGUAGE = {"vi": "Asia/Ho_Chi_Minh", "zh": "Asia/Shanghai", "ja": "Asia/Tokyo", "ko": "Asia/Seoul",
                    "th": "Asia/Bangkok", "lo": "Asia/Vientiane", "km": "Asia/Phnom_Penh"}
