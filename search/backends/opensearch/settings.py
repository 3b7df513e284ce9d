"""Where the OpenSearch cluster is and how to reach it: command-line flags, else the environment,
else a TOML file (`--opensearch-config FILE` or $SEARCH_OPENSEARCH_CONFIG), else defaults.

    [opensearch]
    url = "https://search.example.org:9200"
    user = "search"
    password = "…"          # or leave it out and set $SEARCH_OPENSEARCH_PASSWORD
    ca = "/etc/ssl/our-ca.pem"
    index = "party-diplomacy"   # the alias searches read
    shards = 3
    replicas = 1
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path

ENV = {"url": "SEARCH_OPENSEARCH_URL", "user": "SEARCH_OPENSEARCH_USER", "password": "SEARCH_OPENSEARCH_PASSWORD",
       "ca": "SEARCH_OPENSEARCH_CA", "index": "SEARCH_OPENSEARCH_INDEX", "shards": "SEARCH_OPENSEARCH_SHARDS",
       "replicas": "SEARCH_OPENSEARCH_REPLICAS"}
ENV_CONFIG = "SEARCH_OPENSEARCH_CONFIG"


class SettingsError(ValueError):
    """A setting that is missing or wrong; the message names it and where it can be given."""


@dataclass(frozen=True)
class OpenSearchSettings:
    url: str = ""
    user: str | None = None
    password: str | None = None
    ca: str | None = None  # a CA bundle for a cluster whose certificate is not publicly signed
    index: str = "party-diplomacy"  # the alias searches read; concrete indices are named <alias>-<time>
    shards: int = 1
    replicas: int = 0  # a single node cannot hold replicas; a cluster should have at least 1
    timeout: float = 30.0

    @classmethod
    def resolve(cls, url: str | None = None, config: str | None = None, **flags) -> OpenSearchSettings:
        values: dict = {}
        path = config or os.environ.get(ENV_CONFIG)
        if path:
            values.update(_read_file(Path(path)))
        for name, var in ENV.items():
            if os.environ.get(var):
                values[name] = os.environ[var]
        values.update({k: v for k, v in flags.items() if v is not None})
        if url:
            values["url"] = url
        settings = cls()
        known = {f.name: f.type for f in fields(cls)}
        for name, value in values.items():
            if name not in known:
                raise SettingsError(f"unknown OpenSearch setting {name!r} (known: {', '.join(known)})")
            if name in ("shards", "replicas"):
                value = _whole(name, value)
            settings = replace(settings, **{name: value})
        if not settings.url:
            raise SettingsError("no OpenSearch URL: pass --opensearch-url, set $SEARCH_OPENSEARCH_URL, "
                                "or put url in the [opensearch] table of the config file")
        if not settings.url.startswith(("http://", "https://")):
            raise SettingsError(f"--opensearch-url must start with http:// or https://, not {settings.url[:60]!r}")
        if settings.ca and not Path(settings.ca).is_file():
            raise SettingsError(f"the CA file {settings.ca!r} does not exist")
        return settings

    def client(self):
        from opensearchpy import OpenSearch

        kwargs = {"hosts": [self.url], "timeout": self.timeout, "max_retries": 2, "retry_on_timeout": True}
        if self.user:
            kwargs["http_auth"] = (self.user, self.password or "")
        if self.url.startswith("https://"):
            kwargs.update(use_ssl=True, verify_certs=True, ssl_show_warn=True)
            if self.ca:
                kwargs["ca_certs"] = self.ca
        return OpenSearch(**kwargs)

    def describe(self) -> str:
        """For messages: the URL and index, never the password."""
        who = f" as {self.user}" if self.user else ""
        return f"{self.url}{who}, index {self.index}"


def _read_file(path: Path) -> dict:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SettingsError(f"OpenSearch config file not found: {path}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise SettingsError(f"{path}: not a valid TOML file ({e})") from None
    table = data.get("opensearch", data)
    if not isinstance(table, dict):
        raise SettingsError(f"{path}: [opensearch] must be a table")
    return table


def _whole(name: str, value) -> int:
    text = str(value)
    if not text.isascii() or not text.isdigit():
        raise SettingsError(f"OpenSearch setting {name} must be a whole number, not {text[:20]!r}")
    return int(text)
