"""Search backends beside the embedded Whoosh index (search.engine).

    opensearch/   the same documents, analysis, query language, facets and JSON on an OpenSearch
                  cluster, for archives that outgrow one machine (`--backend opensearch`)
"""
