# ruff: noqa: E501  (the page templates are HTML, kept one element a line)
"""Build the labelled page set: articles.txt (real article text, hand-labelled) → html/NNN.html + labels.jsonl.

    .venv/bin/python tests/data/pages/build.py

Each article in articles.txt is a block:

    === <id> | <lang> | <template> | <url> | <date or ->
    <headline>
    <paragraph>
    <paragraph>…

The story text and URL are the real article's (see README.md for where they come from); the page
around it is built here, in the furniture that site's pages carry (navigation, breadcrumbs, share
bars, related-article lists with their own dates, comment forms, footers), from one template per
site family. The label is the story's paragraphs (body) and the publication date as checked by
hand (`-` when the article does not say, at the precision it does say: `2021-12` is a month).
The page shows that date where that site shows it, and only there.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

HERE = Path(__file__).resolve().parent
VI_DAYS = ["Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật"]
RU_MONTHS = ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября",
             "ноября", "декабря"]
EN_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
             "November", "December"]


def parse(text: str) -> list[dict]:
    articles = []
    for block in re.split(r"^=== ", text, flags=re.M)[1:]:
        head, *lines = block.strip("\n").split("\n")
        aid, lang, template, url, date = (part.strip() for part in head.split("|"))
        lines = [ln.strip() for ln in lines if ln.strip()]
        articles.append({"id": aid, "lang": lang, "template": template, "url": url,
                         "date": None if date == "-" else date, "title": lines[0], "paragraphs": lines[1:]})
    return articles


def e(s: str) -> str:
    return html.escape(s, quote=True)


def _ymd(date: str | None):
    if not date or len(date) < 10:
        return None
    y, m, d = (int(x) for x in date[:10].split("-"))
    return y, m, d


def _weekday(y: int, m: int, d: int) -> int:
    import datetime as dt
    return dt.date(y, m, d).weekday()


def _story(paragraphs: list[str], between: str = "") -> str:
    out = []
    for i, p in enumerate(paragraphs):
        out.append(f"<p>{e(p)}</p>")
        if i == 0 and between:
            out.append(between)
    return "\n".join(out)


def _related(items: list[tuple[str, str]], cls: str = "related") -> str:
    lis = "".join(f'<li><a href="/r{i}.html">{e(t)}</a> <span class="time">{e(d)}</span></li>'
                  for i, (t, d) in enumerate(items))
    return f'<ul class="{cls}">{lis}</ul>'


def page_vi(a: dict) -> str:
    """Vietnamese outlets (Vietnam+, VOV, Báo Quốc tế, SGGP, Đại biểu Nhân dân…)."""
    ymd = _ymd(a["date"])
    meta = visible = ""
    if ymd:
        y, m, d = ymd
        meta = f'<meta property="article:published_time" content="{y:04d}-{m:02d}-{d:02d}T09:30:00+07:00">'
        visible = f'<div class="details__meta"><span class="date">{VI_DAYS[_weekday(y, m, d)]}, {d:02d}/{m:02d}/{y} 09:30</span></div>'
    figure = ('<figure class="photo"><img src="/img/anh1.jpg" alt="anh 1">'
              f'<figcaption>{e(a["title"])} (Ảnh: TTXVN)</figcaption></figure>')
    return f"""<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8"><title>{e(a['title'])} | Tin tức</title>
<meta property="og:title" content="{e(a['title'])}">{meta}
<link rel="canonical" href="{e(a['url'])}"></head>
<body><header class="header"><nav class="menu"><a href="/">Trang chủ</a> <a href="/chinh-tri">Chính trị</a> <a href="/the-gioi">Thế giới</a> <a href="/kinh-te">Kinh tế</a> <a href="/video">Video</a></nav>
<form class="search"><input name="q" placeholder="Tìm kiếm"></form></header>
<ol class="breadcrumb"><li><a href="/">Trang chủ</a></li><li><a href="/chinh-tri">Chính trị</a></li><li>Tin mới 01/01/2020</li></ol>
<main><article class="article"><h1 class="details__headline">{e(a['title'])}</h1>{visible}
<div class="social"><a>Chia sẻ</a> <a>Facebook</a> <a>Zalo</a></div>
<div class="article__body">{_story(a['paragraphs'], figure)}</div>
<div class="tags">Từ khóa: <a>đối ngoại Đảng</a> <a>hợp tác</a></div>
<div class="comment"><h3>Bình luận</h3><p>Vui lòng nhập bình luận tiếng Việt có dấu</p><textarea></textarea><button>Gửi bình luận</button></div>
</article>
<section class="box-related"><h2>Tin cùng chuyên mục</h2>{_related([('Quốc khánh 2/9: Điện mừng của lãnh đạo các nước', '02/09/2025'), ('Hội nghị Trung ương lần thứ 10 bế mạc', '19/09/2024'), ('Đoàn đại biểu Đảng Cộng sản Cuba thăm Hà Nội', '14/03/2023')])}</section></main>
<footer class="footer"><p>© 2026 Cơ quan chủ quản. Giấy phép số 123/GP-BTTTT.</p><p>Phiên bản di động</p></footer></body></html>
"""


def page_en(a: dict) -> str:
    """English outlets (VNA/Vietnam+, Việt Nam News, People's Daily Online/Xinhua, ACN…): JSON-LD date."""
    ymd = _ymd(a["date"])
    ld = visible = ""
    if ymd:
        y, m, d = ymd
        ld = ('<script type="application/ld+json">' + json.dumps({"@context": "https://schema.org", "@type": "NewsArticle",
              "headline": a["title"], "datePublished": f"{y:04d}-{m:02d}-{d:02d}T10:15:00+07:00",
              "dateModified": "2026-03-01T08:00:00+07:00"}) + "</script>")
        visible = f'<p class="byline">Published: {EN_MONTHS[m - 1]} {d}, {y} | Updated: March 1, 2026</p>'
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{e(a['title'])} - News</title>
<meta property="og:title" content="{e(a['title'])}"><meta property="og:url" content="{e(a['url'])}">{ld}</head>
<body><div id="top"><nav><a href="/">Home</a> | <a href="/politics">Politics</a> | <a href="/world">World</a> | <a href="/business">Business</a> | <a href="/sports">Sports</a></nav></div>
<div class="breadcrumbs"><a href="/">Home</a> &gt; <a href="/politics">Politics</a> &gt; <span>Updated 01/01/2020</span></div>
<div class="container"><div class="main-col"><h1>{e(a['title'])}</h1>{visible}
<div class="share-bar"><a>Share</a> <a>Facebook</a> <a>Twitter</a> <a>Email</a> <a>Print</a></div>
<div class="article-content">{_story(a['paragraphs'])}</div>
<div class="related-news"><h3>Related news</h3>{_related([('National Day greetings sent to Cuban leaders', 'September 2, 2025'), ('Party delegation visits Laos', 'March 14, 2023')])}</div>
<div id="comments"><h3>Comments</h3><form><textarea></textarea><button>Post comment</button></form></div></div>
<aside class="sidebar"><h3>Most read</h3>{_related([('Prime Minister meets investors', 'January 2, 2026')], 'most-read')}</aside></div>
<footer><p>Copyright © 2026. All rights reserved.</p><p>Mobile version</p></footer></body></html>
"""


def page_zh(a: dict) -> str:
    """Chinese outlets (Vietnam+ 中文, 越共电子报, 中新网, 中国政府网…): visible date and 来源 line, editor line."""
    ymd = _ymd(a["date"])
    info = f'<div class="info"><span class="source">来源：{e(_host(a["url"]))}</span></div>'
    if ymd:
        y, m, d = ymd
        info = f'<div class="info"><span class="time">{y}年{m:02d}月{d:02d}日 10:05</span> <span class="source">来源：{e(_host(a["url"]))}</span></div>'
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{e(a['title'])}_新闻</title>
<meta name="keywords" content="越南,中国,政党"><link rel="canonical" href="{e(a['url'])}"></head>
<body><div class="top-nav"><a href="/">首页</a> <a href="/gj">国际</a> <a href="/gn">国内</a> <a href="/sp">视频</a> <a href="/tp">图片</a></div>
<div class="crumbs">当前位置：<a href="/">首页</a> &gt; <a href="/gj">国际</a> &gt; 2020年01月01日</div>
<div class="article"><h1>{e(a['title'])}</h1>{info}
<div class="content" id="content">{_story(a['paragraphs'])}
<p>（责任编辑：王晓）</p></div>
<div class="share">分享到：<a>微信</a> <a>微博</a></div>
<div class="relate"><h3>相关新闻</h3>{_related([('国庆节期间越南各地举行活动', '2025年10月01日'), ('中越两党理论研讨会举行', '2023年03月14日')])}</div></div>
<div class="footer"><p>版权所有 © 2026 未经授权禁止转载</p></div></body></html>
"""


def page_ru(a: dict) -> str:
    """Russian outlets (TASS, ВЗГЛЯД, ВИА на русском, КПРФ…): <time datetime>, «Читайте также»."""
    ymd = _ymd(a["date"])
    when = ""
    if ymd:
        y, m, d = ymd
        when = f'<time class="date" datetime="{y:04d}-{m:02d}-{d:02d}T12:00:00+03:00">{d} {RU_MONTHS[m - 1]} {y}, 12:00</time>'
    return f"""<!DOCTYPE html>
<html lang="ru"><head><meta charset="utf-8"><title>{e(a['title'])} — Новости</title>
<meta property="og:title" content="{e(a['title'])}"><link rel="canonical" href="{e(a['url'])}"></head>
<body><header><nav><a href="/">Главная</a> <a href="/politika">Политика</a> <a href="/mir">В мире</a> <a href="/ekonomika">Экономика</a></nav></header>
<nav class="breadcrumbs"><a href="/">Главная</a> / <a href="/mir">В мире</a> / 01.01.2020</nav>
<main><div class="news-header"><h1>{e(a['title'])}</h1>{when}</div>
<div class="text-block">{_story(a['paragraphs'])}</div>
<div class="share">Поделиться: <a>ВКонтакте</a> <a>Telegram</a></div>
<div class="read-also"><p>Читайте также</p>{_related([('В Ханое отметили День независимости 2 сентября', '2 сентября 2025'), ('Делегация КПВ посетила Москву', '14 марта 2023')])}</div></main>
<footer><p>© 2026 Все права защищены. 18+</p><p>Подписывайтесь на нас в Telegram</p></footer></body></html>
"""


TEMPLATES = {"vi": page_vi, "en": page_en, "zh": page_zh, "ru": page_ru}


def _host(url: str) -> str:
    return re.sub(r"^https?://([^/]+).*$", r"\1", url)


def main() -> None:
    articles = parse((HERE / "articles.txt").read_text("utf-8"))
    out = HERE / "html"
    out.mkdir(exist_ok=True)
    labels = []
    for a in articles:
        name = f"html/{a['id']}.html"
        (HERE / name).write_text(TEMPLATES[a["template"]](a), "utf-8")
        labels.append({"id": a["id"], "file": name, "lang": a["lang"], "url": a["url"], "title": a["title"],
                       "date": a["date"], "body": "\n".join(a["paragraphs"]), "template": a["template"]})
    (HERE / "labels.jsonl").write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in labels), "utf-8")
    print(f"{len(labels)} pages written to {out}")


if __name__ == "__main__":
    main()
