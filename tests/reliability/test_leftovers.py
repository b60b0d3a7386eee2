"""A failed publish leaves no temporary files; a period before the catalog's earliest year is
quarantined (issue 20)."""

from __future__ import annotations

import duckdb
import pytest

import warehouse.snapshots as snapshots
from tests.conftest import land, row, run_partner
from warehouse.connect import open_build
from warehouse.snapshots import current_snapshot, publish


def test_a_failed_publish_removes_every_file_it_made(home, monkeypatch):
    land(home, "base.csv", [row()])
    assert run_partner(home).success
    folder = home / "snapshots"
    before = sorted(p.name for p in folder.iterdir())
    real_sql = snapshots.sql

    def failing(name: str) -> str:
        if name != "queries/publish_snapshot":
            return real_sql(name)
        # Write into the new file (so it and its WAL exist), then fail like a full disk.
        return ("create table snap.filler as select range as n from range(200000);"
                " select error('No space left on device')")  # fmt: skip

    monkeypatch.setattr(snapshots, "sql", failing)
    con = open_build(home / "warehouse" / "build.duckdb")
    try:
        with pytest.raises(duckdb.Error, match="No space left"):
            publish(con, folder, retention=5)
    finally:
        con.close()
    assert sorted(p.name for p in folder.iterdir()) == before
    assert current_snapshot(folder).path.is_file()


def test_a_period_before_the_earliest_year_is_quarantined(home):
    land(home, "old.csv", [row(period="0001-01"), row(period="1899-12"), row(period="1900-01")])
    assert run_partner(home).success
    con = duckdb.connect(str(home / "warehouse" / "build.duckdb"), read_only=True)
    try:
        lines = con.execute("select line, reasons from quarantine order by line").fetchall()
        [(loaded,)] = con.execute("select count(*) from observations").fetchall()
    finally:
        con.close()
    assert [line for line, _ in lines] == [2, 3] and loaded == 1
    assert all(any("period.not_before_earliest" in r for r in reasons) for _, reasons in lines)
