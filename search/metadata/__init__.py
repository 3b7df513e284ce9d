"""Metadata extraction: language, outlet, date (with precision), delegates."""

# Bump when outlet, credit or people rules change what is stored per article: the next reindex rebuilds.
ENTITIES_VERSION = 2
