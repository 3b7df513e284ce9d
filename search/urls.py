"""The one check every URL passes before it is stored or shown as a link.

An article's source URL comes from the page's author (`og:url`, `<link rel=canonical>`), so it
may be `javascript:alert(1)`, `data:text/html,…` or `jav\\tascript:` (browsers drop tabs and
newlines inside a URL's scheme). Only an absolute http(s) URL with a host survives: at ingestion
(search/ingest/source_url.py) and again at output (Article.from_json, read back from the index,
so an index written before this check never leaks one either).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

MAX_URL = 2048
_UNSAFE = re.compile(r"[\x00-\x1f\x7f\s]")  # control characters, and white space as str.isspace() sees it


def safe_http_url(value: str | None) -> str | None:
    """`value` if it is an absolute http(s) URL with a host and no control or space characters,
    else None.

    >>> safe_http_url("https://baoquocte.vn/a.html")
    'https://baoquocte.vn/a.html'
    >>> [safe_http_url(u) for u in ("javascript:alert(1)", "jav\\tascript:alert(1)", "data:text/html,x", "//x.vn/")]
    [None, None, None, None]
    """
    if not value or not isinstance(value, str):
        return None
    value = value.strip()
    if len(value) > MAX_URL or _UNSAFE.search(value):
        return None
    try:
        parts = urlsplit(value)
        host = parts.hostname
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not host:
        return None
    return value
