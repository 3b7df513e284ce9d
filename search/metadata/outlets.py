"""Outlet normalisation through a small registry kept as data (`search/data/outlets.json`)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from search.data import load_json
from search.metadata.folding import identity_key

UNKNOWN = "unknown"


@dataclass
class Outlet:
    key: str
    name: str
    short: str = ""
    names: list[str] = field(default_factory=list)
    domains: list[str] = field(default_factory=list)
    byline_patterns: list[re.Pattern] = field(default_factory=list)
    page_patterns: list[re.Pattern] = field(default_factory=list)


UNKNOWN_OUTLET = Outlet(key=UNKNOWN, name="Unknown outlet", short="?")


@dataclass
class BylineMatch:
    outlet: Outlet
    rest: str  # the line with the byline removed
    dateline: str | None


class OutletRegistry:
    def __init__(self, outlets: list[Outlet]):
        self.outlets = outlets
        self.by_key = {o.key: o for o in outlets}
        self._by_name = {identity_key(n): o for o in outlets for n in [o.name, o.short, *o.names] if n}
        self._by_domain = {d.lower(): o for o in outlets for d in o.domains}

    @classmethod
    def load(cls, path: Path | None = None) -> OutletRegistry:
        outlets = []
        for entry in load_json("outlets.json", path)["outlets"]:
            outlets.append(Outlet(
                key=entry["key"], name=entry["name"], short=entry.get("short", ""),
                names=entry.get("names", []), domains=entry.get("domains", []),
                byline_patterns=[re.compile(p) for p in entry.get("byline_patterns", [])],
                page_patterns=[re.compile(p, re.MULTILINE) for p in entry.get("page_patterns", [])],
            ))
        return cls(outlets)

    def get(self, key: str) -> Outlet:
        return self.by_key.get(key, UNKNOWN_OUTLET)

    def by_name(self, name: str | None) -> Outlet | None:
        if not name:
            return None
        return self._by_name.get(identity_key(name))

    def by_url(self, url: str | None) -> Outlet | None:
        """The outlet whose domain (or a parent domain of it) serves `url`."""
        if not url:
            return None
        host = (urlsplit(url if "//" in url else "//" + url).hostname or "").lower()
        parts = host.split(".")
        for i in range(len(parts) - 1):
            outlet = self._by_domain.get(".".join(parts[i:]))
            if outlet:
                return outlet
        return None

    def match_byline(self, line: str) -> BylineMatch | None:
        """`Hanoi (VNA) – Head of…` → VNA, with the byline stripped and `Hanoi` kept as dateline."""
        for outlet in self.outlets:
            for pattern in outlet.byline_patterns:
                m = pattern.match(line)
                if m:
                    dateline = m.groupdict().get("dateline")
                    return BylineMatch(outlet, line[m.end():], dateline.strip() if dateline else None)
        return None

    def match_page(self, head_lines: list[str]) -> Outlet | None:
        """An outlet whose page signature appears in the page's first lines."""
        head = "\n".join(head_lines)
        for outlet in self.outlets:
            if any(p.search(head) for p in outlet.page_patterns):
                return outlet
        return None
