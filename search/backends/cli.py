"""The command line's `--backend` options, shared by `search reindex`, `search query` and
`search serve`: the embedded Whoosh index (the default) or an OpenSearch cluster.

    search reindex --backend opensearch --opensearch-url http://127.0.0.1:9200
    search serve   --backend opensearch            # URL etc. from $SEARCH_OPENSEARCH_URL or a config file

The password is never an option (it would show in `ps`): give it in $SEARCH_OPENSEARCH_PASSWORD or the
config file.
"""

from __future__ import annotations

import os
import sys

BACKENDS = ("whoosh", "opensearch")
ENV_BACKEND = "SEARCH_BACKEND"


def add_backend_options(p, reindex: bool = False) -> None:
    g = p.add_argument_group("backend")
    g.add_argument("--backend", choices=BACKENDS, default=os.environ.get(ENV_BACKEND) or "whoosh",
                   help=f"where the index lives (default: ${ENV_BACKEND} or whoosh)")
    g.add_argument("--opensearch-url", metavar="URL", help="OpenSearch URL (default: $SEARCH_OPENSEARCH_URL)")
    g.add_argument("--opensearch-config", metavar="FILE",
                   help="TOML file with an [opensearch] table: url, user, password, ca, index, shards, replicas "
                        "(default: $SEARCH_OPENSEARCH_CONFIG)")
    g.add_argument("--opensearch-index", metavar="NAME", help="the alias searches read (default: party-diplomacy)")
    g.add_argument("--opensearch-user", metavar="USER", help="user for a secured cluster "
                   "(password: $SEARCH_OPENSEARCH_PASSWORD or the config file)")
    g.add_argument("--opensearch-ca", metavar="FILE", help="CA bundle for a cluster's TLS certificate")
    if reindex:
        g.add_argument("--opensearch-shards", metavar="N", help="primary shards of a new index (default 1)")
        g.add_argument("--opensearch-replicas", metavar="N", help="replicas of a new index (default 0)")


def opensearch_settings(args):
    from search.backends.opensearch.settings import OpenSearchSettings

    return OpenSearchSettings.resolve(
        url=args.opensearch_url, config=args.opensearch_config, index=args.opensearch_index,
        user=args.opensearch_user, ca=args.opensearch_ca,
        shards=getattr(args, "opensearch_shards", None), replicas=getattr(args, "opensearch_replicas", None))


def open_engine(args, index_dir, **kw):
    """The engine `args` ask for: SearchEngine on the index directory, or OpenSearchEngine."""
    if getattr(args, "backend", "whoosh") == "opensearch":
        from search.backends.opensearch.engine import OpenSearchEngine

        return OpenSearchEngine(opensearch_settings(args), **{k: v for k, v in kw.items() if k == "time_limit"})
    from search.engine import SearchEngine

    return SearchEngine(index_dir, **kw)


def backend_errors():
    """The exceptions that mean "the OpenSearch side is not usable as configured"."""
    from opensearchpy.exceptions import OpenSearchException

    from search.backends.opensearch.settings import SettingsError

    return (SettingsError, OpenSearchException)


def explain(command: str, error: Exception, args) -> None:
    """One line saying what went wrong with the cluster, and what to try."""
    from opensearchpy.exceptions import AuthenticationException, ConnectionError, NotFoundError

    from search.backends.opensearch.settings import SettingsError

    if isinstance(error, SettingsError):
        print(f"search {command}: {error}", file=sys.stderr)
    elif isinstance(error, ConnectionError):
        print(f"search {command}: cannot reach OpenSearch ({str(error)[:200]}); is it running? "
              "(locally: bash scripts/opensearch.sh install && bash scripts/opensearch.sh start)", file=sys.stderr)
    elif isinstance(error, AuthenticationException):
        print(f"search {command}: OpenSearch refused the credentials (--opensearch-user, "
              "$SEARCH_OPENSEARCH_PASSWORD)", file=sys.stderr)
    elif isinstance(error, NotFoundError):
        print(f"search {command}: no index in OpenSearch yet; run `search reindex --backend opensearch` first",
              file=sys.stderr)
    else:
        print(f"search {command}: OpenSearch: {str(error)[:300]}", file=sys.stderr)


def reindex_opensearch_command(args, seeds_dir, progress) -> tuple[object, str]:
    """Run the OpenSearch reindex; (report, where) for the CLI's summary line."""
    from search.backends.opensearch.indexer import reindex_opensearch

    settings = opensearch_settings(args)
    report = reindex_opensearch(seeds_dir, settings, full=args.full, progress=progress)
    return report, f"OpenSearch {settings.describe()} ({report.generation})"
