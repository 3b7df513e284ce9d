"""Metadata extraction: language, outlet, date (with precision), delegates."""
