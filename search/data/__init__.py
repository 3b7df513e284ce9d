"""Registries kept as data: outlets.json, people.json."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path


def load_json(name: str, path: Path | None = None) -> dict:
    """A registry from the package's data folder, or from `path` when given."""
    if path is None:
        return json.loads(resources.files("search.data").joinpath(name).read_text("utf-8"))
    return json.loads(Path(path).read_text("utf-8"))
