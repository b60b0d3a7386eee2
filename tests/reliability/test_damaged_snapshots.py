"""A snapshot damaged while served, or before a restart, and a snapshots folder that becomes
unreadable: the API keeps answering from the newest intact snapshot and says it is degraded.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from api.settings import ApiSettings
from tests.conftest import land, row, run_partner
from warehouse.series_blocks import SUFFIX as SERIES_BLOCKS
from warehouse.snapshots import current_snapshot

SERIES = {"indicator": "business.women_led_closures", "geo": "AF-KAB"}


def _two_snapshots(home: Path) -> tuple[str, str]:
    """An older and a newer (current) snapshot, both intact."""
    land(home, "base.csv", [row(geo="AF-KAB", value="41"), row(geo="AF-HER", value="17")])
    assert run_partner(home).success
    older = current_snapshot(home / "snapshots").id
    land(home, "more.csv", [row(geo="AF-KAB", period="2022-04", value="9")])
    assert run_partner(home, files=["more.csv"]).success
    newer = current_snapshot(home / "snapshots").id
    assert older != newer
    return older, newer


# A snapshot's files: the DuckDB file and its series blocks (warehouse/series_blocks.py).
FILES = pytest.mark.parametrize("damaged", ["duckdb", SERIES_BLOCKS])


def _truncate(home: Path, snapshot_id: str, damaged: str = "duckdb") -> None:
    path = home / "snapshots" / f"{snapshot_id}.{damaged}"
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 3])


def _client(home: Path) -> TestClient:
    return TestClient(create_app(ApiSettings(home=home)), raise_server_exceptions=False)


def _assert_fallback(client: TestClient, older: str, newer: str) -> None:
    health = client.get("/healthz")
    assert health.status_code == 200, health.text
    body = health.json()
    assert (body["status"], body["snapshot"]) == ("degraded", older)
    assert body["refused"]["snapshot"] == newer
    assert "corrupted or truncated" in body["refused"]["reason"]
    # Queries no cache has seen are answered from the older snapshot.
    for params in ({**SERIES, "start": "2022-01"}, {**SERIES, "format": "csv"}):
        series = client.get("/v1/series", params=params)
        assert series.status_code == 200, series.text
        assert series.headers["x-wppi-snapshot"] == older
    assert client.get("/v1/indicators", params={"format": "parquet"}).status_code == 200


@FILES
def test_current_snapshot_truncated_while_served(home, damaged):
    older, newer = _two_snapshots(home)
    with _client(home) as client:
        warm = client.get("/v1/series", params=SERIES)
        assert warm.headers["x-wppi-snapshot"] == newer
        _truncate(home, newer, damaged)
        _assert_fallback(client, older, newer)


@FILES
def test_restart_with_a_damaged_current_serves_the_newest_intact_snapshot(home, damaged):
    older, newer = _two_snapshots(home)
    _truncate(home, newer, damaged)
    with _client(home) as client:
        _assert_fallback(client, older, newer)


def test_restart_with_a_garbage_pointer_serves_the_newest_intact_snapshot(home):
    older, newer = _two_snapshots(home)
    (home / "snapshots" / "CURRENT").write_text("not-a-snapshot\n")
    with _client(home) as client:
        body = client.get("/healthz").json()
        assert (body["status"], body["snapshot"]) == ("degraded", newer)
        assert client.get("/v1/series", params=SERIES).headers["x-wppi-snapshot"] == newer


def test_unreadable_snapshots_folder_keeps_serving_the_open_snapshot(home, monkeypatch):
    """Permissions removed on snapshots/ (simulated: the tests run as root, whom chmod does
    not stop): every look into the folder fails with EACCES, the open connection still reads."""
    older, newer = _two_snapshots(home)
    folder = os.path.abspath(home / "snapshots")
    with _client(home) as client:
        assert client.get("/healthz").json()["snapshot"] == newer
        real_stat = Path.stat

        def denied(path: Path, *args, **kwargs):
            if os.path.dirname(os.path.abspath(path)) == folder:
                raise PermissionError(errno.EACCES, "Permission denied", str(path))
            return real_stat(path, *args, **kwargs)

        monkeypatch.setattr(Path, "stat", denied)
        health = client.get("/healthz")
        assert health.status_code == 200, health.text
        assert (health.json()["status"], health.json()["snapshot"]) == ("degraded", newer)
        series = client.get("/v1/series", params={**SERIES, "start": "2021-01"})
        assert series.status_code == 200 and series.headers["x-wppi-snapshot"] == newer
        monkeypatch.undo()
        assert client.get("/healthz").json()["status"] == "ok"


def test_an_unexpected_error_is_problem_json(home, monkeypatch):
    _two_snapshots(home)
    import api.routers.indicators as indicators

    def broken(*args, **kwargs):
        raise RuntimeError("/secret/path/in/a/message")

    monkeypatch.setattr(indicators, "fetch_indicators", broken, raising=True)
    with _client(home) as client:
        answer = client.get("/v1/indicators", params={"format": "csv"})
    assert answer.status_code == 500
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["title"] == "Internal error" and "secret" not in answer.text


def test_a_snapshot_duckdb_cannot_read_is_refused_on_the_failing_query(home, monkeypatch):
    """Damage that keeps the file's size and mtime is found by the query that fails on it:
    the store re-hashes the file, moves to the older snapshot and the request is retried.

    A test snapshot is small enough for DuckDB to hold every page it needs from the moment
    it opens, so the read error the damage would cause is raised for the first query."""
    import duckdb

    import api.routers.observations as observations

    older, newer = _two_snapshots(home)
    path = home / "snapshots" / f"{newer}.duckdb"
    with _client(home) as client:
        assert client.get("/healthz").json()["snapshot"] == newer
        stat = path.stat()
        data = bytearray(path.read_bytes())
        kept = 3 * 4096  # DuckDB's file header and its two database headers
        data[kept:] = b"\xff" * (len(data) - kept)
        path.write_bytes(bytes(data))
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
        fetch, failed = observations.fetch_observations, []

        def read_once_damaged(*args, **kwargs):
            if not failed:
                failed.append(True)
                raise duckdb.IOException("Corrupt database file: block checksum mismatch")
            return fetch(*args, **kwargs)

        monkeypatch.setattr(observations, "fetch_observations", read_once_damaged)
        answer = client.get("/v1/observations", params={"indicator": SERIES["indicator"]})
        assert failed and answer.status_code == 200, answer.text
        assert answer.headers["x-wppi-snapshot"] == older
        assert client.get("/healthz").json()["refused"]["snapshot"] == newer


def test_a_snapshot_without_its_series_blocks_is_served_by_sql(home):
    """A replica may copy only the DuckDB file: every answer is the same, from SQL."""
    _, newer = _two_snapshots(home)
    blocks = current_snapshot(home / "snapshots").sidecar(SERIES_BLOCKS)
    queries = [SERIES, {**SERIES, "start": "2022-03", "format": "csv"},
               {"indicator": SERIES["indicator"], "sex": "_T"}]  # fmt: skip
    with _client(home) as client:
        with_blocks = [client.get("/v1/series", params=q).content for q in queries]
    blocks.unlink()
    with _client(home) as client:
        assert client.get("/healthz").json()["status"] == "ok"
        for query, expected in zip(queries, with_blocks, strict=True):
            answer = client.get("/v1/series", params=query)
            assert answer.headers["x-wppi-snapshot"] == newer
            assert answer.content == expected
