"""The object-store mirror carries a snapshot's series blocks: a replica gets them checked
against the hash the snapshot recorded and answers series from them, as the origin does."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from api.snapshot_store import NeedsSql, SnapshotStore
from warehouse.mirror import SNAPSHOTS, sync_snapshot, upload_snapshot
from warehouse.queries import ObservationFilter, fetch_observations
from warehouse.series_blocks import SUFFIX
from warehouse.snapshots import POINTER, Snapshot, current_snapshot, list_snapshots


class MemoryBucket:
    """The Bucket protocol over a dict, recording the order of puts."""

    def __init__(self) -> None:
        self.objects: dict[str, bytes] = {}
        self.puts: list[str] = []

    def put_file(self, key: str, path: Path) -> None:
        self.objects[key] = path.read_bytes()
        self.puts.append(key)

    def get_file(self, key: str, path: Path) -> bool:
        if key not in self.objects:
            return False
        path.write_bytes(self.objects[key])
        return True

    def put_text(self, key: str, text: str) -> None:
        self.objects[key] = text.encode()
        self.puts.append(key)

    def get_text(self, key: str) -> str | None:
        return self.objects[key].decode() if key in self.objects else None

    def list_keys(self, prefix: str) -> list[str]:
        return sorted(key for key in self.objects if key.startswith(prefix))

    def delete(self, key: str) -> None:
        del self.objects[key]


@pytest.fixture
def origin(sample_home, tmp_path) -> Snapshot:
    """A copy of the sample snapshot and its series blocks in a folder of its own."""
    published = current_snapshot(sample_home / "snapshots")
    folder = tmp_path / "origin"
    folder.mkdir()
    for path in (published.path, published.sidecar(SUFFIX)):
        shutil.copyfile(path, folder / path.name)
    return Snapshot(published.id, folder / published.path.name)


def _series(snapshot: Snapshot) -> ObservationFilter:
    con = duckdb.connect(str(snapshot.path), read_only=True)
    try:
        code, geo = con.execute(
            "select indicator_code, geo_code from public_observations order by all limit 1"
        ).fetchone()  # type: ignore[misc]
    finally:
        con.close()
    return ObservationFilter([code], [geo])


def test_upload_puts_the_sidecar_then_the_snapshot_then_the_pointer(origin):
    bucket = MemoryBucket()
    upload_snapshot(bucket, origin, origin.path.parent)
    blocks = f"{SNAPSHOTS}/{origin.sidecar(SUFFIX).name}"
    assert bucket.puts == [blocks, f"{SNAPSHOTS}/{origin.path.name}", f"{SNAPSHOTS}/{POINTER}"]
    assert bucket.objects[blocks] == origin.sidecar(SUFFIX).read_bytes()


def test_a_replica_gets_the_series_blocks_and_answers_series_from_them(origin, tmp_path):
    bucket = MemoryBucket()
    upload_snapshot(bucket, origin, origin.path.parent)
    cache = tmp_path / "cache"
    assert sync_snapshot(bucket, cache, retention=2).snapshot_id == origin.id
    replica = current_snapshot(cache)
    assert replica.sidecar(SUFFIX).read_bytes() == origin.sidecar(SUFFIX).read_bytes()

    where = _series(origin)
    con = duckdb.connect(str(origin.path), read_only=True)
    expected = fetch_observations(con, where)
    con.close()
    assert expected
    store = SnapshotStore(cache)
    try:
        with store.acquire(sql=False) as snapshot:  # no cursor: only the blocks can answer
            assert snapshot.blocks is not None
            assert snapshot.fetch_series(where) == expected
    finally:
        store.close()


def test_a_damaged_sidecar_in_the_bucket_is_refused(origin, tmp_path):
    bucket = MemoryBucket()
    upload_snapshot(bucket, origin, origin.path.parent)
    key = f"{SNAPSHOTS}/{origin.sidecar(SUFFIX).name}"
    bucket.objects[key] = bucket.objects[key][:-100]  # truncated in the bucket
    cache = tmp_path / "cache"
    with pytest.raises(ValueError, match="content hash"):
        sync_snapshot(bucket, cache, retention=2)
    assert current_snapshot(cache) is None  # the pointer never moved to it
    assert not [path for path in cache.iterdir() if path.name.startswith(".tmp-")]
    assert not (cache / origin.sidecar(SUFFIX).name).exists()


def test_a_bucket_without_the_sidecar_still_serves_by_sql(origin, tmp_path):
    bucket = MemoryBucket()
    upload_snapshot(bucket, origin, origin.path.parent)
    bucket.delete(f"{SNAPSHOTS}/{origin.sidecar(SUFFIX).name}")  # as an older release put it
    cache = tmp_path / "cache"
    assert sync_snapshot(bucket, cache, retention=2).snapshot_id == origin.id
    where = _series(origin)
    store = SnapshotStore(cache)
    try:
        with store.acquire(sql=False) as snapshot:
            assert snapshot.blocks is None
            with pytest.raises(NeedsSql):
                snapshot.fetch_series(where)
        with store.acquire() as snapshot:
            assert snapshot.fetch_series(where)
    finally:
        store.close()


def test_snapshots_pruned_locally_leave_the_bucket_with_their_sidecars(origin, tmp_path):
    # An older snapshot of the same bytes (the id's hash holds; only its time differs).
    older_id = "20200101T000000.000Z-" + origin.id[-8:]
    older = Snapshot(older_id, origin.path.with_name(f"{older_id}.duckdb"))
    shutil.copyfile(origin.path, older.path)
    shutil.copyfile(origin.sidecar(SUFFIX), older.sidecar(SUFFIX))
    bucket = MemoryBucket()
    upload_snapshot(bucket, older, origin.path.parent)
    assert f"{SNAPSHOTS}/{older.sidecar(SUFFIX).name}" in bucket.objects
    older.path.unlink()  # local retention pruned it
    older.sidecar(SUFFIX).unlink()
    assert [snap.id for snap in list_snapshots(origin.path.parent)] == [origin.id]
    upload_snapshot(bucket, origin, origin.path.parent)
    assert bucket.list_keys(f"{SNAPSHOTS}/") == sorted(
        f"{SNAPSHOTS}/{name}" for name in (origin.path.name, origin.sidecar(SUFFIX).name, POINTER)
    )
