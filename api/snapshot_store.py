"""Hands requests a read-only cursor on the current snapshot; swaps when CURRENT moves.

Each request checks the pointer's mtime (one stat call). A new snapshot gets a new read-only
connection; a replaced one is closed once the last request using it has finished, so
requests in flight finish on the data they started with (DESIGN.md). A snapshot whose bytes
do not match the content hash in its id (corrupted, truncated) is refused: the store keeps
serving the last good one and remembers the refusal for /healthz.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from api.lookups import SnapshotCatalog, read_catalog
from warehouse.queries import fetch_snapshot_info
from warehouse.snapshots import POINTER, Snapshot, current_snapshot, verify_snapshot


class NoSnapshot(Exception):
    """Nothing (good) has been published yet."""


@dataclass(frozen=True)
class Refusal:
    snapshot: str
    reason: str


@dataclass
class _Open:
    id: str
    connection: duckdb.DuckDBPyConnection
    published_at: datetime
    catalog: SnapshotCatalog
    users: int = 0
    retired: bool = False


@dataclass
class OpenSnapshot:
    id: str
    cursor: duckdb.DuckDBPyConnection
    published_at: datetime
    catalog: SnapshotCatalog


@dataclass
class SnapshotStore:
    folder: Path
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _current: _Open | None = None
    _pointer_mtime: int | None = None
    refused: Refusal | None = None  # the last snapshot CURRENT named that could not be served

    def _refresh(self) -> None:
        try:
            mtime = (self.folder / POINTER).stat().st_mtime_ns
        except FileNotFoundError:
            return
        if mtime == self._pointer_mtime:
            return
        self._pointer_mtime = mtime
        try:
            snapshot = current_snapshot(self.folder)
        except ValueError as exc:
            self.refused = Refusal(POINTER, str(exc))
            return
        if snapshot is None or (self._current and self._current.id == snapshot.id):
            return
        opened = self._open(snapshot)
        if opened is None:
            return
        self.refused = None
        old, self._current = self._current, opened
        if old is not None:
            old.retired = True
            self._close_if_unused(old)

    def _open(self, snapshot: Snapshot) -> _Open | None:
        try:
            verify_snapshot(snapshot)
            connection = duckdb.connect(str(snapshot.path), read_only=True)
            published_at = fetch_snapshot_info(connection)["published_at"].replace(tzinfo=UTC)
            catalog = read_catalog(connection)
        except (OSError, ValueError, duckdb.Error) as exc:
            self.refused = Refusal(snapshot.id, str(exc))
            return None
        return _Open(snapshot.id, connection, published_at, catalog)

    @staticmethod
    def _close_if_unused(snap: _Open) -> None:
        if snap.retired and snap.users == 0:
            snap.connection.close()

    @contextmanager
    def acquire(self) -> Iterator[OpenSnapshot]:
        with self._lock:
            self._refresh()
            snap = self._current
            if snap is None:
                raise NoSnapshot(self.refused.reason if self.refused else None)
            snap.users += 1
            cursor = snap.connection.cursor()
        try:
            yield OpenSnapshot(snap.id, cursor, snap.published_at, snap.catalog)
        finally:
            cursor.close()
            with self._lock:
                snap.users -= 1
                self._close_if_unused(snap)

    def current(self) -> tuple[str, datetime]:
        """The id and publication time of the current snapshot, without taking a cursor."""
        with self._lock:
            self._refresh()
            if self._current is None:
                raise NoSnapshot(self.refused.reason if self.refused else None)
            return self._current.id, self._current.published_at

    def close(self) -> None:
        with self._lock:
            if self._current is not None:
                self._current.retired = True
                self._close_if_unused(self._current)
                self._current = None
