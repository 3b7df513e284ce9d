"""A corpus of hostile files, made here: each gets one line naming it and the reason (or is indexed
correctly), every good file is indexed, the summary counts them, nothing else in the index changes."""

from __future__ import annotations

import json
import os
import unicodedata

from search.indexing import reindex as reindex_module
from search.indexing.reindex import reindex
from search.indexing.store import IndexStore
from tests.conftest import SEED, run_cli

STORY = ("Đảng Cộng sản Việt Nam và Đảng Nhân dân Cách mạng Lào tổ chức hội thảo lý luận. "
         "Đồng chí Hoàng Bình Quân, Ủy viên Trung ương Đảng, phát biểu khai mạc; hai bên trao đổi "
         "về công tác xây dựng Đảng và hợp tác an ninh.")


def windows_1258(text: str) -> bytes:
    """`text` as Windows-1258 writes Vietnamese: base letters with â ê ô ă ơ ư đ precomposed, tone
    marks as separate combining characters (cp1258 has no precomposed toned vowels)."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        base, *marks = unicodedata.normalize("NFD", ch)
        shape = "".join(m for m in marks if m in "\u0302\u0306\u031b")  # circumflex, breve, horn
        tone = "".join(m for m in marks if m not in shape)
        out.append(unicodedata.normalize("NFC", base + shape) + tone)
    return "".join(out).encode("cp1258")


def docs(index) -> dict:
    proc = run_cli("docs", "--json", "--index", str(index), check=True)
    return {d["path"]: d for d in json.loads(proc.stdout)}


def test_hostile_corpus(corpus):
    seeds, index = corpus
    run_cli("reindex", "--seeds", str(seeds), "--index", str(index), check=True)
    before = docs(index)
    bad = seeds / "hostile"
    bad.mkdir()
    (bad / "empty.txt").write_bytes(b"")
    (bad / "binary.html").write_bytes(bytes(range(256)) * 40)
    (bad / "invalid.txt").write_bytes(b"Title\n\nbroken \xc3\x28 utf-8\n")  # one bad byte: indexed, not refused
    (bad / "latin1.txt").write_bytes(b"Latin-1 page\n\ncaf\xe9 au lait, na\xefve r\xe9sum\xe9 \xe0 la carte\n")
    (bad / "tcvn3.txt").write_bytes("Héi th¶o lý luËn\n\nCéng hoµ x· héi chñ nghÜa ViÖt Nam. §¶ng Céng s¶n ViÖt Nam "
                                    "tæ chøc héi th¶o.\n".encode("cp1252"))
    (bad / "vni.txt").write_bytes("Hoäi thaûo lyù luaän\n\nÑaûng Coäng saûn Vieät Nam toå chöùc hoäi thaûo "
                                  "lyù luaän vôùi Ñaûng Laøo.\n".encode("cp1252"))
    (bad / "huge.txt").write_bytes(b"Huge\n\n" + b"x" * (50 * 1024 * 1024))
    (bad / "scripts.html").write_text("<html><body><script>alert(1)</script></body></html>", "utf-8")
    (bad / "deep.html").write_text("<title>Deep</title>" + "<div>" * 5000 + "Deep story." + "</div>" * 5000,
                                   "utf-8")
    os.symlink("loop.txt", bad / "loop.txt")
    os.symlink("missing-target.txt", bad / "dangling.txt")
    os.mkfifo(bad / "pipe.txt")
    with open(os.path.join(os.fsencode(bad), b"t\xean-kh\xf4ng-utf8.txt"), "wb") as f:
        f.write(("Tên tệp lạ\n\n" + STORY + "\n").encode("utf-8"))
    # Good files in other encodings, which must be read correctly.
    (bad / "bom.txt").write_bytes(b"\xef\xbb\xbf" + ("Có BOM\n\n" + STORY + "\n").encode("utf-8"))
    (bad / "utf16.txt").write_bytes(("Không có BOM, UTF-16\n\n" + STORY + "\n").encode("utf-16-le"))
    (bad / "utf16be.html").write_bytes(("<html><head><title>UTF-16 BE page</title></head><body><article><p>"
                                        + STORY + "</p></article></body></html>").encode("utf-16-be"))
    (bad / "cp1258.txt").write_bytes(windows_1258("Hội thảo lý luận Việt – Lào\n\n" + STORY + "\n"))

    proc = run_cli("reindex", "--seeds", str(seeds), "--index", str(index), timeout=120)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1, out  # failures, said in the exit status
    expected = {
        "hostile/empty.txt": "empty file",
        "hostile/binary.html": "binary file",
        "hostile/tcvn3.txt": "Vietnamese in the legacy TCVN3 (ABC) encoding",
        "hostile/vni.txt": "Vietnamese in the legacy VNI encoding",
        "hostile/huge.txt": "file too large (52 MB; limit 20 MiB)",
        "hostile/scripts.html": "no title",
        "hostile/loop.txt": "Too many levels of symbolic links",
        "hostile/dangling.txt": "broken symbolic link",
        "hostile/pipe.txt": "not a regular file",
    }
    for name, reason in expected.items():
        lines = [line for line in proc.stdout.splitlines() if name + ":" in line]  # the summary
        assert len(lines) == 1 and reason in lines[0], (name, lines, out)
    assert f"failed {len(expected)}" in proc.stdout

    after = docs(index)
    new = {path: d for path, d in after.items() if path not in before}
    assert set(new) == {"hostile/t\\xean-kh\\xf4ng-utf8.txt", "hostile/bom.txt", "hostile/utf16.txt",
                        "hostile/utf16be.html", "hostile/deep.html", "hostile/cp1258.txt",
                        "hostile/invalid.txt", "hostile/latin1.txt"}
    assert f"added {len(new)}" in proc.stdout
    assert new["hostile/cp1258.txt"]["title"] == "Hội thảo lý luận Việt – Lào"
    invalid = json.loads(run_cli("show", new["hostile/invalid.txt"]["id"], "--json", "--index", str(index),
                                 check=True).stdout)
    assert "broken \ufffd( utf-8" in invalid["body"]  # the bad byte marked, the rest kept
    assert new["hostile/utf16.txt"]["title"] == "Không có BOM, UTF-16"
    assert new["hostile/utf16be.html"]["title"] == "UTF-16 BE page"
    assert {before[p]["id"]: before[p] for p in before} == {after[p]["id"]: after[p] for p in before}

    # The converted files are searchable like any other, with and without accents.
    for q in ("hội thảo lý luận", "hoi thao ly luan"):
        hits = json.loads(run_cli("query", q, "--json", "--index", str(index), check=True).stdout)["hits"]
        assert "hostile/cp1258.txt" in {h["path"] for h in hits}


def test_file_that_vanishes_mid_run(corpus, monkeypatch):
    """Listed by the walk, gone when its turn to be read comes: reported, the rest indexed."""
    seeds, index = corpus
    walk = reindex_module.discover_files

    def walk_then_delete(root, *args):
        found, skipped = walk(root, *args)
        (seeds / SEED["002"]).unlink()
        return found, skipped

    monkeypatch.setattr(reindex_module, "discover_files", walk_then_delete)
    report = reindex(seeds, IndexStore(index))
    assert [(f.path, f.reason) for f in report.failed] == [(SEED["002"], "file vanished before it could be read")]
    assert report.added == 4


def test_unreadable_file(corpus, monkeypatch):
    """A file the indexing user may not read: reported, the rest indexed. Root reads any file
    whatever its mode, so under root (as in CI) the refusal comes from a patched open()."""
    seeds, index = corpus
    secret = seeds / "secret.txt"
    secret.write_text("Secret\n\nNot for the indexer.\n", "utf-8")
    secret.chmod(0)
    if os.geteuid() == 0:
        from search.ingest import loader

        real_open = open

        def guarded_open(path, *args, **kwargs):
            if os.fspath(path) == os.fspath(secret):
                raise PermissionError(13, "Permission denied", os.fspath(path))
            return real_open(path, *args, **kwargs)

        monkeypatch.setattr(loader, "open", guarded_open, raising=False)
    report = reindex(seeds, IndexStore(index))
    assert [(f.path, f.reason) for f in report.failed] == [("secret.txt", "permission denied")]
    assert report.added == 5
