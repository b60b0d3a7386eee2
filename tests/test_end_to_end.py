"""End to end through the real CLI: `wppi ingest` a file, then read it back from the API."""

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import orjson
import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from api.settings import ApiSettings
from tests.conftest import row, write_partner_csv

WPPI = Path(sys.executable).with_name("wppi")
SERIES = {"indicator": "civic.women_led_protests", "geo": "AF-HER,AF-KAB"}


def wppi(home: Path, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    env = {**os.environ, "WPPI_HOME": str(home)}
    env.pop("DAGSTER_HOME", None)
    return subprocess.run(
        [str(WPPI), *args], env=env, capture_output=True, text=True, timeout=timeout, check=False
    )


def ingest_json(home: Path, *files: Path, timeout: float = 300) -> tuple[int, list[dict]]:
    done = wppi(home, "ingest", "--json", *map(str, files), timeout=timeout)
    lines = [orjson.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    return done.returncode, lines


def served(home: Path) -> dict:
    with TestClient(create_app(ApiSettings(home=home))) as client:
        body = client.get("/v1/series", params=SERIES).json()
    return {
        (s["geo"], p["period"]): (p["value"], p["obs_status"])
        for s in body["series"]
        for p in s["points"]
    }


@pytest.fixture(scope="module")
def flow(tmp_path_factory):
    """Three submissions in a row: first data, a revision, then a file with bad rows."""
    tmp = tmp_path_factory.mktemp("e2e")
    home = tmp / "wppi"
    first = write_partner_csv(tmp / "first.csv", [
        row("civic.women_led_protests", "AF-KAB", "2022-01", "12"),
        row("civic.women_led_protests", "AF-KAB", "2022-02", "7"),
        row("civic.women_led_protests", "AF-HER", "2022-01", "0", obs_status="Z"),
        row("civic.women_led_protests", "AF-HER", "2022-02", "", obs_status="U"),
    ])  # fmt: skip
    revision = write_partner_csv(tmp / "revision.csv", [
        row("civic.women_led_protests", "AF-KAB", "2022-02", "9", verification="corroborated"),
    ])  # fmt: skip
    bad = write_partner_csv(tmp / "bad.csv", [
        row("civic.women_led_protests", "AF-KAB", "2022-03", "15"),
        row("civic.women_led_protests", "AF-KAB", "2022-04", "many"),
        row("civic.women_led_protests", "AF-NOWHERE", "2022-04", "3"),
    ])  # fmt: skip
    steps = {}
    for name, path in (("first", first), ("revision", revision), ("bad", bad)):
        steps[name] = (*ingest_json(home, path), served(home))
    return home, steps


def test_first_file_is_served_exactly_as_submitted(flow):
    _, steps = flow
    code, [summary], values = steps["first"]
    assert code == 0
    assert summary == {"file": summary["file"], "adapter": "partner", "rows_in": 4,
                       "rows_loaded": 4, "rows_quarantined": 0, "error": None}  # fmt: skip
    assert values == {
        ("AF-KAB", "2022-01"): (12.0, "A"),
        ("AF-KAB", "2022-02"): (7.0, "A"),
        ("AF-HER", "2022-01"): (0.0, "Z"),
        ("AF-HER", "2022-02"): (None, "U"),
    }


def test_revision_is_served_and_the_old_row_kept_closed(flow):
    home, steps = flow
    code, [summary], values = steps["revision"]
    assert code == 0 and summary["rows_loaded"] == 1
    assert values[("AF-KAB", "2022-02")] == (9.0, "A")
    assert values[("AF-KAB", "2022-01")] == (12.0, "A")
    con = duckdb.connect(str(home / "warehouse" / "build.duckdb"), read_only=True)
    history = con.execute(
        "select value, superseded_at is null from observations where geo_code = 'AF-KAB' "
        "and period_start = '2022-02-01' order by recorded_at"
    ).fetchall()
    con.close()
    assert history == [(7.0, False), (9.0, True)]


def test_bad_rows_are_quarantined_with_reasons_and_good_rows_served(flow):
    home, steps = flow
    code, [summary], values = steps["bad"]
    assert code == 0  # the file was read; bad rows are not a failure of the file
    assert (summary["rows_in"], summary["rows_loaded"], summary["rows_quarantined"]) == (3, 1, 2)
    assert values[("AF-KAB", "2022-03")] == (15.0, "A")
    assert ("AF-KAB", "2022-04") not in values
    con = duckdb.connect(str(home / "warehouse" / "build.duckdb"), read_only=True)
    reasons = dict(con.execute("select line, reasons from quarantine order by line").fetchall())
    con.close()
    assert any("[value.number]" in r for r in reasons[3])
    assert any("[geo.known]" in r for r in reasons[4])


def test_unreadable_file_fails_with_a_clear_message(tmp_path):
    binary = tmp_path / "photo.csv"
    binary.write_bytes(b"\x00\x01\x02 not text")
    code, [summary] = ingest_json(tmp_path / "wppi", binary)
    assert code != 0
    assert "photo.csv" in summary["error"] and "binary" in summary["error"]
    missing = wppi(tmp_path / "wppi", "ingest", str(tmp_path / "absent.csv"))
    assert missing.returncode != 0 and "no such file" in missing.stdout + missing.stderr


def test_cli_runs_are_recorded_in_the_dagster_instance(flow):
    home, _ = flow
    runs = home / "dagster" / "history" / "runs.db"
    assert runs.is_file(), "CLI runs must land in DAGSTER_HOME so the UI shows them"


def test_no_file_under_home_keeps_a_raw_value_but_the_submission_and_warehouse(flow):
    """The CLI run's Dagster instance (event log, run storage) and step outputs included."""
    home, _ = flow
    landed = home / "landing" / "partner" / "bad.csv"
    holders = {p for p in home.rglob("*") if p.is_file() and b"AF-NOWHERE" in p.read_bytes()}
    assert landed in holders  # the search can find the value
    assert holders <= {landed, home / "warehouse" / "build.duckdb"}
