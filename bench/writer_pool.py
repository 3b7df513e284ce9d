"""One writer worker's share of a full reindex: Whoosh's posting pool vs the term-grouped pool.

    .venv/bin/python -m bench.writer_pool --corpus DIR [--docs 12500] [--rounds 1] [--limitmb 256]

A full reindex on two cores gives each of its two writer workers every other batch of documents,
so at 25,000 text exports a worker writes ~12,500 of them into one segment. Here every other text
export of DIR (the first `--docs`) is loaded once (search.indexing.parallel), and then, in this
process, the same documents are added to a fresh Whoosh SegmentWriter with our codec and the
segment finished, once with Whoosh's PostingPool and once with search.indexing.postings_pool, the
order turning each round. Printed: CPU-s (process time) of adding the documents and of finishing
the segment, and whether the two segments' files are byte for byte the same.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path


def load_documents(corpus: Path, docs: int) -> list[dict]:
    from search.indexing.parallel import load_all
    from search.ingest.loader import Ingestor, discover_files

    files = discover_files(corpus)[0][::2][:docs]
    ingestor = Ingestor()
    work = [(f, *ingestor.read(f)) for f in files]
    return [loaded.document for loaded in load_all(ingestor, work) if loaded.error is None]


def write_share(documents: list[dict], folder: Path, grouped: bool, limitmb: int) -> tuple[float, float]:
    from whoosh import index as whoosh_index
    from whoosh.writing import SegmentWriter

    from search.indexing.layout_codec import LayoutCodec
    from search.indexing.postings_pool import group_postings
    from search.indexing.schema import build_schema

    folder.mkdir(parents=True)
    writer = SegmentWriter(whoosh_index.create_in(str(folder), build_schema()), limitmb=limitmb,
                           codec=LayoutCodec())
    if grouped:
        group_postings(writer, limitmb)
    started = time.process_time()
    for document in documents:
        writer.add_document(**document)
    added = time.process_time()
    segment = writer._finalize_segment()
    writer._commit_toc([segment])
    writer._finish()
    return added - started, time.process_time() - added


def segment_files(folder: Path) -> dict:
    """Each file of the index's segments (inside the compound file), segment id left out: digest."""
    from whoosh import index as whoosh_index

    ix = whoosh_index.open_dir(str(folder))
    out = {}
    for i, segment in enumerate(ix._segments()):
        storage = segment.open_compound_file(ix.storage) if segment.is_compound() else ix.storage
        sid = segment.segment_id()
        for name in storage.list():
            if sid in name:
                with storage.open_file(name) as f:
                    out[(i, name.replace(sid, ""))] = hashlib.md5(f.read()).hexdigest()
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, required=True, help="a folder of text exports (bench/reindex_speed.py)")
    ap.add_argument("--docs", type=int, default=12500)
    ap.add_argument("--rounds", type=int, default=1)
    ap.add_argument("--limitmb", type=int, default=256, help="the writer's memory limit (search.indexing.reindex)")
    args = ap.parse_args(argv)
    documents = load_documents(args.corpus, args.docs)
    print(f"{len(documents)} documents (every other text export of {args.corpus}), load {os.getloadavg()[0]:.1f}")
    times: dict[str, list[tuple[float, float]]] = {"whoosh": [], "grouped": []}
    with tempfile.TemporaryDirectory(prefix="writer-pool-") as tmp:
        for round_ in range(args.rounds):
            order = ["whoosh", "grouped"] if round_ % 2 == 0 else ["grouped", "whoosh"]
            for name in order:
                folder = Path(tmp) / f"{name}-{round_}"
                add, finish = write_share(documents, folder, name == "grouped", args.limitmb)
                times[name].append((add, finish))
                print(f"round {round_ + 1} {name}: add {add:.1f} CPU-s, finish {finish:.1f} CPU-s, "
                      f"load {os.getloadavg()[0]:.1f}", flush=True)
            same = segment_files(Path(tmp) / f"whoosh-{round_}") == segment_files(Path(tmp) / f"grouped-{round_}")
            print(f"round {round_ + 1}: segment files {'identical' if same else 'DIFFER'}")
    for name, runs in times.items():
        add, finish = statistics.median(a for a, _ in runs), statistics.median(f for _, f in runs)
        print(f"{name}: add {add:.1f} + finish {finish:.1f} = {add + finish:.1f} CPU-s (medians)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
