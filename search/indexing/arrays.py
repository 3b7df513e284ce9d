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


def write_generation_arrays(gen_dir: Path) -> None:
    """For `search reindex`: lay out the arrays of a generation it has just built (a write error,
    a full disk say, propagates: the run fails and its generation is removed)."""
    from search.facets import FacetColumns
    from search.indexing.store import open_index

    with open_index(Path(gen_dir)).searcher() as searcher:
        reader = searcher.reader()
        write_arrays(gen_dir, reader, FacetColumns(reader), length_codes(reader), people_forms(gen_dir))


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

    names: dict[str, list[str]] = {}
    for entry in Manifest.read(Path(gen_dir)).files.values():
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

    def __iter__(self):
        return iter(self._forms)

    def __len__(self) -> int:
        return len(self._forms)
