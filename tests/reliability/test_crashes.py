"""SIGKILL `wppi ingest` during load and during publish, for real, and damaged snapshot files.

The kill is timed from the run's own event log in DAGSTER_HOME: the moment the load (or
publish) step has started and not finished. No hook in the code under test is needed.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import duckdb
import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from api.settings import ApiSettings
from tests.conftest import land, row, run_partner, write_partner_csv
from tests.reliability.corpus import PROVINCES as CORPUS_PROVINCES
from tests.test_end_to_end import WPPI, ingest_json
from warehouse.series_blocks import SUFFIX as SERIES_BLOCKS
from warehouse.snapshots import current_snapshot, list_snapshots

PROVINCES = CORPUS_PROVINCES[1:17]  # 16 provinces
SERIES = {"indicator": "business.women_led_closures", "geo": "AF-KAB,AF-HER"}


def _big_file(path: Path) -> Path:
    """About 20,000 valid rows: enough that load and publish take a visible moment."""
    rows = [
        row(indicator, geo, f"{year}-{month:02d}", str((year + month) % 50 + 5))
        for indicator in ("business.women_led_closures", "media.women_journalists_active",
                          "civic.women_led_protests")
        for geo in PROVINCES
        for year in range(1990, 2004)
        for month in range(1, 13)
    ]  # fmt: skip
    return write_partner_csv(path, rows)


def _base(home: Path) -> None:
    land(home, "base.csv", [row(geo="AF-KAB", value="41"), row(geo="AF-HER", value="17")])
    assert run_partner(home).success


def _public(path: Path) -> list[tuple]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(
            "select indicator_code, geo_code, period_start, sex, age_group, value, obs_status"
            " from public_observations order by all"
        ).fetchall()
    finally:
        con.close()


def _api(home: Path) -> tuple[str, dict, dict]:
    with TestClient(create_app(ApiSettings(home=home))) as client:
        health = client.get("/healthz").json()
        series = client.get("/v1/series", params=SERIES)
    return series.headers["etag"], series.json(), health


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> tuple[Path, list[tuple]]:
    """The same two submissions ingested without interruption."""
    tmp = tmp_path_factory.mktemp("reference")
    home = tmp / "wppi"
    _base(home)
    (home / "landing" / "partner").joinpath("big.csv").write_bytes(
        _big_file(tmp / "big.csv").read_bytes()
    )
    assert run_partner(home, files=["big.csv"]).success
    return tmp / "big.csv", _public(current_snapshot(home / "snapshots").path)


def _step_events(dagster_home: Path, step: str) -> set[str]:
    found: set[str] = set()
    for db in (dagster_home / "history" / "runs").glob("*.db"):
        try:
            with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=0.1) as con:
                found |= {
                    r[0]
                    for r in con.execute(
                        "select dagster_event_type from event_logs where step_key = ?", [step]
                    )
                }
        except sqlite3.Error:
            continue  # being written right now; look again on the next poll
    return found


def _ingest_and_kill(home: Path, file: Path, step: str) -> set[str]:
    """Start `wppi ingest`, SIGKILL it once `step` has started; return the step's events."""
    env = {**os.environ, "WPPI_HOME": str(home)}
    env.pop("DAGSTER_HOME", None)
    process = subprocess.Popen(
        [str(WPPI), "ingest", "--json", str(file)], env=env, start_new_session=True,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 240
    try:
        while time.monotonic() < deadline and process.poll() is None:
            events = _step_events(home / "dagster", step)
            if "STEP_START" in events:
                os.killpg(process.pid, signal.SIGKILL)
                break
            time.sleep(0.005)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL, "the run ended before the step was reached"
    return _step_events(home / "dagster", step)


@pytest.mark.parametrize("step", ["partner_observations", "published_snapshot"])
def test_sigkill_leaves_the_served_snapshot_and_a_rerun_matches(tmp_path, reference, step):
    big, expected = reference
    home = tmp_path / "wppi"
    _base(home)
    before = _api(home)
    snapshots_before = list_snapshots(home / "snapshots")

    events = _ingest_and_kill(home, big, step)
    assert "STEP_SUCCESS" not in events, f"killed after {step} finished"
    # The previous snapshot is still what is served, byte for byte the same answer.
    assert _api(home) == before
    assert list_snapshots(home / "snapshots") == snapshots_before
    hidden = {p.name for p in (home / "snapshots").iterdir()} - {
        s.path.name for s in snapshots_before} - {
        s.sidecar(SERIES_BLOCKS).name for s in snapshots_before} - {"CURRENT"}  # fmt: skip
    assert all(name.startswith(".") for name in hidden), hidden  # temp files never look published

    code, [summary] = ingest_json(home, big)
    assert code == 0 and summary["error"] is None
    current = current_snapshot(home / "snapshots")
    assert current.id != before[0].strip('"')
    assert _public(current.path) == expected
    assert not list((home / "snapshots").glob(".tmp-*")), "a killed publish's temp file remains"


def _publish_another(home: Path, name: str, value: str) -> str:
    land(home, name, [row(geo="AF-KAB", period="2022-04", value=value)])
    assert run_partner(home, files=[name]).success
    return current_snapshot(home / "snapshots").id


@pytest.mark.parametrize("damage", ["corrupt", "truncate"])
def test_a_damaged_snapshot_is_refused_and_the_last_good_one_served(home, damage):
    _base(home)
    good = current_snapshot(home / "snapshots").id
    with TestClient(create_app(ApiSettings(home=home))) as client:
        assert client.get("/healthz").json()["snapshot"] == good
        newer = _publish_another(home, "more.csv", "9")
        path = home / "snapshots" / f"{newer}.duckdb"
        data = bytearray(path.read_bytes())
        if damage == "corrupt":
            data[len(data) // 2 : len(data) // 2 + 64] = b"\xff" * 64
        else:
            data = data[: len(data) // 3]
        path.write_bytes(bytes(data))

        health = client.get("/healthz").json()
        assert health["snapshot"] == good and health["status"] == "degraded"
        assert health["refused"]["snapshot"] == newer
        assert "corrupted or truncated" in health["refused"]["reason"]
        series = client.get("/v1/series", params=SERIES)
        assert series.status_code == 200 and series.headers["x-wppi-snapshot"] == good

        # The next good publish is served again and clears the refusal.
        fixed = _publish_another(home, "again.csv", "10")
        health = client.get("/healthz").json()
        assert (health["snapshot"], health["status"]) == (fixed, "ok") and "refused" not in health


def test_a_damaged_snapshot_at_start_is_reported_not_served(home):
    _base(home)
    snapshot = current_snapshot(home / "snapshots")
    snapshot.path.write_bytes(snapshot.path.read_bytes()[:4096])
    with TestClient(create_app(ApiSettings(home=home))) as client:
        health = client.get("/healthz")
        assert health.status_code == 503 and "corrupted or truncated" in health.json()["detail"]
        assert client.get("/v1/indicators").status_code == 503
