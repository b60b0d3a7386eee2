"""The real published files in ../shared/data/real, ingested once through `wppi run --input`."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import orjson
import pytest

from warehouse.snapshots import current_snapshot

REAL = Path(__file__).resolve().parents[3] / ".." / "shared" / "data" / "real"
WPPI = Path(sys.executable).with_name("wppi")

needs_real = pytest.mark.skipif(not REAL.is_dir(), reason="../shared/data is absent")


def real_rows(relative: str, delimiter: str = ",", encoding: str = "utf-8-sig") -> list[dict]:
    """A real file read independently of the adapters, as dicts by header name."""
    text = (REAL / relative).read_text(encoding=encoding)
    return list(csv.DictReader(io.StringIO(text), delimiter=delimiter))


class RealRun:
    def __init__(self, home: Path, lines: list[dict]):
        self.home = home
        self.files = {Path(line["file"]).name: line for line in lines if "file" in line}
        self.sources = {line["source"]: line for line in lines if "source" in line}

    def query(self, sql: str, params=None) -> list[tuple]:
        con = duckdb.connect(str(current_snapshot(self.home / "snapshots").path), read_only=True)
        try:
            return con.execute(sql, params or []).fetchall()
        finally:
            con.close()

    def query_build(self, sql: str, params=None) -> list[tuple]:
        con = duckdb.connect(str(self.home / "warehouse" / "build.duckdb"), read_only=True)
        try:
            return con.execute(sql, params or []).fetchall()
        finally:
            con.close()

    def value(self, indicator: str, geo: str, period: str, sex: str = "_T", source=None):
        """The published value of one observation (period as its first day, e.g. 2021-01-01)."""
        rows = self.query(
            "select value from observations where indicator_code = ? and geo_code = ? "
            "and period_start = ?::date and sex = ? and (? is null or source_id = ?)",
            [indicator, geo, period, sex, source, source],
        )
        assert len(rows) == 1, (indicator, geo, period, sex, rows)
        return rows[0][0]


@pytest.fixture(scope="session")
def real_run(tmp_path_factory) -> RealRun:
    if not REAL.is_dir():
        pytest.skip("../shared/data is absent")
    home = tmp_path_factory.mktemp("real") / "wppi"
    env = {**os.environ, "WPPI_HOME": str(home)}
    env.pop("DAGSTER_HOME", None)
    done = subprocess.run(
        [str(WPPI), "run", "--input", str(REAL), "--json"],
        env=env, capture_output=True, text=True, timeout=900, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    lines = [orjson.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    return RealRun(home, lines)
