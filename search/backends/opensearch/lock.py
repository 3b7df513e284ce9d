"""One reindex at a time per alias, across machines: a lock document in `<alias>.lock`, created
only if absent (op_type=create) and kept fresh by the running reindex. A reindex killed with -9
cannot release it, so a lock not refreshed for STALE_AFTER seconds is taken over, never waited on
for hours. (Not `<alias>-…`: that pattern is the alias's own indices, which reindex cleans up.)"""

from __future__ import annotations

import os
import socket
import time

from opensearchpy import ConflictError, NotFoundError

from search.indexing.store import ReindexBusy

STALE_AFTER = 120.0  # seconds
REFRESH_EVERY = 15.0


class ClusterLock:
    def __init__(self, client, alias: str):
        self.client = client
        self.index = f"{alias}.lock"
        self.owner = f"{socket.gethostname()}:{os.getpid()}"
        self.refreshed = 0.0

    def __enter__(self) -> ClusterLock:
        doc = {"owner": self.owner, "at": time.time()}
        # one small shard, with a replica whenever the cluster has a second node
        self.client.indices.create(index=self.index, ignore=400, body={"settings": {
            "index": {"number_of_shards": 1, "auto_expand_replicas": "0-1"}}})
        try:
            self.client.index(index=self.index, id="reindex", body=doc, op_type="create", refresh="true")
        except ConflictError:
            held = self.client.get(index=self.index, id="reindex")
            age = time.time() - held["_source"]["at"]
            if age < STALE_AFTER:
                raise ReindexBusy(f"another reindex ({held['_source']['owner']}) is updating this OpenSearch index; "
                                  f"it last reported {age:.0f} s ago") from None
            self.client.index(index=self.index, id="reindex", body=doc, refresh="true",
                              if_seq_no=held["_seq_no"], if_primary_term=held["_primary_term"])
        self.refreshed = time.monotonic()
        return self

    def refresh(self) -> None:
        """Called as work goes on; cheap when called often."""
        if time.monotonic() - self.refreshed >= REFRESH_EVERY:
            self.client.index(index=self.index, id="reindex", body={"owner": self.owner, "at": time.time()})
            self.refreshed = time.monotonic()

    def __exit__(self, *exc) -> None:
        try:
            self.client.delete(index=self.index, id="reindex", refresh="true")
        except NotFoundError:
            pass
