"""Which site published a page when its head does not say so plainly: ranked evidence from the page.

Most pages name their site in the head (canonical link, `og:url`, `og:site_name`) and `parse_html`
reads those. The rest still say where they live, less directly; each finding below comes with the
evidence that named it, strongest first:

1. the canonical link or `og:url` after the first `</head>` (pages saved from a browser, a second
   `<head>` block, a `<body` inside a script string ending the head early);
2. other URLs of the page itself: `twitter:url`, `al:web:url`, the AMP, mobile, language and feed
   alternates, a shortlink not on a shortener, `<base href>`;
3. JSON-LD: the item's `url` / `mainEntityOfPage`, then its publisher's `url` / `@id`;
4. a domain spelt in a copyright line, the site name or the title (`Copyright ⓒ Entermedia.co.kr`);
5. the page's own links: a linked site whose name the copyright holder, `twitter:site` or site
   name spells (`©2019 Ascom` and a link to www.ascom.com), else the site most links go to when
   it clearly dominates (sharing, shopping and tracking services never count).

Syndication: a page whose canonical link points to another site (an MSN page whose canonical is
cnn.com) was published by the site its `og:url` and site name agree on; the canonical site is the
original, which goes to the article's `credit`, never to its outlet.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass

from search.metadata.folding import identity_key
from search.metadata.outlets import registrable_domain
from search.urls import safe_http_url

# Hosts pages link to for sharing, login, shopping, fonts, ads and tracking: never the publisher.
SERVICE_DOMAINS = frozenset({
    "facebook.com", "fb.com", "twitter.com", "x.com", "linkedin.com", "youtube.com", "youtu.be",
    "instagram.com", "pinterest.com", "reddit.com", "tumblr.com", "whatsapp.com", "telegram.org", "t.me",
    "vk.com", "ok.ru", "weibo.com", "line.me", "zalo.me", "google.com", "googleapis.com", "gstatic.com",
    "googletagmanager.com", "googlesyndication.com", "doubleclick.net", "apple.com", "microsoft.com",
    "amazon.com", "amzn.to", "addthis.com", "sharethis.com", "disqus.com", "wp.com", "wordpress.com",
    "wordpress.org", "w.org", "wp.me", "bit.ly", "goo.gl", "t.co", "tinyurl.com", "ow.ly", "buff.ly",
    "feedburner.com", "cloudflare.com", "jsdelivr.net", "creativecommons.org", "adobe.com",
    "mailchimp.com", "list-manage.com", "yandex.ru", "liveinternet.ru", "mail.ru", "baidu.com", "cnzz.com",
})
SHORTENERS = frozenset({"wp.me", "bit.ly", "goo.gl", "t.co", "tinyurl.com", "ow.ly", "buff.ly", "amzn.to"})
# A domain written as text: `Entermedia.co.kr`, `Sportsnet.ca`, `www.bgr.com`.
DOMAIN_IN_TEXT = re.compile(r"(?<![\w@.-])((?:[a-z0-9-]+\.)+[a-z]{2,6})(?![\w-]|\.\w)", re.IGNORECASE)
COPYRIGHT = re.compile(r"(?:©|ⓒ|\(c\)|copyright|&copy;)\s*(?:©|ⓒ|\(c\))?\s*(?:\d{4}(?:\s*[-–]\s*\d{4})?)?\s*"
                       r"([^\n|.,;:<>]{2,60})", re.IGNORECASE)
COPYRIGHT_NOISE = re.compile(r"\b(?:all rights reserved|alle rechte|todos os direitos|inc|llc|ltd|gmbh|co|"
                             r"corp(?:oration)?|media|group|the|by)\b\.?", re.IGNORECASE)
# The page's own links decide only when they clearly point to one site.
MIN_LINKS = 3


@dataclass
class SiteFinding:
    url: str  # an absolute URL on the publishing site (used to name the outlet, never shown)
    evidence: str  # what named it, for the article's record and for debugging
    original: str | None = None  # syndication: the URL of the original article on another site


def publishing_site(tree, url: str | None, site_name: str | None, meta: dict[str, str]) -> SiteFinding | None:
    """The publishing site when the head's URL is missing or is another site's (syndication);
    None when the head's URL stands. `tree` is the page's lxml tree (or None), `meta` the head's
    `<meta>` values by name."""
    if url:
        return syndicated(url, meta.get("og:url"), site_name)
    if tree is None:
        return None
    for finder in (_canonical_anywhere, _own_urls, _json_ld_urls, _domain_written, _own_links):
        found = finder(tree, site_name)
        if found:
            return found
    return None


def syndicated(canonical: str, og_url: str | None, site_name: str | None) -> SiteFinding | None:
    """`og:url` on msn.com, site name `MSN`, canonical on cnn.com: published by MSN, original CNN."""
    og = safe_http_url((og_url or "").strip())
    if not og or not site_name:
        return None
    own, other = registrable_domain(og), registrable_domain(canonical)
    if not own or not other or own == other:
        return None
    if name_matches_domain(site_name, own) > name_matches_domain(site_name, other):
        return SiteFinding(og, f"og:url and site name {site_name!r} agree; canonical is the original",
                           original=canonical)
    return None


def name_matches_domain(name: str | None, domain: str) -> int:
    """How well a site's name spells a domain: 2 exactly (`MSN` ~ msn.com, `The Space Review` ~
    thespacereview.com), 1 as a part (`Ascom` ~ ascom-ws.com, `SFGate Media` ~ sfgate.com), else 0."""
    key = identity_key(name or "")
    label = identity_key(domain.split(".")[0])
    if len(key) < 3 or len(label) < 3:
        return 0
    if key == label or (key.startswith("the") and key[3:] == label):
        return 2
    return int(len(label) >= 5 and (label in key or key in label))


def _meta(tree) -> dict[str, str]:
    values: dict[str, str] = {}
    for tag in tree.iter("meta"):
        content = (tag.get("content") or "").strip()
        for attr in ("property", "name", "itemprop"):
            key = (tag.get(attr) or "").strip().lower()
            if key and content:
                values.setdefault(key, content)
    return values


def _links(tree) -> list[tuple[set[str], str, object]]:
    return [(set((link.get("rel") or "").lower().split()), (link.get("href") or "").strip(), link)
            for link in tree.iter("link") if link.get("href")]


def _canonical_anywhere(tree, site_name: str | None) -> SiteFinding | None:
    canonical = next((href for rel, href, _ in _links(tree) if "canonical" in rel and safe_http_url(href)), None)
    og = _meta(tree).get("og:url")
    if canonical:
        return syndicated(canonical, og, site_name) or SiteFinding(canonical, "canonical link after the head")
    if og and safe_http_url(og):
        return SiteFinding(og, "og:url after the head")
    return None


def _own_urls(tree, site_name: str | None) -> SiteFinding | None:
    meta = _meta(tree)
    for name in ("twitter:url", "al:web:url"):
        if safe_http_url(meta.get(name, "")):
            return SiteFinding(meta[name], name)
    for rel, href, link in _links(tree):
        kind = (link.get("type") or "").lower()
        if not safe_http_url(href) or "oembed" in kind:  # oEmbed endpoints may sit on the platform's host
            continue
        if "amphtml" in rel:
            return SiteFinding(href, "AMP link")
        if "alternate" in rel and (link.get("media") or link.get("hreflang") or "rss" in kind or "atom" in kind):
            return SiteFinding(href, "alternate link" + (" (feed)" if "xml" in kind else ""))
        if "shortlink" in rel and registrable_domain(href) not in SHORTENERS:
            return SiteFinding(href, "shortlink")
    base = next((b.get("href") for b in tree.iter("base") if safe_http_url((b.get("href") or "").strip())), None)
    return SiteFinding(base.strip(), "<base href>") if base else None


def _json_ld_urls(tree, site_name: str | None) -> SiteFinding | None:
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        try:
            data = json.loads(script.text or "")
        except ValueError:
            continue
        items = data if isinstance(data, list) else data.get("@graph", [data]) if isinstance(data, dict) else []
        for item in items:
            if not isinstance(item, dict):
                continue
            page = item.get("mainEntityOfPage")
            page = page.get("@id") if isinstance(page, dict) else page
            publisher = item.get("publisher") if isinstance(item.get("publisher"), dict) else {}
            for value, what in ((item.get("url"), "url"), (page, "mainEntityOfPage"),
                                (publisher.get("url"), "publisher url"), (publisher.get("@id"), "publisher @id")):
                if isinstance(value, str) and safe_http_url(value.strip()):
                    return SiteFinding(value.strip(), f"JSON-LD {what}")
    return None


def _copyright_lines(tree) -> list[str]:
    found = tree.xpath('//text()[contains(., "©") or contains(., "ⓒ") or contains(., "opyright")]'
                       '[not(ancestor::script) and not(ancestor::style)]')
    meta = _meta(tree)
    return [str(t) for t in found[:20]] + [meta.get("copyright", "")]


def _domain_written(tree, site_name: str | None) -> SiteFinding | None:
    meta = _meta(tree)
    title = next((t.text_content() for t in tree.iter("title")), "")
    for source, texts in (("copyright line", _copyright_lines(tree)),
                          ("site name", [site_name or "", meta.get("application-name", "")]),
                          ("title", [title])):
        for text in texts:
            for m in DOMAIN_IN_TEXT.finditer(text or ""):
                domain = registrable_domain(m.group(1).lower())
                if domain and domain not in SERVICE_DOMAINS:
                    return SiteFinding("https://" + m.group(1).lower(), f"{source} {m.group(1)!r}")
    return None


def _own_links(tree, site_name: str | None) -> SiteFinding | None:
    counts: Counter[str] = Counter()
    for a in tree.iter("a"):
        href = (a.get("href") or "").strip()
        if href.startswith("//"):
            href = "https:" + href
        if not href.lower().startswith(("http://", "https://")):
            continue
        domain = registrable_domain(href)
        if domain and domain not in SERVICE_DOMAINS:
            counts[domain] += 1
    if not counts:
        return None
    meta = _meta(tree)
    holders = [COPYRIGHT_NOISE.sub(" ", m.group(1)).strip() for line in _copyright_lines(tree)
               for m in COPYRIGHT.finditer(line)]
    for name, what in [*((h, "copyright holder") for h in holders),
                       (meta.get("twitter:site", "").lstrip("@"), "twitter:site"), (site_name, "site name")]:
        score, _, domain = max((name_matches_domain(name, d), counts[d], d) for d in counts) if name else (0, 0, "")
        if score:
            return SiteFinding("https://" + domain, f"{what} {name!r} names a linked site")
    (top, n), *rest = counts.most_common(2)
    second = rest[0][1] if rest else 0
    if n >= MIN_LINKS and n * 2 > sum(counts.values()) and n >= 2 * second:
        return SiteFinding("https://" + top, f"{n} of the page's {sum(counts.values())} links to other pages")
    return None
