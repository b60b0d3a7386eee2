"""ETags and an in-process cache of built tables, keyed by (snapshot id, normalised query).

A snapshot never changes, so a response built from it stays right until CURRENT moves; the
cache drops everything as soon as a request sees a new snapshot id.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

# Built tables are Python rows (a few hundred bytes each): the budget counts rows, not
# entries, so distinct 10,000-row answers (e.g. one per as_of) cannot fill gigabytes.
_MAX_CACHED_ROWS = 200_000
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


class SnapshotLRU:
    """Least-recently-used values of the current snapshot only, within a size budget.

    `size` measures a value against the budget; values `admit` refuses are not kept.
    """

    def __init__(
        self, budget: int, size: Callable[[Any], int], admit: Callable[[Any], bool]
    ) -> None:
        self._entries: OrderedDict[Hashable, Any] = OrderedDict()
        self._snapshot_id: str | None = None
        self._used = 0
        self._budget, self._size, self._admit = budget, size, admit
        self._lock = threading.Lock()

    def get(self, snapshot_id: str, key: Hashable) -> Any:
        with self._lock:
            if snapshot_id != self._snapshot_id:
                return None
            value = self._entries.get(key)
            if value is not None:
                self._entries.move_to_end(key)
            return value

    def put(self, snapshot_id: str, key: Hashable, value: Any) -> None:
        if not self._admit(value):
            return
        with self._lock:
            if snapshot_id != self._snapshot_id:
                if self._snapshot_id is not None and snapshot_id < self._snapshot_id:
                    return  # a request that finished on an older snapshot
                self._entries.clear()
                self._used = 0
                self._snapshot_id = snapshot_id
            old = self._entries.pop(key, None)
            self._used += self._size(value) - (self._size(old) if old is not None else 0)
            self._entries[key] = value
            while self._used > self._budget:
                _, dropped = self._entries.popitem(last=False)
                self._used -= self._size(dropped)


class TableCache(SnapshotLRU):
    """Built tables by normalised query: up to `max_rows` rows in all, none over _MAX_ROWS."""

    def __init__(self, max_rows: int = _MAX_CACHED_ROWS) -> None:
        super().__init__(
            max_rows, lambda table: len(table.rows) + 1, lambda table: len(table.rows) <= _MAX_ROWS
        )
