"""The kept readings of the registries' Chinese names (search/data/han_readings.json) are
pypinyin's own, and with them loading the registries imports no pypinyin (~0.5 s of every
reindex's start-up)."""

from __future__ import annotations

import json
import subprocess
import sys
from importlib import resources
from pathlib import Path

from search.metadata import folding

ROOT = Path(__file__).resolve().parents[1]


def test_every_kept_reading_is_pypinyins():
    kept = json.loads(resources.files("search.data").joinpath(folding.READINGS_FILE).read_text("utf-8"))
    assert len(kept) > 100
    assert {text: folding.pypinyin_reading(text) for text in kept} == kept
    # Surname readings that differ from the everyday word's, and a foreign name's dot, as before.
    assert folding.han_to_pinyin("曾庆红") == folding.pypinyin_reading("曾庆红") == "zeng qing hong"


def test_other_texts_still_read_by_pypinyin():
    text = "单霁翔与长孙无忌"  # not a registry name: a surname reading, then polyphonic 长
    assert text not in folding._known_readings()
    assert folding.han_to_pinyin(text) == folding.pypinyin_reading(text)
    assert folding.han_to_pinyin(text).startswith("shan ji xiang")


def test_kept_readings_up_to_date_and_registries_load_without_pypinyin():
    """Fails when Chinese names were added to search/data/*.json without running
    `.venv/bin/python -m search.metadata.han_readings` (the message says so)."""
    check = subprocess.run([sys.executable, "-m", "search.metadata.han_readings", "--check"],
                           capture_output=True, text=True, cwd=str(ROOT))
    assert check.returncode == 0, check.stderr
    code = ("import sys\n"
            "import search.cli, search.facets, search.indexing.reindex, search.request, search.query_builder\n"
            "from search.ingest.loader import Ingestor\n"
            "from search.metadata import people\n"
            "Ingestor(); people._outlet_names()\n"
            "print('pypinyin' in sys.modules)\n")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=str(ROOT))
    assert loaded.stdout.strip() == "False", loaded.stderr
