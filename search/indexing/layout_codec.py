"""The Whoosh codec of our index: Whoosh's W3 format, with each segment's postings laid out for the
executor (search.indexing.layout) instead of in Whoosh's postings file.

Writing: `LayoutFieldWriter` lays out every posting of every field but those looked up by value,
and keeps Whoosh's per-term statistics for them. Reading: the engine reads the layout directly
(search.postings); everything else in Whoosh that asks a segment for a term's postings (merging
segments, the delegate facet column, a plain Whoosh search) gets them from the layout through
`LayoutTermsReader`, as the same (document, weight, encoded value) postings Whoosh wrote.

Whoosh stores the codec object with each segment in the index's table of contents, so this class
keeps its name and module: an index names it when it is opened.
"""

from __future__ import annotations

from whoosh.codec.whoosh3 import W3Codec, W3TermsReader
from whoosh.matching import ListMatcher

from search.indexing.layout import LayoutFieldWriter
from search.indexing.layout_reader import SegmentLayout


class LayoutCodec(W3Codec):
    def field_writer(self, storage, segment):
        return LayoutFieldWriter(self, storage, segment)

    def terms_reader(self, storage, segment):
        tiname = segment.make_filename(self.TERMS_EXT)
        return LayoutTermsReader(self, storage.open_file(tiname), storage.file_length(tiname),
                                 segment.open_file(storage, self.POSTS_EXT), storage, segment)


def postings_length(terminfo) -> int:
    """Bytes of a term's postings in Whoosh's postings file (0: laid out instead). Whoosh reads
    the length back as a 1-tuple (`unpack_int`), though it writes an int."""
    length = terminfo.extent()[1]
    return length[0] if isinstance(length, tuple) else length


class LayoutTermsReader(W3TermsReader):
    """W3's term dictionary; a term whose extent in the postings file is empty is in the layout."""

    def __init__(self, codec, tifile, tilen, postfile, storage, segment):
        super().__init__(codec, tifile, tilen, postfile)
        self._storage, self._segment = storage, segment
        self._layout: SegmentLayout | None = None

    def matcher(self, fieldname, tbytes, format_, scorer=None):
        terminfo = self.term_info(fieldname, tbytes)
        if terminfo.is_inlined() or postings_length(terminfo):  # Whoosh's own (fields looked up by value)
            return self._codec.postings_reader(self._postfile, terminfo, format_, term=(fieldname, tbytes),
                                               scorer=scorer)
        if self._layout is None:
            self._layout = SegmentLayout.of(self._storage, self._segment)
        if self._layout is None or self._layout.field(fieldname) is None:
            raise ValueError(f"segment {self._segment.segment_id()}: the postings of {fieldname!r} are missing")
        ids, weights, values = self._layout.field(fieldname).whoosh_postings(tbytes, format_)
        return ListMatcher(ids, weights, values, format_, scorer=scorer, term=(fieldname, tbytes), terminfo=terminfo)
