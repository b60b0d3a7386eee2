"""Copying published snapshots to and from an object store, given any bucket client.

The bottom layer decides *what* goes where and in which order; the client (objectstore/s3.py
in practice, anything with the `Bucket` methods in tests) only moves bytes. Keys mirror the
local layout: `snapshots/<id>.duckdb` with its sidecars (`snapshots/<id>.series.arrow`) and
`snapshots/CURRENT`, extracts under `extracts/`.
"""

from __future__ import annotations

import os
import re
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import duckdb

from warehouse.files import file_digest
from warehouse.snapshots import (
    POINTER,
    SNAPSHOT_ID,
    Snapshot,
    current_snapshot,
    point_at,
    prune,
    recorded_files,
)

SNAPSHOTS = "snapshots"
# A snapshot's files: its id, then a dot and what the file is.
_OWNED = re.compile(f"({SNAPSHOT_ID.pattern.strip('^$')})\\.")
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

    Its sidecars (the series blocks, which let replicas answer series without SQL) go first,
    the DuckDB file next and the pointer last, so a reader never sees a pointer to a missing
    object. Remote snapshots that local retention has pruned are deleted afterwards, sidecars
    too. A snapshot the bucket already points at is not sent again (a run that changed
    nothing).
    """
    if (bucket.get_text(f"{SNAPSHOTS}/{POINTER}") or "").strip() == snapshot.id:
        return
    for name in _recorded(snapshot):
        if snapshot.sidecar(name).exists():
            bucket.put_file(f"{SNAPSHOTS}/{snapshot.sidecar(name).name}", snapshot.sidecar(name))
    bucket.put_file(f"{SNAPSHOTS}/{snapshot.id}.duckdb", snapshot.path)
    bucket.put_text(f"{SNAPSHOTS}/{POINTER}", snapshot.id + "\n")
    kept = {path.stem for path in local_folder.glob("*.duckdb")}
    for key in bucket.list_keys(f"{SNAPSHOTS}/"):
        owner = _snapshot_of(key.removeprefix(f"{SNAPSHOTS}/"))
        if owner is not None and owner not in kept:
            bucket.delete(key)


def _snapshot_of(name: str) -> str | None:
    """The snapshot a file in the snapshots folder belongs to (`<id>.duckdb`, `<id>.<name>`)."""
    found = _OWNED.match(name)
    return found[1] if found else None


def _recorded(snapshot: Snapshot) -> dict[str, str]:
    """Sidecar name -> sha256 as the snapshot's DuckDB file recorded them."""
    con = duckdb.connect(str(snapshot.path), read_only=True)
    try:
        return recorded_files(con)
    finally:
        con.close()


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

    A downloaded file is checked against the content hash in its id, and each sidecar against
    the sha256 the snapshot recorded for it, before the local pointer moves, so readers only
    ever switch to a complete, intact snapshot. A sidecar the bucket lacks (uploaded by an
    older release) is left out: the API then answers by SQL.
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
    snapshot = Snapshot(remote_id, local_folder / f"{remote_id}.duckdb")
    downloaded = False
    if not snapshot.path.exists():
        # The pointer may have moved on and this snapshot been pruned meanwhile: next sync.
        if not _download(bucket, snapshot.path, remote_id[-8:]):  # the id ends with its hash
            return SyncResult(local.id if local else None, False)
        downloaded = True
    for name, sha256 in _recorded(snapshot).items():
        if not snapshot.sidecar(name).exists():
            _download(bucket, snapshot.sidecar(name), sha256)
    point_at(local_folder, remote_id)
    prune(local_folder, retention)
    return SyncResult(remote_id, downloaded)


def _download(bucket: Bucket, target: Path, sha256: str) -> bool:
    """Get `snapshots/<target's name>` to `target` when its sha256 starts with `sha256` (else
    ValueError, and nothing is left behind); False when the bucket does not hold it."""
    tmp = target.with_name(f".tmp-{uuid.uuid4().hex}")
    try:
        if not bucket.get_file(f"{SNAPSHOTS}/{target.name}", tmp):
            return False
        digest = file_digest(tmp).sha256
        if not digest.startswith(sha256):
            raise ValueError(
                f"object store {target.name}: content hash is {digest[:8]}, not "
                "the one the snapshot was published with"
            )
        os.replace(tmp, target)
        return True
    finally:
        tmp.unlink(missing_ok=True)
