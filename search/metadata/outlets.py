"""Outlets: the site that published an article, and the wire services it credits.

The outlet is the publishing site, whatever site it is:

1. the page's URL (canonical link, og:url, or the export's header): its registrable domain,
   public-suffix aware (`en.people.cn` → `people.cn`, `www.idcpc.org.cn` → `idcpc.org.cn`),
   looked up in the registry (`search/data/outlets.json`), where mirrors fold into one outlet
   (`people.cn` = `people.com.cn`); a domain the registry does not know is an outlet of its own,
   named by the page's `og:site_name` or else by the domain;
2. without a URL: the site name, the byline (`Hanoi (VNA) –`, `TGVN.`), a page signature.

Credits and bylines in the text (`(Xinhua)`, `TTXVN`, `VNA/VNP`, `ТАСС`) never decide the outlet:
an English People's Daily page saying "(Xinhua)" is People's Daily, crediting Xinhua. They go to
the article's `credit` field.

Registrable domains come from tldextract's bundled public-suffix snapshot: no list is fetched
and nothing is cached on disk (`suffix_list_urls=()`, `cache_dir=None`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from search.data import load_json
from search.metadata.folding import identity_key

UNKNOWN = "unknown"
LANGUAGES = ("vi", "en", "zh", "ru")


@dataclass
class Outlet:
    key: str
    name: str
    short: str = ""
    names: list[str] = field(default_factory=list)
    domains: list[str] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)  # UI language → name
    byline_patterns: list[re.Pattern] = field(default_factory=list)
    page_patterns: list[re.Pattern] = field(default_factory=list)
    credit_patterns: list[str] = field(default_factory=list)
    known: bool = True  # False for a site the registry does not list

    def label(self, lang: str = "en") -> str:
        return self.labels.get(lang) or self.name


UNKNOWN_OUTLET = Outlet(key=UNKNOWN, name="Unknown outlet", short="?", known=False,
                        labels={"vi": "Không rõ nguồn", "en": "Unknown outlet", "zh": "来源不明",
                                "ru": "Источник неизвестен"})


@dataclass
class BylineMatch:
    outlet: Outlet
    rest: str  # the line with the byline removed
    dateline: str | None


@lru_cache(maxsize=1)
def _extractor():
    # Imported here: tldextract brings in requests (~0.2 s), and text exports rarely carry a URL.
    import tldextract

    # The bundled snapshot only: an empty URL list means no fetch, cache_dir=None no disk writes.
    return tldextract.TLDExtract(cache_dir=None, suffix_list_urls=(), fallback_to_snapshot=True)


def host_of(url: str | None) -> str:
    """Lower-case host name of `url` (scheme optional), '' when there is none."""
    if not url:
        return ""
    url = url.strip()
    try:
        host = urlsplit(url if "//" in url else "//" + url).hostname or ""
    except ValueError:
        return ""
    return host.lower().rstrip(".")


def registrable_domain(url: str | None) -> str:
    """`https://en.people.cn/n3/x.html` → `people.cn`; '' for no host, an IP address or a bare suffix."""
    host = host_of(url)
    if not host or "." not in host:
        return ""
    parts = _extractor().extract_str(host)
    if not parts.suffix or not parts.domain:
        return ""
    return f"{parts.domain}.{parts.suffix}"


class OutletRegistry:
    def __init__(self, outlets: list[Outlet]):
        self.outlets = outlets
        self.by_key = {o.key: o for o in outlets}
        self._by_name = {identity_key(n): o for o in outlets
                         for n in [o.name, o.short, *o.names, *o.labels.values()] if n}
        self._by_domain = {d.lower(): o for o in outlets for d in o.domains}
        # One small regex per credit, run only when its literal start occurs in the text: one big
        # alternation over a whole story cost tens of milliseconds.
        self._credits = [(_literal_start(pattern), re.compile(pattern, re.MULTILINE), outlet.key)
                         for outlet in outlets for pattern in outlet.credit_patterns]
        # Only the few outlets that have them: a loop over all 87 for every page cost more than the patterns.
        self._bylines = [(outlet, pattern) for outlet in outlets for pattern in outlet.byline_patterns]
        self._signatures = [(outlet, pattern) for outlet in outlets for pattern in outlet.page_patterns]

    @classmethod
    def load(cls, path: Path | None = None) -> OutletRegistry:
        outlets = []
        for entry in load_json("outlets.json", path)["outlets"]:
            outlets.append(Outlet(
                key=entry["key"], name=entry["name"], short=entry.get("short", ""),
                names=entry.get("names", []), domains=entry.get("domains", []),
                labels=entry.get("labels", {}),
                byline_patterns=[re.compile(p) for p in entry.get("byline_patterns", [])],
                page_patterns=[re.compile(p, re.MULTILINE) for p in entry.get("page_patterns", [])],
                credit_patterns=entry.get("credit_patterns", []),
            ))
        return cls(outlets)

    def get(self, key: str) -> Outlet:
        """The outlet of a key stored in the index: a registry key, or the domain of an unlisted site."""
        outlet = self.by_key.get(key)
        if outlet:
            return outlet
        if key and key != UNKNOWN and "." in key:
            return Outlet(key=key, name=key, short=key, domains=[key], known=False)
        return UNKNOWN_OUTLET

    def label(self, key: str, lang: str = "en", fallback: str | None = None) -> str:
        """The outlet's name in the UI's language; `fallback` (the article's own site name) for unlisted sites."""
        outlet = self.by_key.get(key)
        if outlet:
            return outlet.label(lang)
        if key == UNKNOWN or not key:
            return UNKNOWN_OUTLET.label(lang)
        return fallback or key

    def by_name(self, name: str | None) -> Outlet | None:
        """A registry outlet by any of its names, also with `Báo`, `Tạp chí`, `Báo điện tử` in front."""
        if not name:
            return None
        return self._by_name.get(identity_key(name)) or self._by_name.get(identity_key(_NAME_PREFIX.sub("", name)))

    def by_url(self, url: str | None) -> Outlet | None:
        """The registry outlet whose domain (or a parent domain of it) serves `url`."""
        host = host_of(url)
        parts = host.split(".")
        for i in range(len(parts) - 1):
            outlet = self._by_domain.get(".".join(parts[i:]))
            if outlet:
                return outlet
        return None

    def site(self, url: str | None, site_name: str | None = None) -> Outlet | None:
        """The outlet for a page's URL: the registry's, else one named after the site (og:site_name or domain).
        A site name written as a domain (`PanARMENIAN.Net`, `Baoquocte.vn`) serves as the URL."""
        if not url and site_name and _DOMAIN_LIKE.fullmatch(site_name.strip()):
            url = site_name.strip()
        known = self.by_url(url)
        if known:
            return known
        domain = registrable_domain(url)
        if not domain:
            return None
        named = self.by_name(site_name)
        if named:  # a mirror the registry does not list yet, but the page names a known outlet
            return named
        name = _readable_site_name(site_name) or domain
        return Outlet(key=domain, name=name, short=name, domains=[domain], known=False)

    def resolve(self, url: str | None = None, site_name: str | None = None, byline_key: str | None = None,
                head: list[str] | None = None) -> Outlet:
        """The publishing site: URL first, then the site's name, then its byline or page signature."""
        return (self.site(url, site_name) or self.by_name(site_name)
                or self.by_key.get(byline_key or "") or self.match_page(head or [])
                or _named_site(site_name) or UNKNOWN_OUTLET)

    def credits(self, text: str, byline_key: str | None = None, original_url: str | None = None) -> list[str]:
        """Keys of the agencies credited in `text` (`(Xinhua)`, `TTXVN`, `ТАСС`), in order of first mention;
        the site of `original_url` (a syndicated page's original) first."""
        hits: dict[str, int] = {}
        for start, pattern, key in self._credits if text else ():
            if start in text and (m := pattern.search(text)):
                hits[key] = min(hits.get(key, m.start()), m.start())
        found = [byline_key] if byline_key else []
        original = self.site(original_url) if original_url else None
        if original and original.key not in found:
            found.insert(0, original.key)
        found += [key for key in sorted(hits, key=hits.get) if key not in found]
        return found

    def match_byline(self, line: str) -> BylineMatch | None:
        """`Hanoi (VNA) – Head of…` → VNA, with the byline stripped and `Hanoi` kept as dateline."""
        for outlet, pattern in self._bylines:
            m = pattern.match(line)
            if m:
                dateline = m.groupdict().get("dateline")
                return BylineMatch(outlet, line[m.end():], dateline.strip() if dateline else None)
        return None

    def match_page(self, head_lines: list[str]) -> Outlet | None:
        """An outlet whose page signature appears in the page's first lines."""
        head = "\n".join(head_lines)
        return next((outlet for outlet, pattern in self._signatures if pattern.search(head)), None)


def _literal_start(pattern: str) -> str:
    """The plain characters a credit pattern begins with (`(Xinhua)` → `(Xinhua`, `\\bTTXVN\\b` → `TTXVN`)."""
    plain = re.sub(r"\\([()\[\].+/-])", r"\1", pattern.replace(r"\b", "").lstrip("^"))
    m = re.match(r"[^\\()\[\]?*+{}|.^$]*", plain.replace("\\(", "("))
    text = m.group(0) if m else ""
    return text[:-1] if plain[len(text):len(text) + 1] in ("?", "*", "{") else text


_DOMAIN_LIKE = re.compile(r"(?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,}")
_NAME_PREFIX = re.compile(r"^\s*(?:báo điện tử|báo|tạp chí|đài|trang tin|cổng thông tin điện tử)\s+", re.IGNORECASE)
_SITE_NAME_NOISE = re.compile(r"\s*[|–—-]\s*.*$")


def _readable_site_name(site_name: str | None) -> str:
    """`Example News | Home` → `Example News`; '' when there is nothing readable."""
    if not site_name:
        return ""
    name = _SITE_NAME_NOISE.sub("", site_name.strip()) or site_name.strip()
    return name[:80] if any(ch.isalpha() for ch in name) else ""


def _named_site(site_name: str | None) -> Outlet | None:
    """A site known only by its og:site_name (no URL): an outlet keyed by the name's folded form."""
    name = _readable_site_name(site_name)
    key = identity_key(name)
    if not key:
        return None
    return Outlet(key=key, name=name, short=name, known=False)


@lru_cache(maxsize=1)
def default_registry() -> OutletRegistry:
    return OutletRegistry.load()


def credit_text(keys: list[str], registry: OutletRegistry | None = None) -> str:
    """What the `credit` field indexes: each key with its names, so `TTXVN`, `VNA` and `vna` all find it."""
    registry = registry or default_registry()
    words = []
    for key in keys:
        outlet = registry.by_key.get(key)
        words.append(key)
        if outlet:
            words.extend([outlet.short, *outlet.names, *outlet.labels.values()])
    return " ".join(dict.fromkeys(w for w in words if w))
