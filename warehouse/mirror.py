"""Copying published snapshots to and from an object store, given any bucket client.

The bottom layer decides *what* goes where and in which order; the client (objectstore/s3.py
in practice, anything with the `Bucket` methods in tests) only moves bytes. Keys mirror the
local layout: `snapshots/<id>.duckdb` and `snapshots/CURRENT`, extracts under `extracts/`.
"""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from warehouse.files import file_digest
from warehouse.snapshots import (
    POINTER,
    SNAPSHOT_ID,
    Snapshot,
    current_snapshot,
    point_at,
    prune,
)

SNAPSHOTS = "snapshots"
EXTRACTS = "extracts"


class Bucket(Protocol):
    """The few object-store operations WPPI needs; keys are relative to the bucket's prefix."""

    def put_file(self, key: str, path: Path) -> None: ...

    def get_file(self, key: str, path: Path) -> bool:
        """Download `key` to `path`; False when the object does not exist."""
        ...

    def put_text(self, key: str, text: str) -> None: ...

    def get_text(self, key: str) -> str | None:
        """The object's text, or None when it does not exist."""
        ...

    def list_keys(self, prefix: str) -> list[str]: ...

    def delete(self, key: str) -> None: ...


@dataclass(frozen=True)
class SyncResult:
    snapshot_id: str | None  # what the local CURRENT points at after the sync
    downloaded: bool


def upload_snapshot(bucket: Bucket, snapshot: Snapshot, local_folder: Path) -> None:
    """Put a published snapshot in the bucket, then move the remote pointer to it.

    The file goes first and the pointer last, so a reader never sees a pointer to a missing
    object. Remote snapshots that local retention has pruned are deleted afterwards. A snapshot
    the bucket already points at is not sent again (a run that changed nothing).
    """
    if (bucket.get_text(f"{SNAPSHOTS}/{POINTER}") or "").strip() == snapshot.id:
        return
    bucket.put_file(f"{SNAPSHOTS}/{snapshot.id}.duckdb", snapshot.path)
    bucket.put_text(f"{SNAPSHOTS}/{POINTER}", snapshot.id + "\n")
    kept = {path.stem for path in local_folder.glob("*.duckdb")}
    for key in bucket.list_keys(f"{SNAPSHOTS}/"):
        stem = key.removeprefix(f"{SNAPSHOTS}/").removesuffix(".duckdb")
        if key.endswith(".duckdb") and SNAPSHOT_ID.match(stem) and stem not in kept:
            bucket.delete(key)


def upload_folder(
    bucket: Bucket, folder: Path, prefix: str, manifest: str = "datapackage.json"
) -> list[str]:
    """Put every file under `folder` at `prefix/<relative path>` (e.g. one snapshot's extracts).

    Files are put in sorted order with the manifest last, so a reader that finds the
    manifest finds every file it lists.
    """
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    files.sort(key=lambda p: p.name == manifest)
    keys = []
    for path in files:
        key = f"{prefix.rstrip('/')}/{path.relative_to(folder).as_posix()}"
        bucket.put_file(key, path)
        keys.append(key)
    return keys


def sync_snapshot(bucket: Bucket, local_folder: Path, retention: int) -> SyncResult:
    """Make the local folder's CURRENT match the bucket's, downloading the snapshot if needed.

    A downloaded file is checked against the content hash in its id before the local pointer
    moves, so readers only ever switch to a complete, intact snapshot.
    """
    local_folder.mkdir(parents=True, exist_ok=True)
    local = current_snapshot(local_folder)
    remote_id = (bucket.get_text(f"{SNAPSHOTS}/{POINTER}") or "").strip()
    if not remote_id:
        return SyncResult(local.id if local else None, False)
    if not SNAPSHOT_ID.match(remote_id):
        raise ValueError(f"object store {SNAPSHOTS}/{POINTER}: '{remote_id}' is not a snapshot id")
    if local is not None and local.id == remote_id:
        return SyncResult(remote_id, False)
    target = local_folder / f"{remote_id}.duckdb"
    downloaded = False
    if not target.exists():
        tmp = local_folder / f".tmp-{uuid.uuid4().hex}.duckdb"
        try:
            if not bucket.get_file(f"{SNAPSHOTS}/{remote_id}.duckdb", tmp):
                # The pointer moved on and this snapshot was pruned meanwhile: next sync.
                return SyncResult(local.id if local else None, False)
            digest = file_digest(tmp).sha256[:8]
            if not remote_id.endswith(digest):
                raise ValueError(f"object store snapshot {remote_id}: content hash is {digest}")
            os.replace(tmp, target)
            downloaded = True
        finally:
            tmp.unlink(missing_ok=True)
    point_at(local_folder, remote_id)
    prune(local_folder, retention)
    return SyncResult(remote_id, downloaded)
