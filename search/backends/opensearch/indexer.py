"""`search reindex --backend opensearch`: bring the OpenSearch index in line with the corpus.

Searches read an alias. An incremental run plans as the Whoosh path does (new, changed by content
hash, removed; a file whose size and mtime are those recorded is not read again) and writes the
changes into the index behind the alias. A full rebuild (`--full`, the first run, or a new
ANALYSIS_VERSION) fills a new index `<alias>-<time>` and then moves the alias to it in one
`_aliases` call: until that call searches go on reading the old index, and a crash mid-way leaves
it untouched (the next run deletes the half-built index). One reindex at a time (lock.py).
The manifest (path, id, hash, size, mtime of every indexed file) is the index itself.
"""

from __future__ import annotations

import itertools
import os
import re
import time
from pathlib import Path

from opensearchpy import NotFoundError, helpers

from search.analysis import ANALYSIS_VERSION
from search.backends.opensearch.documents import parsed
from search.backends.opensearch.lock import ClusterLock
from search.backends.opensearch.mapping import index_body
from search.backends.opensearch.settings import OpenSearchSettings
from search.indexing.reindex import Failure, Progress, ReindexReport, same_stat
from search.ingest.loader import Ingestor, discover_files
from search.model import IngestError

_REBUILDS = itertools.count(1)  # full rebuilds started by this process

BULK_DOCS = 500  # documents per bulk request (a few MB of pre-analysed text)
MANIFEST_FIELDS = ["id", "path", "content_hash", "size", "mtime_ns"]


def current_index(client, alias: str) -> str | None:
    """The concrete index the alias points to, or None before the first reindex."""
    try:
        names = list(client.indices.get_alias(name=alias))
    except NotFoundError:
        if client.indices.exists(index=alias):
            raise RuntimeError(f"{alias!r} is an index, not an alias; choose another name with --opensearch-index "
                               "or delete it") from None
        return None
    if len(names) != 1:
        raise RuntimeError(f"alias {alias!r} points to {len(names)} indices ({', '.join(names)}); expected one")
    return names[0]


def read_manifest(client, index: str) -> dict[str, dict]:
    """path → {id, hash, size, mtime_ns}, for every document in `index`."""
    files = {}
    for hit in helpers.scan(client, index=index, query={"query": {"match_all": {}}}, _source=MANIFEST_FIELDS,
                            size=2000, preserve_order=False):
        s = hit["_source"]
        files[s["path"]] = {"id": s["id"], "hash": s["content_hash"], "size": s.get("size"),
                            "mtime_ns": s.get("mtime_ns")}
    return files


def reindex_opensearch(seeds: Path, settings: OpenSearchSettings, full: bool = False,
                       progress: Progress | None = None, ingestor: Ingestor | None = None,
                       client=None) -> ReindexReport:
    progress = progress or Progress()
    started = time.monotonic()
    if not seeds.is_dir():
        raise FileNotFoundError(f"corpus directory not found: {seeds}")
    client = client or settings.client()
    with ClusterLock(client, settings.index) as lock:
        report = _reindex_locked(seeds, settings, full, progress, ingestor or Ingestor(), client, lock)
    report.seconds = time.monotonic() - started
    return report


def _reindex_locked(seeds, settings, full, progress, ingestor, client, lock) -> ReindexReport:
    alias = settings.index
    live = current_index(client, alias)
    if live is None or _analysis_version(client, live) != ANALYSIS_VERSION:
        full = True
    _remove_stale(client, alias, keep=live)

    files, skipped = discover_files(seeds)
    report = ReindexReport(full=full, skipped=[Failure(p, r) for p, r in skipped])
    for rel, reason in skipped:
        progress.warn(f"skipped {rel}: {reason}")
    old = {} if full else read_manifest(client, live)
    current = {f.rel for f in files}
    removed = [rel for rel in old if rel not in current]

    progress.start(len(files), "reading")
    work = []
    for file in files:
        progress.advance()
        previous = old.get(file.rel)
        try:
            stat = os.stat(file.path)
        except OSError:
            stat = None
        if previous and stat and same_stat(previous, stat):
            report.unchanged += 1
            continue
        try:
            data, digest = ingestor.read(file)
        except IngestError as e:
            _fail(report, progress, e)
            continue
        if previous and previous["hash"] == digest:
            report.unchanged += 1  # touched, not changed: record the new size and time
            work.append((file, None, digest, stat))
        else:
            work.append((file, data, digest, stat))
    progress.finish()

    if not work and not removed and not full:
        report.generation = live
        return report

    target = live
    if full:
        # time, pid and a count: two rebuilds within one second of one process get two names
        target = f"{alias}-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}-{next(_REBUILDS)}"
        body = index_body(settings.shards, replicas=0)  # replicas are added once it is full
        body["settings"]["index"]["refresh_interval"] = "-1"
        client.indices.create(index=target, body=body)

    def actions():
        for rel in removed:
            yield {"_op_type": "delete", "_index": target, "_id": old[rel]["id"], "_path": rel}
            report.removed += 1
        progress.start(len(work), "indexing")
        jobs = [(file, data, digest, *((stat.st_size, stat.st_mtime_ns) if stat else (None, None)))
                for file, data, digest, stat in work]
        for (file, data, _, size, mtime), (doc_id, source, error) in zip(jobs, parsed(jobs, ingestor), strict=True):
            progress.advance()
            lock.refresh()
            if data is None:
                yield {"_op_type": "update", "_index": target, "_id": old[file.rel]["id"], "_path": file.rel,
                       "doc": {"size": size, "mtime_ns": mtime}}
                continue
            if error:  # one broken file never stops a reindex
                _fail(report, progress, IngestError(*error))
                continue
            if file.rel in old:
                report.updated += 1
            else:
                report.added += 1
            yield {"_op_type": "index", "_index": target, "_id": doc_id, "_source": source, "_path": file.rel}
        progress.finish()

    try:
        for ok, item in helpers.streaming_bulk(client, _without_paths(actions(), paths := {}), chunk_size=BULK_DOCS,
                                               raise_on_error=False, raise_on_exception=True, max_retries=3):
            if not ok:
                op, detail = next(iter(item.items()))
                if op == "delete" and detail.get("status") == 404:
                    continue  # already gone
                rel = paths.get(detail.get("_id"), detail.get("_id"))
                _fail(report, progress, IngestError(rel, f"OpenSearch refused it: {str(detail.get('error'))[:200]}"))
        if full:
            client.indices.put_settings(index=target, body={"index": {"refresh_interval": None,
                                                                      "number_of_replicas": settings.replicas}})
            client.indices.refresh(index=target)
            client.cluster.health(index=target, wait_for_status="yellow", params={"timeout": "60s"}, request_timeout=70)
            flip_alias(client, alias, target, live)
            if live:
                client.indices.delete(index=live)
        else:
            client.indices.refresh(index=target)
    except BaseException:
        if full:  # the alias still names the old index; drop the half-built one
            _delete_quietly(client, target)
        raise
    report.generation = target
    return report


def flip_alias(client, alias: str, new: str, old: str | None) -> None:
    """Point the alias at `new` in one atomic call: a search sees the old index or the new one."""
    actions = [{"add": {"index": new, "alias": alias}}]
    if old:
        actions.insert(0, {"remove": {"index": old, "alias": alias}})
    client.indices.update_aliases(body={"actions": actions})


def _without_paths(actions, paths: dict):
    """Bulk actions without our `_path` key, remembered by id for error messages."""
    for action in actions:
        paths[action["_id"]] = action.pop("_path")
        yield action


def _analysis_version(client, index: str) -> int | None:
    mapping = client.indices.get_mapping(index=index)[index]["mappings"]
    return mapping.get("_meta", {}).get("analysis_version")


def _remove_stale(client, alias: str, keep: str | None) -> None:
    """Indices `<alias>-…` that no alias names: full rebuilds that were interrupted."""
    try:
        found = client.indices.get(index=f"{alias}-*", expand_wildcards="open,closed")
    except NotFoundError:
        return
    ours = re.compile(re.escape(alias) + r"-\d{8}-\d{6}-\d+(-\d+)?")  # not another alias's "<alias>-2-…"
    for name, info in found.items():
        if ours.fullmatch(name) and name != keep and alias not in info.get("aliases", {}):
            _delete_quietly(client, name)


def _delete_quietly(client, index: str) -> None:
    try:
        client.indices.delete(index=index)
    except NotFoundError:
        pass


def _fail(report: ReindexReport, progress: Progress, error: IngestError) -> None:
    report.failed.append(Failure(error.path, error.reason))
    progress.warn(f"failed {error.path}: {error.reason}")
