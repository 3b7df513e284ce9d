"""Party-diplomacy news search: ingestion, metadata, Vietnamese-aware analysis and a Whoosh index."""

__version__ = "0.1.0"
