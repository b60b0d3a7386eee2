"""Publishing immutable snapshots and finding the current one (DESIGN.md, "snapshot step").

A snapshot is a new DuckDB file named by UTC time and content hash, never rewritten; the
`CURRENT` pointer is replaced atomically, so readers see the old snapshot or the new one,
never a half-written file.
"""

from __future__ import annotations

import hashlib
import os
import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from warehouse.files import file_digest, fsync_path
from warehouse.protection import protect, remember_published
from warehouse.series_blocks import SUFFIX as SERIES_BLOCKS
from warehouse.series_blocks import write_series_blocks
from warehouse.sql import one_row, scalar, sql

POINTER = "CURRENT"
SNAPSHOT_ID = re.compile(r"^\d{8}T\d{6}\.\d{3}Z-[0-9a-f]{8}$")  # UTC time, ms, content hash


@dataclass(frozen=True)
class Snapshot:
    id: str
    path: Path

    def sidecar(self, name: str) -> Path:
        """A file published with the snapshot (e.g. its series blocks), beside its DuckDB
        file; the DuckDB file records its hash (table `snapshot_files`)."""
        return self.path.with_name(f"{self.id}.{name}")


@dataclass(frozen=True)
class PublishResult:
    snapshot: Snapshot
    created: bool  # False when the warehouse had not changed since the current snapshot
    observations: int
    suppressed: int


def current_snapshot(folder: Path) -> Snapshot | None:
    """The snapshot `CURRENT` points at, or None before the first publish."""
    try:
        snapshot_id = (folder / POINTER).read_text(encoding="ascii").strip()
    except FileNotFoundError:
        return None
    if not SNAPSHOT_ID.match(snapshot_id):
        raise ValueError(f"{folder / POINTER}: '{snapshot_id}' is not a snapshot id")
    return Snapshot(snapshot_id, folder / f"{snapshot_id}.duckdb")


def list_snapshots(folder: Path) -> list[Snapshot]:
    """Published snapshot files, oldest first (ids start with their UTC time)."""
    found = [
        Snapshot(path.stem, path)
        for path in folder.glob("*.duckdb")
        if SNAPSHOT_ID.match(path.stem)
    ]
    return sorted(found, key=lambda snap: snap.id)


def _fingerprint(con: duckdb.DuckDBPyConnection) -> str:
    """What the published content depends on: changes whenever a load changed observations,
    policy events, point notes or the catalog, or the publishing query did (so a new release
    never keeps serving an older snapshot shape). A run whose files changed none of these
    (every row quarantined, a file held back, the same figures again) publishes nothing."""
    row = one_row(con, sql("queries/published_content"))
    publish_sql = hashlib.sha256(sql("queries/publish_snapshot").encode("utf-8")).hexdigest()
    return repr(row) + publish_sql[:12]


def _published_fingerprint(snapshot: Snapshot | None) -> str | None:
    """The current snapshot's fingerprint; None when it is missing or damaged (publish anew)."""
    if snapshot is None:
        return None
    try:
        verify_snapshot(snapshot)
        con = duckdb.connect(str(snapshot.path), read_only=True)
    except (OSError, ValueError, duckdb.Error):
        return None
    try:
        return scalar(con, "select fingerprint from snapshot_info")
    finally:
        con.close()


def verify_snapshot(snapshot: Snapshot, files: dict[str, str] | None = None) -> None:
    """Raise ValueError unless the DuckDB file's bytes still hash to the id it was published
    under and every sidecar present hashes to what the DuckDB file recorded for it.

    `files` (name -> sha256, `recorded_files`) spares a reader that has them a connection;
    `{}` checks the DuckDB file alone. A sidecar may be absent (a replica that copied only
    the DuckDB file): readers then take the SQL path, which needs nothing else.
    """
    digest = file_digest(snapshot.path).sha256[:8]
    if not snapshot.id.endswith(f"-{digest}"):
        raise ValueError(
            f"snapshot {snapshot.id}: content hash is {digest}; the file is corrupted or truncated"
        )
    if files is None:
        con = duckdb.connect(str(snapshot.path), read_only=True)
        try:
            files = recorded_files(con)
        finally:
            con.close()
    verify_sidecars(snapshot, files)


def verify_sidecars(snapshot: Snapshot, files: dict[str, str]) -> None:
    """Raise ValueError unless every sidecar present hashes to its recorded sha256."""
    for name, expected in files.items():
        path = snapshot.sidecar(name)
        if path.exists() and file_digest(path).sha256 != expected:
            raise ValueError(
                f"snapshot {snapshot.id}: {path.name} does not hash to the value the snapshot"
                " recorded; the file is corrupted or truncated"
            )


def recorded_files(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Sidecar name -> sha256 as the snapshot recorded them; none in older snapshots."""
    try:
        return dict(con.execute("select name, sha256 from snapshot_files").fetchall())
    except duckdb.CatalogException:
        return {}


def publish(con: duckdb.DuckDBPyConnection, folder: Path, retention: int) -> PublishResult:
    """Freeze the build warehouse behind `con` into a new snapshot and point CURRENT at it."""
    folder.mkdir(parents=True, exist_ok=True)
    fingerprint = _fingerprint(con)
    current = current_snapshot(folder)
    if current is not None and _published_fingerprint(current) == fingerprint:
        counts = _counts(current.path)
        return PublishResult(current, False, *counts)

    published_at = datetime.now(UTC)
    # Holding the build warehouse makes this the only publisher, so any temp file left here
    # is from a publish that was killed; it was never visible to readers.
    for stale in folder.glob(".tmp-*"):  # the file, its .wal and its sidecar
        stale.unlink(missing_ok=True)
    # Loads keep public_cells protected; this catches up a warehouse they have not (one
    # built before public_cells existed, or after a catalog change) and is cheap otherwise.
    # Every value this snapshot shows is known for ever from now on (docs/protection.md).
    con.execute("begin transaction")
    try:
        suppressed = protect(con)
        remember_published(con)
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    tmp = folder / f".tmp-{uuid.uuid4().hex}.duckdb"
    blocks = tmp.with_name(f"{tmp.name}.{SERIES_BLOCKS}")
    try:
        observations = _write_snapshot(con, tmp, blocks, published_at, fingerprint)
        for path in (blocks, tmp):
            fsync_path(path)
        millis = published_at.microsecond // 1000
        snapshot_id = f"{published_at:%Y%m%dT%H%M%S}.{millis:03d}Z-{file_digest(tmp).sha256[:8]}"
        final = Snapshot(snapshot_id, folder / f"{snapshot_id}.duckdb")
        # The DuckDB file first: killed between the two, the snapshot is whole without its
        # sidecar (readers take the SQL path), and no file outside a snapshot looks published.
        os.replace(tmp, final.path)
        os.replace(blocks, final.sidecar(SERIES_BLOCKS))
    finally:  # a failed publish leaves nothing behind, its write-ahead log included
        for made in (tmp, tmp.with_name(f"{tmp.name}.wal"), blocks):
            made.unlink(missing_ok=True)
    point_at(folder, snapshot_id)
    prune(folder, retention)
    return PublishResult(final, True, observations, suppressed)


def _write_snapshot(
    con: duckdb.DuckDBPyConnection,
    tmp: Path,
    blocks: Path,
    published_at: datetime,
    fingerprint: str,
) -> int:
    """Copy the public tables into a new database file at `tmp` and its series blocks to
    `blocks`, recording the blocks' hash in the database; return its observations."""
    con.execute("attach ? as snap", [str(tmp)])
    try:
        con.execute(sql("queries/publish_snapshot"))
        con.execute(
            "create table snap.snapshot_info as select ?::timestamp as published_at,"
            " ? as fingerprint",
            [published_at.replace(tzinfo=None), fingerprint],
        )
        write_series_blocks(con, "snap", blocks)
        con.execute(
            "create table snap.snapshot_files as select ? as name, ? as sha256",
            [SERIES_BLOCKS, file_digest(blocks).sha256],
        )
        return scalar(con, "select count(*) from snap.public_observations")
    finally:
        con.execute("detach snap")


def _counts(path: Path) -> tuple[int, int]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        total, suppressed = one_row(
            con,
            "select count(*), count(*) filter (where obs_status = 'S') from public_observations",
        )
        return total, suppressed
    finally:
        con.close()


def point_at(folder: Path, snapshot_id: str) -> None:
    """Replace CURRENT atomically (write aside, fsync, rename, fsync the folder)."""
    tmp = folder / f".{POINTER}.{uuid.uuid4().hex}"
    tmp.write_text(snapshot_id + "\n", encoding="ascii")
    fsync_path(tmp)
    os.replace(tmp, folder / POINTER)
    fsync_path(folder)


def prune(folder: Path, retention: int) -> list[str]:
    """Delete all but the newest `retention` snapshots; the current one is never deleted."""
    current = current_snapshot(folder)
    keep = {snap.id for snap in list_snapshots(folder)[-max(retention, 1) :]}
    if current is not None:
        keep.add(current.id)
    removed = []
    for snap in list_snapshots(folder):
        if snap.id not in keep:
            snap.path.unlink(missing_ok=True)
            snap.sidecar(SERIES_BLOCKS).unlink(missing_ok=True)
            removed.append(snap.id)
    return removed
