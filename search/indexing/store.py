"""The index directory: generations of a Whoosh index, and one pointer to the live one.

    index/
      CURRENT          the name of the live generation ("gen-000007"), replaced atomically
      gen-000007/      a complete Whoosh index + manifest.json (path → id, content hash)
      gen-000006/      the previous generation, kept for readers that still have it open
      reindex.lock     held (lockf) by the one running reindex

A reindex builds a new generation beside the live one (hard-linking the live one's immutable
segment files, so an incremental update costs only what changed), and switches CURRENT only
once the new generation is complete and on disk. A crash at any point leaves CURRENT naming a
complete index; the half-built generation is removed by the next reindex.
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import shutil
import time
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from whoosh.filedb.filestore import FileStorage

CURRENT = "CURRENT"
LOCK = "reindex.lock"
MANIFEST = "manifest.json"
# The manifest's files (path → id, hash, size, mtime, people), zlib'd beside it: 200 bytes of JSON
# an article, 7% of the index at 25,000 articles; level 1 keeps 37% of it (level 6: 35%, at 2.5
# times the CPU of every incremental reindex, which writes it whole). Manifests written before
# keep "files" in manifest.json itself and are read as they are.
MANIFEST_FILES = "manifest.files.zlib"
MANIFEST_LEVEL = 1
GEN_PREFIX = "gen-"
KEEP_PREVIOUS = 1  # generations kept besides the live one


class IndexMissing(Exception):
    pass


class IndexOutdated(IndexMissing):
    """The live generation was analysed by another version of the analyzers: its stored schema
    may name classes that no longer exist, and its terms would not match today's queries."""


class ReindexBusy(Exception):
    pass


def open_index(gen_dir: Path):
    """A generation's Whoosh index, read through ordinary file reads rather than mmap: Whoosh
    copies every mmapped compound segment file into memory (BytesIO over the map), which made a
    100,000-article index cost 1.1 GB of RAM to open; with reads it costs 170 MB, as fast."""
    return FileStorage(str(gen_dir), supports_mmap=False).open_index()


@dataclass
class Manifest:
    """What a generation holds: corpus path → {id, hash, size, mtime_ns, people}, how it was
    analysed, and the files that failed (path → {reason, size, mtime_ns}), so that a broken file
    is not re-read and re-parsed by every reindex until it changes."""

    files: dict[str, dict]
    analysis: dict
    failed: dict[str, dict] = field(default_factory=dict)

    @classmethod
    def read(cls, gen_dir: Path) -> Manifest:
        data = json.loads((gen_dir / MANIFEST).read_text("utf-8"))
        files = data.get("files")
        if files is None:
            files = json.loads(zlib.decompress((gen_dir / MANIFEST_FILES).read_bytes()))
        return cls(files=files, analysis=data["analysis"], failed=data.get("failed", {}))

    @staticmethod
    def read_analysis(gen_dir: Path) -> dict:
        """How the generation was analysed, without its files (what opening an index checks)."""
        return json.loads((gen_dir / MANIFEST).read_text("utf-8"))["analysis"]

    def write(self, gen_dir: Path) -> None:
        """Written whole and renamed into place, the files first: a reader that sees the new
        manifest.json sees its files (a generation is published only once both are written)."""
        files = json.dumps(self.files, ensure_ascii=False).encode("utf-8")
        _write_atomically(gen_dir / MANIFEST_FILES, zlib.compress(files, MANIFEST_LEVEL))
        _write_atomically(gen_dir / MANIFEST, json.dumps({"analysis": self.analysis, "failed": self.failed},
                                                          ensure_ascii=False))


class IndexStore:
    def __init__(self, root: Path):
        self.root = Path(root)

    # --- reading ---------------------------------------------------------------------------
    def current_name(self) -> str | None:
        try:
            name = (self.root / CURRENT).read_text("ascii").strip()
        except FileNotFoundError:
            return None
        return name if name.startswith(GEN_PREFIX) and (self.root / name).is_dir() else None

    def current_dir(self) -> Path:
        name = self.current_name()
        if not name:
            raise IndexMissing(f"no index at {self.root} yet: run `search reindex` first")
        return self.root / name

    def open(self):
        """The live Whoosh index, if today's analyzers wrote it."""
        from search.analysis import ANALYSIS_VERSION

        gen_dir = self.current_dir()
        built = Manifest.read_analysis(gen_dir).get("version")
        if built != ANALYSIS_VERSION:
            raise IndexOutdated(f"the index at {self.root} was built by another version of the analyzers "
                                f"({built}; this one is {ANALYSIS_VERSION}): run `search reindex` to rebuild it")
        return open_index(gen_dir)

    def manifest(self) -> Manifest | None:
        name = self.current_name()
        return Manifest.read(self.root / name) if name else None

    # --- writing (only while holding the lock) ---------------------------------------------
    def lock(self) -> ReindexLock:
        return ReindexLock(self.root / LOCK)

    def new_generation(self, copy_current: bool) -> Path:
        """A fresh generation directory; with `copy_current`, the live index hard-linked into it."""
        numbers = [int(p.name[len(GEN_PREFIX):]) for p in self._generations()]
        gen = self.root / f"{GEN_PREFIX}{max(numbers, default=0) + 1:06d}"
        gen.mkdir(parents=True)
        if copy_current and self.current_name():
            for f in self.current_dir().iterdir():
                if f.is_file() and not f.name.endswith(("_LOCK", ".tmp")) and f.name not in (MANIFEST, MANIFEST_FILES):
                    os.link(f, gen / f.name)  # Whoosh never rewrites a segment file in place
        return gen

    def publish(self, gen: Path) -> None:
        """Make `gen` the live generation, atomically and durably."""
        for f in gen.iterdir():
            if f.is_file():
                _fsync(f)
        _fsync(gen)
        _write_atomically(self.root / CURRENT, gen.name + "\n")
        _fsync(self.root)

    def discard(self, gen: Path) -> None:
        """Remove a generation that could not be completed (never the live one)."""
        if gen.name != self.current_name():
            shutil.rmtree(gen, ignore_errors=True)

    def size_of(self, gen: Path | None) -> int:
        """Bytes in a generation's files (hard links counted in full: a rebuild writes them anew)."""
        if gen is None or not gen.is_dir():
            return 0
        return sum(f.stat().st_size for f in gen.iterdir() if f.is_file())

    def remove_stale(self) -> list[str]:
        """Delete generations that are neither live nor the most recent previous ones."""
        live = self.current_name()
        gens = sorted(self._generations(), key=lambda p: p.name)
        keep = {live}
        if live:
            older = [g.name for g in gens if g.name < live]
            keep.update(older[-KEEP_PREVIOUS:])
        removed = []
        for g in gens:
            if g.name not in keep:
                shutil.rmtree(g, ignore_errors=True)
                removed.append(g.name)
        return removed

    def _generations(self) -> list[Path]:
        if not self.root.is_dir():
            return []
        return [p for p in self.root.iterdir() if p.is_dir() and p.name.startswith(GEN_PREFIX)
                and p.name[len(GEN_PREFIX):].isdigit()]


class ReindexLock:
    """An exclusive POSIX record lock (lockf): released by the kernel when the process dies, so
    never stale, and, unlike flock, not inherited by the worker processes a full rebuild forks,
    so a killed reindex frees the lock even while its orphaned workers wind down."""

    def __init__(self, path: Path):
        self.path = path
        self._fd: int | None = None

    def __enter__(self) -> ReindexLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as e:
            holder = os.read(fd, 200).decode("utf-8", "replace").strip()
            os.close(fd)
            if e.errno in (errno.EAGAIN, errno.EACCES):
                raise ReindexBusy(f"another reindex is running on {self.path.parent} ({holder or 'unknown process'}); "
                                  "wait for it to finish") from None
            raise
        try:  # who holds it, for the message a second reindex prints; never worth failing for
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"pid {os.getpid()}, started {time.strftime('%Y-%m-%d %H:%M:%S')}".encode(), 0)
        except OSError:  # a full disk: the run that follows is the one that frees space
            pass
        self._fd = fd
        return self

    def __exit__(self, *exc) -> None:
        if self._fd is not None:
            try:
                os.ftruncate(self._fd, 0)  # no holder any more
            except OSError:
                pass
            fcntl.lockf(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None


def _write_atomically(path: Path, text: str | bytes) -> None:
    """Written whole to a temporary file, fsynced and renamed into place; on a write error the
    temporary file is removed and the old file left as it was."""
    tmp = path.with_name(path.name + ".tmp")
    try:
        with open(tmp, "wb") as f:
            f.write(text.encode("utf-8") if isinstance(text, str) else text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _fsync(path: Path) -> None:
    """Flush a file's data, or a directory's entries, to disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
