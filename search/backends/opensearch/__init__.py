"""The OpenSearch backend: `search reindex --backend opensearch` and `search serve --backend opensearch`.

    settings.py   where the cluster is and how to log in: flags, environment, a TOML file
    mapping.py    the index: pre-analysed fields (the project's own analyzers, joined by spaces and
                  read back with a whitespace analyzer), facet keywords, the stored record
    indexer.py    reindex by content hash into the index behind an alias; a full rebuild fills a new
                  index and flips the alias, so searches never see a half-built one
    translate.py  a QueryPlan's Whoosh query tree → OpenSearch query DSL
    engine.py     OpenSearchEngine: the SearchEngine interface (search, article, overview, rank)

Same analysis as Whoosh: OpenSearch never analyses our text itself. Its ICU and Vietnamese plugins
cannot be relied on, and its `asciifolding` leaves NFD text unfolded and lets an accented query
match folded words; so every text field holds the tokens our analyzers made (NFC, exact marks and
folded forms in separate fields), and queries are built from the same QueryPlan as the Whoosh path.
"""

from search.backends.opensearch.settings import OpenSearchSettings

__all__ = ["OpenSearchSettings"]
