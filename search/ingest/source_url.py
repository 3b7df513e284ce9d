"""An article's source URL: only http(s), relative ones made absolute.

A page's `<link rel=canonical>` or `og:url` is whatever its author typed: `javascript:` and
`data:` URLs have been seen, and relative paths are common. Only an absolute http(s) URL is kept
as the article's source (it is rendered as a link and returned by the API). The check itself is
`search/urls.py` (safe_http_url).
"""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

from search.urls import safe_http_url

http_url = safe_http_url  # the one check (search/urls.py), also applied at output


def resolve_source_url(url: str | None, base: str | None = None) -> str | None:
    """`url` made absolute against `base` (the page's `<base href>` or known address) if it is
    relative, then checked: None unless the result is an http(s) URL.

    >>> resolve_source_url("/news/1.html", "https://baoquocte.vn/x")
    'https://baoquocte.vn/news/1.html'
    >>> resolve_source_url("javascript:alert(1)") is None
    True
    """
    if not url:
        return None
    url = url.strip()
    if http_url(url):
        return url
    if urlsplit(url).scheme:  # javascript:, data:, ftp: … never a source
        return None
    base = http_url(base)
    return http_url(urljoin(base, url)) if base else None
