"""ETags and an in-process cache of built tables, keyed by (snapshot id, normalised query).

A snapshot never changes, so a response built from it stays right until CURRENT moves; the
cache drops everything as soon as a request sees a new snapshot id.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict

from api.formats import Table

_MAX_ENTRIES = 1024
_MAX_ROWS = 20_000  # bigger tables are rebuilt rather than held in memory


def etag(snapshot_id: str, query_key: str) -> str:
    """A strong ETag: the snapshot id plus a digest of the normalised query."""
    digest = hashlib.blake2b(query_key.encode("utf-8"), digest_size=8).hexdigest()
    return f'"{snapshot_id}.{digest}"'


def matches(if_none_match: str | None, tag: str) -> bool:
    if not if_none_match:
        return False
    candidates = {item.strip().removeprefix("W/") for item in if_none_match.split(",")}
    return "*" in candidates or tag in candidates


class TableCache:
    """Least-recently-used tables of the current snapshot only."""

    def __init__(self, max_entries: int = _MAX_ENTRIES) -> None:
        self._entries: OrderedDict[str, Table] = OrderedDict()
        self._snapshot_id: str | None = None
        self._max = max_entries
        self._lock = threading.Lock()

    def get(self, snapshot_id: str, query_key: str) -> Table | None:
        with self._lock:
            if snapshot_id != self._snapshot_id:
                return None
            table = self._entries.get(query_key)
            if table is not None:
                self._entries.move_to_end(query_key)
            return table

    def put(self, snapshot_id: str, query_key: str, table: Table) -> None:
        if len(table.rows) > _MAX_ROWS:
            return
        with self._lock:
            if snapshot_id != self._snapshot_id:
                if self._snapshot_id is not None and snapshot_id < self._snapshot_id:
                    return  # a request that finished on an older snapshot
                self._entries.clear()
                self._snapshot_id = snapshot_id
            self._entries[query_key] = table
            while len(self._entries) > self._max:
                self._entries.popitem(last=False)
