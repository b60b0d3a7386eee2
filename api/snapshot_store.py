"""Hands requests a read-only cursor on the current snapshot; swaps when CURRENT moves.

Each request checks the pointer's mtime and the open file's size and mtime (two stat calls).
A new snapshot gets a new read-only connection; a replaced one is closed once the last
request using it has finished, so requests in flight finish on the data they started with
(DESIGN.md). A snapshot whose bytes do not match the content hash in its id (corrupted,
truncated, before or after it was opened) is refused, and so is one DuckDB fails to read: the
store then serves the newest intact snapshot on disk and remembers the refusal for /healthz.
The same holds for the snapshot's series blocks file (warehouse/series_blocks.py), which
answers series requests without SQL where it can.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pyarrow as pa

from api.lookups import SnapshotCatalog, read_catalog
from api.problems import Problem
from warehouse.queries import ObservationFilter, fetch_observations, fetch_snapshot_info
from warehouse.series_blocks import SUFFIX as SERIES_BLOCKS
from warehouse.series_blocks import SeriesBlocks
from warehouse.snapshots import (
    POINTER,
    Snapshot,
    current_snapshot,
    list_snapshots,
    recorded_files,
    verify_sidecars,
    verify_snapshot,
)

log = logging.getLogger("wppi.api.snapshots")
FOLDER = "snapshots folder"  # what a refusal names when the folder itself cannot be read
# Errors reading a snapshot's files that may mean damage (checked by hash before blaming it).
READ_ERRORS = (duckdb.Error, pa.ArrowException)
# What a build on the event loop may read from the series blocks and answer: a few blocks
# (~3,900 rows each at the bench's shape; ~0.3 ms a block) and a few series (324 monthly
# points over 27 years each). Cheaper than the hand-off to a worker thread and back; more
# would hold up the loop (/healthz, cached answers), so it goes to a thread.
INLINE_READ = 16_384
INLINE_ROWS = 2_000


class NoSnapshot(Exception):
    """Nothing (good) has been published yet."""


class SnapshotDamaged(Problem):
    """The snapshot a request read turned out damaged; the store has moved off it, so the
    request may be tried again at once (serving.py does, once)."""

    def __init__(self, snapshot_id: str):
        detail = f"Snapshot {snapshot_id} proved damaged while being read; try again."
        super().__init__(503, "Snapshot unavailable", detail, headers={"Retry-After": "1"})


@dataclass(frozen=True)
class Refusal:
    snapshot: str
    reason: str


@dataclass(frozen=True)
class ConnectionLimits:
    """What the API's DuckDB connection to a snapshot may use (settings: WPPI_SNAPSHOT_*)."""

    memory_limit: str = "512MB"
    threads: int = 2


@dataclass
class _Open:
    id: str
    path: Path
    connection: duckdb.DuckDBPyConnection
    published_at: datetime
    observations: int
    catalog: SnapshotCatalog
    stamp: tuple  # the files' sizes and mtimes when they were verified
    files: dict[str, str]  # sidecar name -> sha256, as the snapshot recorded them
    blocks: SeriesBlocks | None  # None when the snapshot has no series blocks file
    users: int = 0
    retired: bool = False

    def close(self) -> None:
        self.connection.close()
        if self.blocks is not None:
            self.blocks.close()


class NeedsSql(Exception):
    """A build on the event loop (a snapshot acquired without a cursor) needs SQL, or more
    rows than such a build may read: build it again in a worker thread."""


@dataclass
class OpenSnapshot:
    id: str
    published_at: datetime
    catalog: SnapshotCatalog
    blocks: SeriesBlocks | None = None
    sql: duckdb.DuckDBPyConnection | None = None  # None: acquired for a build on the loop

    @property
    def cursor(self) -> duckdb.DuckDBPyConnection:
        if self.sql is None:
            raise NeedsSql
        return self.sql

    def fetch_series(self, where: ObservationFilter) -> list[tuple]:
        """The rows `fetch_observations` gives for `where`: read from the series blocks
        without SQL when they can answer, else queried within the series index's bound.
        Without a cursor, only from the blocks and within INLINE_READ / INLINE_ROWS (else
        NeedsSql)."""
        read, most = (None, None) if self.sql is not None else (INLINE_READ, INLINE_ROWS)
        rows = self.blocks.rows(where, read, most) if self.blocks is not None else None
        if rows is None:
            rows = fetch_observations(self.cursor, where, rows=self.catalog.series.rows(where))
        return rows


@dataclass(frozen=True)
class Health:
    """What /healthz reports, read without touching DuckDB."""

    snapshot: str
    published_at: datetime
    observations: int
    refused: Refusal | None


def _stamp(snapshot: Snapshot) -> tuple:
    """Size and mtime of the DuckDB file and of the series blocks file (None when absent)."""
    stat = snapshot.path.stat()
    try:
        blocks = snapshot.sidecar(SERIES_BLOCKS).stat()
    except FileNotFoundError:
        return stat.st_size, stat.st_mtime_ns, None
    return stat.st_size, stat.st_mtime_ns, (blocks.st_size, blocks.st_mtime_ns)


@dataclass
class SnapshotStore:
    folder: Path
    limits: ConnectionLimits = field(default_factory=ConnectionLimits)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _current: _Open | None = None
    _pointer_mtime: int | None = None
    _looked: bool = False  # whether the folder was searched while CURRENT is missing
    refused: Refusal | None = None  # the last snapshot that could not be served, and why

    def _refresh(self) -> None:
        self._check_open()
        try:
            mtime = (self.folder / POINTER).stat().st_mtime_ns
        except FileNotFoundError:
            if self._current is None and not self._looked:
                self._looked = True
                self._fall_back(set())  # snapshots on disk but no pointer: serve the newest
            return
        except OSError as exc:  # e.g. permissions removed: keep serving what is open
            self.refused = Refusal(FOLDER, f"cannot read {self.folder}: {exc.strerror}")
            return
        if self.refused and self.refused.snapshot == FOLDER:
            self.refused = None  # readable again
        if mtime == self._pointer_mtime:
            return
        self._pointer_mtime = mtime
        try:
            snapshot = current_snapshot(self.folder)
        except (OSError, ValueError) as exc:
            self.refused = Refusal(POINTER, str(exc))
            self._fall_back(set())
            return
        if snapshot is None or (self._current and self._current.id == snapshot.id):
            return
        try:
            opened = self._open(snapshot)
        except (OSError, ValueError, *READ_ERRORS) as exc:
            self.refused = Refusal(snapshot.id, str(exc))
            self._fall_back({snapshot.id})
            return
        self.refused = None
        self._switch(opened)

    def _check_open(self) -> None:
        """Refuse the open snapshot when its file changed since it was verified."""
        snap = self._current
        if snap is None:
            return
        snapshot = Snapshot(snap.id, snap.path)
        try:
            if _stamp(snapshot) == snap.stamp:
                return
            verify_snapshot(snapshot, snap.files)
            snap.stamp = _stamp(snapshot)  # touched, same bytes
        except PermissionError:
            return  # cannot look; the open connection still reads it
        except (OSError, ValueError) as exc:
            self._refuse_open(snap, str(exc))

    def _refuse_open(self, snap: _Open, reason: str) -> None:
        log.error("snapshot %s refused while serving: %s", snap.id, reason)
        self.refused = Refusal(snap.id, reason)
        self._current = None
        snap.retired = True
        self._close_if_unused(snap)
        self._fall_back({snap.id})

    def _fall_back(self, exclude: set[str]) -> None:
        """Serve the newest intact snapshot on disk other than `exclude` (none: serve none)."""
        current = self._current.id if self._current else None
        try:
            candidates = list_snapshots(self.folder)
        except OSError:
            return
        for snapshot in reversed(candidates):
            if snapshot.id in exclude:
                continue
            if snapshot.id == current:
                return
            try:
                opened = self._open(snapshot)
            except (OSError, ValueError, *READ_ERRORS) as exc:
                log.error("snapshot %s is not intact either: %s", snapshot.id, exc)
                continue
            log.warning("serving snapshot %s, the newest intact one", snapshot.id)
            self._switch(opened)
            return

    def _switch(self, opened: _Open) -> None:
        old, self._current = self._current, opened
        if old is not None:
            old.retired = True
            self._close_if_unused(old)

    def _open(self, snapshot: Snapshot) -> _Open:
        verify_snapshot(snapshot, {})  # the DuckDB file first: it records the others' hashes
        stamp = _stamp(snapshot)
        config: dict[str, str | bool | int | float | list[str]] = {
            "memory_limit": self.limits.memory_limit,
            "threads": self.limits.threads,
        }
        connection = duckdb.connect(str(snapshot.path), read_only=True, config=config)
        try:
            info = fetch_snapshot_info(connection)
            catalog = read_catalog(connection)
            files = recorded_files(connection)
            verify_sidecars(snapshot, files)
            blocks = None
            if SERIES_BLOCKS in files and snapshot.sidecar(SERIES_BLOCKS).exists():
                blocks = SeriesBlocks(snapshot.sidecar(SERIES_BLOCKS), catalog.series)
        except BaseException:
            connection.close()
            raise
        published_at = info["published_at"].replace(tzinfo=UTC)
        return _Open(
            snapshot.id,
            snapshot.path,
            connection,
            published_at,
            info["observations"],
            catalog,
            stamp,
            files,
            blocks,
        )

    @staticmethod
    def _close_if_unused(snap: _Open) -> None:
        if snap.retired and snap.users == 0:
            snap.close()

    def _failed(self, snap: _Open, exc: Exception) -> bool:
        """After a read error: True when a file proved damaged and the store moved off it."""
        if self._current is not snap:
            return False
        try:
            verify_snapshot(Snapshot(snap.id, snap.path), snap.files)
        except PermissionError:
            return False
        except (OSError, ValueError) as damage:
            self._refuse_open(snap, f"{damage} (read error: {exc})")
            return True
        return False

    @contextmanager
    def acquire(self, sql: bool = True) -> Iterator[OpenSnapshot]:
        """The current snapshot, with a cursor of its own unless `sql` is False (a build on
        the event loop that reads the series blocks only)."""
        with self._lock:
            self._refresh()
            snap = self._current
            if snap is None:
                raise NoSnapshot(self.refused.reason if self.refused else None)
            snap.users += 1
            cursor = snap.connection.cursor() if sql else None
        try:
            yield OpenSnapshot(snap.id, snap.published_at, snap.catalog, snap.blocks, cursor)
        except (duckdb.InterruptException, duckdb.OutOfMemoryException):
            raise  # the request's budget, not the file (api/query_budget.py)
        except READ_ERRORS as exc:
            with self._lock:
                damaged = self._failed(snap, exc)
            if damaged:
                raise SnapshotDamaged(snap.id) from exc
            raise
        finally:
            if cursor is not None:
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

    def health(self) -> Health:
        """What is served, without waiting: when another request holds the store (opening a
        snapshot), the state as it last was."""
        if self._lock.acquire(blocking=False):
            try:
                self._refresh()
            finally:
                self._lock.release()
        snap, refused = self._current, self.refused
        if snap is None:
            raise NoSnapshot(refused.reason if refused else None)
        return Health(snap.id, snap.published_at, snap.observations, refused)

    def close(self) -> None:
        with self._lock:
            if self._current is not None:
                self._current.retired = True
                self._close_if_unused(self._current)
                self._current = None
