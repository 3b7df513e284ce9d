"""The arrays the engine reads on every search, laid out once per generation beside Whoosh's
segments and memory-mapped when the generation is opened.

Deriving them from Whoosh's files (facet columns, deleted documents, dates, field lengths) and the
delegates' names from the manifest took 1.7-2.3 s per generation at 100,000 articles, so a new
generation took seconds to come into service. Written once, they open in milliseconds:
`np.load(mmap_mode="r")` maps a file and the kernel reads its pages when a search first touches
them (and shares them between processes serving the same index).

    gen-000007/arrays/
      meta.json                  format, document count and segments (to check the arrays still
                                 describe the index), each facet's values, each delegate's spellings
      live.npy  date_sort.npy    per document: not deleted; yyyymmdd (0: year unknown)
      <facet>.codes.npy          per document (or per value, for delegates): index into the values
      <facet>.offsets.npy        delegates only: where each document's values start (CSR)
      length.<field>.npy         per document, Whoosh's one-byte length code of each text field

`search reindex` writes them before publishing a generation (`write_arrays`); a generation
written without them (by an older version) gets them from the first engine that opens it, when
the index directory is writable. They live in a subfolder, so a new generation never hard-links
the previous one's arrays.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import threading
from collections.abc import Mapping
from pathlib import Path

import numpy as np

FOLDER = "arrays"
FORMAT = 1


def signature(reader) -> dict:
    """What the arrays must match: a generation is immutable, so its segments and size suffice."""
    return {"format": FORMAT, "docs": reader.doc_count_all(),
            "segments": sorted(seg.segment_id() for seg in (reader.segments() or []))}


def write_arrays(gen_dir: Path, reader, facets, lengths: dict[str, np.ndarray], people_forms: dict) -> None:
    """Write the arrays into `gen_dir/arrays/` atomically (a folder renamed into place)."""
    gen_dir = Path(gen_dir)
    if (gen_dir / FOLDER).is_dir():
        return
    tmp = Path(tempfile.mkdtemp(prefix=FOLDER + ".tmp-", dir=gen_dir))
    try:
        meta = {**signature(reader), "facets": {}, "people": people_forms}
        np.save(tmp / "live.npy", np.asarray(facets.live, dtype=bool))
        np.save(tmp / "date_sort.npy", np.asarray(facets.date_sort, dtype=np.int64))
        for name, column in _columns(facets).items():
            meta["facets"][name] = {"values": list(column.values), "multi": hasattr(column, "offsets")}
            np.save(tmp / f"{name}.codes.npy", _small(column.codes, len(column.values)))
            if hasattr(column, "offsets"):
                np.save(tmp / f"{name}.offsets.npy", np.asarray(column.offsets, dtype=np.int64))
        for field, codes in lengths.items():
            np.save(tmp / f"length.{field}.npy", np.asarray(codes, dtype=np.uint8))
        (tmp / "meta.json").write_text(json.dumps(meta, ensure_ascii=False), "utf-8")
        for f in tmp.iterdir():
            _fsync(f)
        os.rename(tmp, gen_dir / FOLDER)
    except FileExistsError:
        shutil.rmtree(tmp, ignore_errors=True)  # another process wrote them first
    except OSError:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def read_arrays(gen_dir: Path, reader) -> dict | None:
    """The arrays of `gen_dir`, memory-mapped, or None when there are none (or stale ones)."""
    folder = Path(gen_dir) / FOLDER
    try:
        meta = json.loads((folder / "meta.json").read_text("utf-8"))
    except (FileNotFoundError, NotADirectoryError, ValueError):
        return None
    if {k: meta.get(k) for k in ("format", "docs", "segments")} != signature(reader):
        return None

    def load(name: str) -> np.ndarray:
        return np.load(folder / name, mmap_mode="r")

    try:
        columns = {}
        for name, info in meta["facets"].items():
            columns[name] = {"values": info["values"], "codes": load(f"{name}.codes.npy"),
                             "offsets": load(f"{name}.offsets.npy") if info["multi"] else None}
        lengths = {p.name[len("length."):-len(".npy")]: load(p.name) for p in folder.glob("length.*.npy")}
        return {"live": load("live.npy"), "date_sort": load("date_sort.npy"), "columns": columns,
                "lengths": lengths, "people": meta["people"]}
    except (OSError, ValueError, KeyError):  # a damaged folder: derive them again rather than fail
        return None


def _columns(facets) -> dict:
    columns = dict(facets.columns)
    if "delegate" not in columns and hasattr(facets, "delegate"):
        columns["delegate"] = facets.delegate
    return columns


def _small(codes: np.ndarray, distinct: int) -> np.ndarray:
    """Codes in the smallest unsigned type that holds them (a byte per document for most facets)."""
    dtype = np.uint8 if distinct <= 256 else np.uint16 if distinct <= 65536 else np.uint32
    return np.asarray(codes).astype(dtype)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def generation_arrays(gen_dir: Path, searcher) -> tuple:
    """(FacetColumns, length codes by field, delegate spellings by key) of the generation in
    `gen_dir`: memory-mapped from its arrays, or derived from Whoosh's files and the manifest and
    then written for the next opener (skipped quietly where the index is read-only)."""
    from search.facets import Column, FacetColumns, MultiColumn

    reader = searcher.reader()
    found = read_arrays(gen_dir, reader)
    if found is not None:
        columns = {name: MultiColumn(c["values"], c["offsets"], c["codes"]) if c["offsets"] is not None
                   else Column(c["values"], c["codes"]) for name, c in found["columns"].items()}
        return (FacetColumns.from_arrays(found["live"], found["date_sort"], columns), found["lengths"],
                found["people"])
    facets = FacetColumns(reader)
    lengths = length_codes(reader)
    forms = people_forms(gen_dir)
    try:
        write_arrays(gen_dir, reader, facets, lengths, forms)
    except OSError:
        pass  # a read-only index: derived again by the next opener
    return facets, lengths, forms


def write_generation_arrays(gen_dir: Path, previous: Path | None = None,
                            files: dict[str, dict] | None = None) -> None:
    """For `search reindex`: lay out the arrays of a generation it has just built (a write error,
    a full disk say, propagates: the run fails and its generation is removed).

    `previous` is the generation an incremental run started from: when the new one is the
    previous one's segments (same order, perhaps more deletions) plus new segments, its arrays are
    the previous ones extended by the new segments' documents (`extend_arrays`), which cost 0.1 s
    rather than 0.8 s at 25,000 articles. After a merge they are derived again in full. `files`
    is the manifest's files just written (saves reading it back)."""
    from search.facets import FacetColumns
    from search.indexing.store import open_index

    gen_dir = Path(gen_dir)
    with open_index(gen_dir).searcher() as searcher:
        reader = searcher.reader()
        extended = extend_arrays(previous, reader) if previous is not None else None
        facets, lengths = extended or (FacetColumns(reader), length_codes(reader))
        forms = people_forms(gen_dir) if files is None else forms_of(files)
        write_arrays(gen_dir, reader, facets, lengths, forms)


class _NewLeaves:
    """The segments a generation added, numbered from 0: what facets' column readers and
    `length_codes` need of a reader (its schema and its leaves)."""

    def __init__(self, reader, leaves: list, first_doc: int):
        self.schema = reader.schema
        self._leaves = [(leaf, base - first_doc) for leaf, base in leaves]

    def leaf_readers(self) -> list:
        return self._leaves


def extend_arrays(previous: Path, reader) -> tuple | None:
    """(FacetColumns, length codes) of `reader`'s generation from the arrays of `previous`, or
    None where they cannot be (no or stale arrays there, or segments merged since).

    Whoosh never renumbers a document while its segment lives: an incremental commit marks
    replaced and removed documents deleted in their segments and appends a segment of new ones.
    So the previous per-document arrays hold for the documents of the previous segments; the
    deletions come from the reader (live), and the new segments are read as a full derivation
    reads them. The values of each facet are merged as the full derivation orders them (sorted
    for single-valued facets, first seen segment by segment for delegates), so the result is the
    same, array for array (tests/test_arrays_incremental.py)."""
    from search.facets import (
        FACETS,
        Column,
        FacetColumns,
        MultiColumn,
        _column,
        _multi_column,
        _numbers,
    )
    from search.indexing.store import open_index

    leaves = list(reader.leaf_readers())
    try:
        before = [(s.segment_id(), s.doc_count_all()) for s in open_index(Path(previous))._segments()]
    except Exception:  # no readable previous index: derive in full
        return None
    now = [(leaf.segment().segment_id(), leaf.doc_count_all()) for leaf, _ in leaves]
    if not before or now[:len(before)] != before:
        return None  # merged (or otherwise rewritten) since
    old_n = sum(n for _, n in before)
    old = read_arrays(previous, _Signed(before))
    if old is None or set(old["columns"]) != {f.name for f in FACETS}:
        return None
    n = reader.doc_count_all()
    added = _NewLeaves(reader, leaves[len(before):], old_n)
    live = _live(reader, n)
    columns = {}
    for spec in FACETS:
        was = old["columns"][spec.name]
        if spec.multi_valued:
            columns[spec.name] = MultiColumn(*_extend_multi(was, _multi_column(added, spec.column, n - old_n),
                                                            live, old_n, n))
        else:
            new = _column(added, spec.column, n - old_n)
            values = sorted(set(was["values"]) | set(new.values))
            code_of = {v: i for i, v in enumerate(values)}
            old_map = np.array([code_of[v] for v in was["values"]], dtype=np.int32)
            new_map = np.array([code_of[v] for v in new.values], dtype=np.int32)
            codes = np.concatenate([old_map[np.asarray(was["codes"], dtype=np.int64)],
                                    new_map[new.codes.astype(np.int64)] if len(new.codes) else
                                    np.zeros(0, dtype=np.int32)])
            columns[spec.name] = Column(values, codes)
    date_sort = np.concatenate([np.asarray(old["date_sort"]), _numbers(added, "date_sort", n - old_n)])
    new_lengths = length_codes(added)
    if set(new_lengths) != set(old["lengths"]):
        return None
    lengths = {f: np.concatenate([np.asarray(old["lengths"][f]), new_lengths[f]]) for f in new_lengths}
    return FacetColumns.from_arrays(live, date_sort, columns), lengths


class _Signed:
    """What `read_arrays` checks a generation's arrays against, from its list of segments."""

    def __init__(self, segments: list[tuple[str, int]]):
        self._segments = segments

    def doc_count_all(self) -> int:
        return sum(n for _, n in self._segments)

    def segments(self) -> list:
        return [_Id(i) for i, _ in self._segments]


class _Id:
    def __init__(self, segment_id: str):
        self._id = segment_id

    def segment_id(self) -> str:
        return self._id


def _live(reader, n: int) -> np.ndarray:
    """Per document: not deleted (as search.facets.FacetColumns derives it)."""
    live = np.ones(n, dtype=bool)
    for leaf, base in reader.leaf_readers():
        if leaf.has_deletions():
            deleted = np.fromiter(leaf.deleted_docs_set, dtype=np.int64)
            if len(deleted):
                live[deleted + base] = False
    return live


def _extend_multi(was: dict, new, live: np.ndarray, old_n: int, n: int) -> tuple:
    """(values, offsets, codes) of the delegates' CSR column: the previous documents' values less
    those of documents deleted since (a deleted document's postings are skipped), then the new
    segments' documents, each document's codes in ascending order as `_multi_column` leaves them."""
    offsets = np.asarray(was["offsets"], dtype=np.int64)
    old_owner = np.repeat(np.arange(old_n, dtype=np.int64), np.diff(offsets))
    keep = live[old_owner] if len(old_owner) else np.zeros(0, dtype=bool)
    old_owner, old_codes = old_owner[keep], np.asarray(was["codes"], dtype=np.int64)[keep]
    values = list(was["values"])
    code_of = {v: i for i, v in enumerate(values)}
    for v in new.values:
        if v not in code_of:
            code_of[v] = len(values)
            values.append(v)
    remap = np.array([code_of[v] for v in new.values], dtype=np.int64)
    new_owner = np.repeat(np.arange(n - old_n, dtype=np.int64), np.diff(new.offsets)) + old_n
    new_codes = remap[new.codes.astype(np.int64)] if len(new.codes) else np.zeros(0, dtype=np.int64)
    order = np.lexsort((new_codes, new_owner))
    owner = np.concatenate([old_owner, new_owner[order]])
    codes = np.concatenate([old_codes, new_codes[order]]).astype(np.int32)
    out = np.zeros(n + 1, dtype=np.int64)
    out[1:] = np.cumsum(np.bincount(owner, minlength=n))
    return values, out, codes


def length_codes(reader) -> dict[str, np.ndarray]:
    """Every scorable field's per-document length codes (one byte each, as Whoosh keeps them)."""
    from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield

    from search.postings import _length_bytes

    out = {}
    for field in sorted(name for name, f in reader.schema.items() if f.scorable):
        parts = [_length_bytes(leaf._perdoc._cached_reader(_lenfield(field), LENGTHS_COLUMN), leaf.doc_count_all())
                 for leaf, _ in reader.leaf_readers()]
        out[field] = np.concatenate(parts) if parts else np.zeros(0, dtype=np.uint8)
    return out


def people_forms(gen_dir: Path) -> dict[str, list[str]]:
    """Each delegate key's spellings as the manifest records them (the engine picks a display name)."""
    from search.indexing.store import Manifest

    return forms_of(Manifest.read(Path(gen_dir)).files)


def forms_of(files: dict[str, dict]) -> dict[str, list[str]]:
    """`people_forms` from a manifest's files already in memory."""
    names: dict[str, list[str]] = {}
    for entry in files.values():
        for key, name in entry.get("people", []):
            names.setdefault(key, []).append(name)
    return names


class DelegateNames(Mapping):
    """Delegate key → display name, worked out on first use: choosing among a person's spellings
    costs about 0.2 ms a person (0.6 s at 25,000 articles, done eagerly it was most of a
    generation's opening), and a search needs only the few names it shows."""

    def __init__(self, forms: dict[str, list[str]], registry, best_display_name):
        self._forms = forms
        self._registry = registry
        self._best = best_display_name
        self._names: dict[str, str] = {}
        self._lock = threading.Lock()

    def __getitem__(self, key: str) -> str:
        name = self._names.get(key)
        if name is None:
            forms = self._forms[key]  # KeyError for an unknown key, as a dict
            entry = self._registry.canonical(forms[0])
            name = entry.name if entry else self._best(forms)
            with self._lock:
                self._names[key] = name
        return name

    def __contains__(self, key) -> bool:
        return key in self._forms

    def name_all(self) -> None:
        """Every name worked out: a server does it in the background once a generation is open
        (0.07 s at 25,000 articles), so that its searches find the names ready (a facet labels
        its top delegates and every one tied with them: 60 new names a search, cold)."""
        for key in list(self._forms):
            self[key]

    def __iter__(self):
        return iter(self._forms)

    def __len__(self) -> int:
        return len(self._forms)
