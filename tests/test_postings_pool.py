"""The term-grouped postings pool yields exactly what Whoosh's own pool yields, in the same order."""

from __future__ import annotations

import random

from whoosh.filedb.filestore import FileStorage
from whoosh.writing import PostingPool

from search.indexing.postings_pool import TermGroupedPool


def _postings(seed: int, docs: int) -> list[tuple]:
    """Postings as a writer adds them: document by document, each term once per field and document."""
    rng = random.Random(seed)
    words = [w.encode() for w in ("hà", "nội", "đảng", "xi", "talks", "đoàn", "会见", "визит", "a", "zz")]
    out = []
    for doc in range(docs):
        for field in ("body_fold", "title", "id"):
            for term in rng.sample(words, rng.randint(0, 6)):
                n = rng.randint(1, 4)
                vbytes = None if field == "id" else bytes(rng.randrange(256) for _ in range(n))
                out.append((field, term, doc, float(n) * rng.choice((1, 1.5)), vbytes))
    return out


def _whoosh(tmp_path, postings, limitmb):
    pool = PostingPool(FileStorage(str(tmp_path)).create(), None, limitmb=limitmb)
    for p in postings:
        pool.add(p)
    return [(f, t, d, w, v or None) for f, t, d, w, v in pool.iter_postings()]


def _grouped(tmp_path, postings, limitmb):
    pool = TermGroupedPool(str(tmp_path), limitmb)
    for p in postings:
        pool.add(p)
    spilled = len(pool.runs)
    out = [(f, t, d, w, v or None) for f, t, d, w, v in pool.iter_postings()]
    assert not list(tmp_path.glob("*.terms"))  # the runs are removed once read
    return out, spilled, pool.fieldnames


def test_same_postings_in_memory(tmp_path):
    postings = _postings(1, 300)
    got, spilled, fields = _grouped(tmp_path, postings, 64)
    assert spilled == 0
    assert got == _whoosh(tmp_path, postings, 64)
    assert fields == {"body_fold", "title", "id"}


def test_same_postings_across_runs(tmp_path):
    postings = _postings(2, 3000)
    pool_limit = 1  # MB: several runs of terms on disk
    got, spilled, _ = _grouped(tmp_path, postings, pool_limit)
    assert spilled >= 2
    assert got == _whoosh(tmp_path, postings, pool_limit)


def test_empty(tmp_path):
    assert list(TermGroupedPool(str(tmp_path)).iter_postings()) == []
