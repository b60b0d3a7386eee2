"""`wppi backfill` runs a source again for chosen files or landing dates, through the same
run config the Dagster UI's launchpad takes; repeating it changes nothing (issue 19)."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import orjson

from pipelines.cli.backfill import run_config
from tests.pipelines.sources.conftest import real_file
from tests.pipelines.test_quarantine_policy import _uis
from warehouse.personal_data import file_label
from warehouse.snapshots import current_snapshot

WPPI = Path(sys.executable).with_name("wppi")
FH = real_file("freedom_house_fiw/freedom-world_afg_extract.csv")


def _landed(folder: Path, name: str, data: bytes, day: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(data)
    when = datetime.fromisoformat(f"{day}T12:00:00+00:00").timestamp()
    os.utime(path, (when, when))
    return path


def _backfill(home: Path, *args: str) -> tuple[int, list[dict]]:
    env = {**os.environ, "WPPI_HOME": str(home), "DAGSTER_HOME": str(home / "dagster")}
    done = subprocess.run([str(WPPI), "backfill", *args, "--json"], env=env,
                          capture_output=True, text=True, timeout=600, check=False)  # fmt: skip
    assert done.returncode in (0, 1), done.stderr[-3000:]
    return done.returncode, [orjson.loads(line) for line in done.stdout.splitlines()]


def _state(home: Path) -> tuple:
    con = duckdb.connect(str(home / "warehouse" / "build.duckdb"), read_only=True)
    try:
        return con.execute(
            "select (select count(*) from observations), (select count(*) from batches),"
            " (select list(file_sha256 order by file_sha256) from batches)"
        ).fetchone()
    finally:
        con.close()


def test_the_cli_and_the_launchpad_take_the_same_run_config():
    config = run_config("freedom_house", ["a.csv"], "2026-01-01", None)
    assert config == {"ops": {"raw_freedom_house": {"config": {
        "files": [file_label("a.csv")], "landed_from": "2026-01-01"}}}}  # fmt: skip


def test_backfill_by_landing_date_and_by_file_gives_the_first_runs_result_again(tmp_path):
    home = tmp_path / "wppi"
    january = _landed(home / "landing" / "freedom_house", "fiw.csv", FH.read_bytes(), "2026-01-10")
    february = _landed(home / "landing" / "freedom_house", "fiw_crlf.csv",
                       FH.read_bytes().replace(b"\n", b"\r\n"), "2026-02-15")  # fmt: skip
    today = datetime.now(UTC).date().isoformat()
    _landed(home / "landing" / "unesco_uis", "uis.csv", _uis(["1", "x", "y"]).encode(), today)

    code, lines = _backfill(home, "freedom_house", "--from", "2026-01-01", "--until", "2026-01-31")
    assert code == 0 and [(x["file"], x["rows_loaded"]) for x in lines] == [(january.name, 36)]
    first, snapshot = _state(home), current_snapshot(home / "snapshots")
    assert first[0] == 36 and first[1] == 1  # February's file was not taken

    code, lines = _backfill(home, "freedom_house", "--from", "2026-01-01", "--until", "2026-01-31")
    assert code == 0 and "nothing to ingest again" in lines[0]["note"]
    assert _state(home) == first and current_snapshot(home / "snapshots") == snapshot
    code, lines = _backfill(home, "freedom_house", "--file", january.name)
    assert code == 0 and lines[0]["note"] == "content already loaded; nothing changed"
    assert _state(home) == first

    # A file held back by its source's policy is tried again when named: held back again,
    # every time, and nothing published changes.
    for _ in range(2):
        code, lines = _backfill(home, "unesco_uis", "--file", "uis.csv")
        assert code == 1 and lines[0]["file"] == "uis.csv"
        assert "held back whole" in lines[0]["error"] and lines[0]["rows_loaded"] == 0
        assert current_snapshot(home / "snapshots") == snapshot
    assert _state(home)[0] == 36
    assert february.is_file()
