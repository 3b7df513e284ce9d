"""Smoke run of bench/extraction.py on a dozen of our labelled pages (the full run is in docs/extraction.md)."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_extraction_bench_smoke(tmp_path):
    out = tmp_path / "run.json"
    command = [sys.executable, "-m", "bench.extraction", "--sets", "own", "--limit", "12", "--json", str(out)]
    run = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    report = json.loads(out.read_text("utf-8"))
    own = report["sets"]["own"]
    assert own["pages"] == 12 and own["refused"] == 0
    assert own["project"]["F1"] >= own["trafilatura"]["F1"] and own["project"]["F1"] > 0.9
    assert own["project"]["date_exact"] >= own["trafilatura"]["date_exact"]
    assert "| own (12," in run.stdout  # the table is printed


def test_labelled_pages_are_built_from_their_source():
    """html/ and labels.jsonl are what build.py makes from articles.txt: no hand edits drift."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("build_pages", ROOT / "tests/data/pages/build.py")
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    articles = build.parse((ROOT / "tests/data/pages/articles.txt").read_text("utf-8"))
    labels = [json.loads(line) for line in (ROOT / "tests/data/pages/labels.jsonl").read_text("utf-8").splitlines()]
    assert len(articles) == len(labels) >= 100
    assert {a["lang"] for a in articles} == {"vi", "zh", "ru", "en"}
    for article, label in zip(articles, labels, strict=True):
        assert label["body"] == "\n".join(article["paragraphs"]) and label["date"] == article["date"]
        html = (ROOT / "tests/data/pages" / label["file"]).read_text("utf-8")
        assert html == build.TEMPLATES[article["template"]](article)


def test_held_out_pages_lose_only_their_date_metadata():
    """`nometa` sets: every date the markup declares for machines goes, the rest of the page stays."""
    from bench.extraction import _meta_label, strip_date_metadata

    page = ('<html><head><meta property="article:published_time" content="2019-11-19T13:03:00Z">'
            '<meta property="og:url" content="https://example.com/2019/11/19/story">'
            '<meta name="parsely-page" content=\'{"pub_date": "2019-11-19"}\'>'
            '<script type="application/ld+json">{"datePublished": "2019-11-19"}</script></head>'
            '<body><time datetime="2019-11-19">Nov. 19</time></body></html>')
    stripped = strip_date_metadata(page)
    assert "published_time" not in stripped and "ld+json" not in stripped and "parsely" not in stripped
    assert 'og:url' in stripped and '<time datetime="2019-11-19">' in stripped  # what a reader and a crawler see
    assert _meta_label("19 Nov 2019 07:09 GMT") == "2019-11-19"
    assert _meta_label("0001-01-01T00:00:00Z") is None  # a placeholder is no label
