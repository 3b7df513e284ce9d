"""The Whoosh codec of our index: Whoosh's W3 format, with each segment's postings laid out for the
executor (search.indexing.layout) instead of in Whoosh's postings file, and the terms of those
fields in our lexicon (search.indexing.lexicon) instead of Whoosh's term dictionary.

Writing: `LayoutFieldWriter` lays out every posting of every field but those looked up by value,
and writes their terms with their document frequencies to the lexicon. Reading: the engine reads
the layout directly (search.postings); everything else in Whoosh that asks a segment about a term
(merging segments, prefixes, "did you mean", the delegate facet column, a plain Whoosh search)
asks `LayoutTermsReader`, which answers from the lexicon and serves postings from the layout as
the same (document, weight, encoded value) postings Whoosh wrote.

Whoosh stores the codec object with each segment in the index's table of contents, so this class
keeps its name and module: an index names it when it is opened.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from itertools import chain

import numpy as np
from whoosh.codec.whoosh3 import W3Codec, W3PerDocReader, W3PerDocWriter, W3TermsReader
from whoosh.matching import ListMatcher
from whoosh.reading import TermInfo, TermNotFound

from search.indexing.layout import LayoutFieldWriter
from search.indexing.layout_reader import SegmentLayout, segment_lexicon
from search.indexing.stored_blocks import StoredBlocksColumn

STORED_BLOCKS = 2  # `stored_format` of segments whose stored fields are in blocks (search.indexing.stored_blocks)


class LayoutCodec(W3Codec):
    # Whoosh pickles the codec with each segment, and reads the segment with it: a segment written
    # before stored fields went in blocks unpickles without the attribute, so the class's default
    # says how it was written (Whoosh's column, one document at a time).
    stored_format = 1

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.stored_format = STORED_BLOCKS

    def field_writer(self, storage, segment):
        return LayoutFieldWriter(self, storage, segment)

    def per_document_writer(self, storage, segment):
        if self.stored_format >= STORED_BLOCKS:
            return BlockStoredPerDocWriter(self, storage, segment)
        return super().per_document_writer(storage, segment)

    def per_document_reader(self, storage, segment):
        if self.stored_format >= STORED_BLOCKS:
            return BlockStoredPerDocReader(storage, segment)
        return super().per_document_reader(storage, segment)

    def terms_reader(self, storage, segment):
        tiname = segment.make_filename(self.TERMS_EXT)
        return LayoutTermsReader(self, storage.open_file(tiname), storage.file_length(tiname),
                                 segment.open_file(storage, self.POSTS_EXT), storage, segment)


STORED = "_stored"  # the column of stored fields, as Whoosh names it


class BlockStoredPerDocWriter(W3PerDocWriter):
    """Whoosh's per-document writer, with the stored fields compressed in blocks."""

    def _create_column(self, fieldname, column):
        super()._create_column(fieldname, StoredBlocksColumn() if fieldname == STORED else column)


class BlockStoredPerDocReader(W3PerDocReader):
    def stored_fields(self, docnum):
        return self._cached_reader(STORED, StoredBlocksColumn())[docnum] or {}


def postings_length(terminfo) -> int:
    """Bytes of a term's postings in Whoosh's postings file (0: laid out instead). Whoosh reads
    the length back as a 1-tuple (`unpack_int`), though it writes an int."""
    length = terminfo.extent()[1]
    return length[0] if isinstance(length, tuple) else length


class LaidOutTermInfo(TermInfo):
    """A laid-out term's statistics: its document frequency from the lexicon; the rest (total and
    highest weight, first and last document, shortest and longest field length) computed from the
    layout the first time Whoosh asks (its own matchers and searches; the engine never does)."""

    def __init__(self, df: int, compute: Callable[[], tuple]):
        super().__init__(df=df)
        self._compute: Callable[[], tuple] | None = compute

    def _stats(self) -> None:
        if self._compute is not None:
            compute, self._compute = self._compute, None
            (self._weight, self._maxweight, self._minid, self._maxid,
             self._minlength, self._maxlength) = compute()

    def weight(self):
        self._stats()
        return self._weight

    def max_weight(self):
        self._stats()
        return self._maxweight

    def min_id(self):
        self._stats()
        return self._minid

    def max_id(self):
        self._stats()
        return self._maxid

    def min_length(self):
        self._stats()
        return self._minlength

    def max_length(self):
        self._stats()
        return self._maxlength

    def is_inlined(self) -> bool:
        return False

    def extent(self) -> tuple[int, int]:
        return 0, 0  # nothing in Whoosh's postings file


class LayoutTermsReader(W3TermsReader):
    """W3's term dictionary for the fields looked up by value (and for every field of a segment of
    format 2); the segment's lexicon and layout for the others."""

    def __init__(self, codec, tifile, tilen, postfile, storage, segment):
        super().__init__(codec, tifile, tilen, postfile)
        self._storage, self._segment = storage, segment
        self._layout: SegmentLayout | None = None
        self._lexicon = segment_lexicon(storage, segment)
        self._laid_out = self._lexicon.fields if self._lexicon is not None else {}
        self._perdoc: W3PerDocReader | None = None

    # --- terms ---------------------------------------------------------------------------------
    def __contains__(self, term):
        fieldname, tbytes = term
        if fieldname in self._laid_out:
            return self._laid_out[fieldname].find(tbytes) is not None
        return super().__contains__(term)

    def indexed_field_names(self):
        return list(dict.fromkeys(chain(super().indexed_field_names(), self._laid_out)))

    def terms(self):
        return chain(super().terms(), ((name, t) for name, lex in self._laid_out.items()
                                       for _, t in lex.terms_from()))

    def terms_from(self, fieldname, prefix):
        """The field's terms from `prefix` on (Whoosh's callers stop at the end of the field)."""
        if fieldname in self._laid_out:
            return ((fieldname, t) for _, t in self._laid_out[fieldname].terms_from(prefix))
        return super().terms_from(fieldname, prefix)

    def items(self):
        return chain(super().items(), chain.from_iterable(self._items(name, b"") for name in self._laid_out))

    def items_from(self, fieldname, prefix):
        if fieldname in self._laid_out:
            return self._items(fieldname, prefix)
        return super().items_from(fieldname, prefix)

    def _items(self, fieldname: str, prefix: bytes) -> Iterator:
        lexicon = self._laid_out[fieldname]
        for ordinal, tbytes in lexicon.terms_from(prefix):
            yield (fieldname, tbytes), self._info(fieldname, tbytes, lexicon.doc_frequency(ordinal))

    def term_info(self, fieldname, tbytes):
        if fieldname not in self._laid_out:
            return super().term_info(fieldname, tbytes)
        lexicon = self._laid_out[fieldname]
        ordinal = lexicon.find(tbytes)
        if ordinal is None:
            raise TermNotFound(f"No term {fieldname}:{tbytes!r}")
        return self._info(fieldname, tbytes, lexicon.doc_frequency(ordinal))

    def frequency(self, fieldname, tbytes):
        if fieldname not in self._laid_out:
            return super().frequency(fieldname, tbytes)
        return self._known(fieldname, tbytes).weight()

    def doc_frequency(self, fieldname, tbytes):
        if fieldname not in self._laid_out:
            return super().doc_frequency(fieldname, tbytes)
        return self._known(fieldname, tbytes).doc_frequency()

    def _known(self, fieldname, tbytes) -> TermInfo:
        """term_info, raising KeyError for an absent term as W3's lookups do (Whoosh's reader
        answers 0 for those)."""
        try:
            return self.term_info(fieldname, tbytes)
        except TermNotFound:
            raise KeyError((fieldname, tbytes)) from None

    def cursor(self, fieldname, fieldobj):
        if fieldname in self._laid_out:
            raise NotImplementedError(f"{fieldname!r} is laid out: walk its terms with terms_from")
        return super().cursor(fieldname, fieldobj)

    def _info(self, fieldname: str, tbytes: bytes, df: int) -> LaidOutTermInfo:
        return LaidOutTermInfo(df, lambda: self._stats(fieldname, tbytes))

    def _stats(self, fieldname: str, tbytes: bytes) -> tuple:
        """(total weight, highest weight, first and last document, shortest and longest length)
        of a laid-out term, as Whoosh's TermInfo holds them."""
        docs, tf, _ = self._field_layout(fieldname).lookup(tbytes)
        if self._perdoc is None:
            self._perdoc = W3PerDocReader(self._storage, self._segment)
        length_of = self._perdoc.doc_field_length_reader(fieldname)
        lengths = [length_of(d) or 0 for d in docs.tolist()]  # as Whoosh keeps them: one byte, log scale
        return (float(np.sum(tf, dtype=np.float64)), float(tf.max()), int(docs[0]), int(docs[-1]),
                min(lengths), max(lengths))

    # --- postings ------------------------------------------------------------------------------
    def matcher(self, fieldname, tbytes, format_, scorer=None):
        terminfo = self.term_info(fieldname, tbytes)
        if terminfo.is_inlined() or postings_length(terminfo):  # Whoosh's own (fields looked up by value)
            return self._codec.postings_reader(self._postfile, terminfo, format_, term=(fieldname, tbytes),
                                               scorer=scorer)
        ids, weights, values = self._field_layout(fieldname).whoosh_postings(tbytes, format_)
        return ListMatcher(ids, weights, values, format_, scorer=scorer, term=(fieldname, tbytes), terminfo=terminfo)

    def _field_layout(self, fieldname: str):
        if self._layout is None:
            self._layout = SegmentLayout.of(self._storage, self._segment)
        if self._layout is None or self._layout.field(fieldname) is None:
            raise ValueError(f"segment {self._segment.segment_id()}: the postings of {fieldname!r} are missing")
        return self._layout.field(fieldname)

    def close(self):
        if self._perdoc is not None:
            self._perdoc.close()
        super().close()
