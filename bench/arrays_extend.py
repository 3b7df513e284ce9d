"""The per-generation arrays after an incremental reindex: derived from every document (as before)
against extended from the previous generation's arrays (search.indexing.arrays.extend_arrays),
on the same generation, alternated, with a check that both give the same files.

    .venv/bin/python bench/arrays_extend.py INDEX [--rounds 5]

INDEX's live generation must come from an incremental run whose previous generation is still
there (e.g. after `search reindex` of 10 changed files on a copy of a built index)."""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from search.facets import FacetColumns  # noqa: E402
from search.indexing.arrays import FOLDER, extend_arrays, length_codes, people_forms, write_arrays  # noqa: E402
from search.indexing.store import IndexStore, open_index  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("index", type=Path)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    store = IndexStore(args.index)
    gen = store.current_dir()
    previous = sorted(p for p in args.index.glob("gen-*") if p.is_dir() and p.name < gen.name)[-1]
    times: dict[str, list[float]] = {"full": [], "extended": []}
    out = {}
    with open_index(gen).searcher() as searcher:
        reader = searcher.reader()
        docs, segments = reader.doc_count_all(), len(list(reader.leaf_readers()))
        for _ in range(args.rounds):
            for how in ("full", "extended"):
                tmp = Path(tempfile.mkdtemp(dir=args.index))
                start = time.perf_counter()
                if how == "full":
                    facets, lengths = FacetColumns(reader), length_codes(reader)
                else:
                    built = extend_arrays(previous, reader)
                    if built is None:
                        raise SystemExit(f"{gen.name} is not {previous.name} plus new segments")
                    facets, lengths = built
                write_arrays(tmp, reader, facets, lengths, people_forms(gen))
                times[how].append(time.perf_counter() - start)
                if how in out:
                    shutil.rmtree(tmp)
                else:
                    out[how] = tmp / FOLDER
    same = all(np.array_equal(np.load(out["full"] / n), np.load(out["extended"] / n)) if n.endswith(".npy")
               else (out["full"] / n).read_bytes() == (out["extended"] / n).read_bytes()
               for n in sorted(os.listdir(out["full"])))
    for path in out.values():
        shutil.rmtree(path.parent)
    print(f"{docs} documents, {segments} segments, "
          f"load {os.getloadavg()[0]:.2f}, identical files: {same}")
    for how, ts in times.items():
        print(f"{how:>9}: median {sorted(ts)[len(ts) // 2] * 1000:.0f} ms  "
              f"({', '.join(f'{t * 1000:.0f}' for t in ts)})")


if __name__ == "__main__":
    main()
