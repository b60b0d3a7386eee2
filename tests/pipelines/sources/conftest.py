"""Real published files, read from the project: the bundle WPPI ships
(pipelines/real_data/) and attributed excerpts of sources it may not redistribute
(tests/fixtures/real/). Both are ingested once through `wppi run --input`."""

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

from tests.conftest import built_once
from warehouse.snapshots import current_snapshot

PROJECT = Path(__file__).resolve().parents[3]
BUNDLE = PROJECT / "pipelines" / "real_data"
EXCERPTS = PROJECT / "tests" / "fixtures" / "real"
WPPI = Path(sys.executable).with_name("wppi")


def real_file(relative: str) -> Path:
    """A real file by its `<source folder>/<name>`, from the bundle or the excerpts."""
    for folder in (BUNDLE, EXCERPTS):
        if (folder / relative).is_file():
            return folder / relative
    raise FileNotFoundError(f"{relative} is in neither {BUNDLE} nor {EXCERPTS}")


def real_folder(name: str) -> Path:
    return next(folder / name for folder in (BUNDLE, EXCERPTS) if (folder / name).is_dir())


def real_data_files() -> list[Path]:
    """Every real data file the tests have (documentation files left out)."""
    return sorted(
        path
        for folder in (BUNDLE, EXCERPTS)
        for path in folder.rglob("*")
        if path.is_file() and path.suffix.lower() not in (".md", ".txt", ".pdf")
    )


def real_rows(relative: str, delimiter: str = ",", encoding: str = "utf-8-sig") -> list[dict]:
    """A real file read independently of the adapters, as dicts by header name."""
    text = real_file(relative).read_text(encoding=encoding)
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


def _run_real(folder: Path) -> None:
    """`wppi run --input EXCERPTS --json` into folder/wppi; its output kept in folder/run.out."""
    env = {**os.environ, "WPPI_HOME": str(folder / "wppi")}
    env.pop("DAGSTER_HOME", None)
    done = subprocess.run(
        [str(WPPI), "run", "--input", str(EXCERPTS), "--json"],
        env=env, capture_output=True, text=True, timeout=900, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    (folder / "run.out").write_text(done.stdout, encoding="utf-8")


@pytest.fixture(scope="session")
def real_run(tmp_path_factory, worker_id) -> RealRun:
    """`wppi run` as a user runs it (the shipped bundle, no demo data) plus the excerpts;
    run once for all xdist workers (tests only read it)."""
    folder = built_once(tmp_path_factory, worker_id, "real", _run_real)
    output = (folder / "run.out").read_text(encoding="utf-8")
    lines = [orjson.loads(line) for line in output.splitlines() if line.startswith("{")]
    return RealRun(folder / "wppi", lines)
