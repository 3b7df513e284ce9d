"""The registries' Chinese names with their pinyin, kept so that loading the registries (every
reindex, every server start) needs no pypinyin: importing it and its phrase dictionary costs
~0.5 s, more than a reindex of ten changed pages without Chinese spends on the pages.

    .venv/bin/python -m search.metadata.han_readings          # rewrite search/data/han_readings.json
    .venv/bin/python -m search.metadata.han_readings --check  # exit 1 when it is out of date

`folding.han_to_pinyin` answers from the file for exactly these texts and asks pypinyin for any
other (a Chinese page's names, a query), so no reading changes: each one in the file is what
pypinyin gives (tests/test_han_readings.py compares them all, and checks that loading the
registries imports no pypinyin). Run it after adding Chinese names to `search/data/*.json`;
forgetting only costs the start-up time again.
"""

from __future__ import annotations

import json
import sys
from importlib import resources

from search.metadata import folding

FILE = resources.files("search.data").joinpath(folding.READINGS_FILE)


def registry_texts() -> set[str]:
    """Every Han text the registries romanise when they load, recorded in this process (run it
    in a fresh one: a registry loaded before is not loaded again), and every Han string in the
    data files."""
    seen: set[str] = set()

    def record(text: str) -> str:
        seen.add(text)
        return folding.pypinyin_reading(text)

    original = folding.han_to_pinyin
    folding.han_to_pinyin = record
    folding.identity_key.cache_clear()
    try:
        import search.facets  # noqa: F401 (language names folded at import)
        import search.query_builder  # noqa: F401
        import search.request  # noqa: F401
        from search.ingest.loader import Ingestor
        from search.metadata import people

        Ingestor()
        people._outlet_names()
    finally:
        folding.han_to_pinyin = original
        folding.identity_key.cache_clear()
    for name in ("outlets.json", "people.json", "places.json"):
        _strings(json.loads(resources.files("search.data").joinpath(name).read_text("utf-8")), seen)
    return {text for text in seen if folding.HAN.search(text) and not folding.CYRILLIC.search(text)}


def _strings(value, into: set[str]) -> None:
    if isinstance(value, str):
        into.add(value)
    elif isinstance(value, dict):
        for key, item in value.items():
            _strings(key, into)
            _strings(item, into)
    elif isinstance(value, list):
        for item in value:
            _strings(item, into)


def readings(texts: set[str]) -> dict[str, str]:
    return {text: folding.pypinyin_reading(text) for text in sorted(texts)}


def main(argv: list[str]) -> int:
    wanted = readings(registry_texts())
    kept = json.loads(FILE.read_text("utf-8")) if FILE.is_file() else {}
    if "--check" in argv:
        if kept == wanted:
            print(f"{FILE}: {len(kept)} readings, up to date")
            return 0
        print(f"{FILE} is out of date ({len(set(wanted) - set(kept))} missing, "
              f"{sum(kept.get(t) not in (None, r) for t, r in wanted.items())} different, "
              f"{len(set(kept) - set(wanted))} no longer used): run "
              "`.venv/bin/python -m search.metadata.han_readings`", file=sys.stderr)
        return 1
    with open(str(FILE), "w", encoding="utf-8") as f:
        json.dump(wanted, f, ensure_ascii=False, indent=0, sort_keys=True)
        f.write("\n")
    print(f"{FILE}: {len(wanted)} readings")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
