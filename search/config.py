"""Where the corpus and the index live: command-line flags, else environment, else defaults."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

ENV_SEEDS = "SEARCH_SEEDS"
ENV_INDEX = "SEARCH_INDEX"


@dataclass(frozen=True)
class Settings:
    seeds_dir: Path
    index_dir: Path

    @classmethod
    def resolve(cls, seeds: str | None = None, index: str | None = None) -> Settings:
        return cls(
            seeds_dir=Path(seeds or os.environ.get(ENV_SEEDS) or "seeds"),
            index_dir=Path(index or os.environ.get(ENV_INDEX) or "index"),
        )
