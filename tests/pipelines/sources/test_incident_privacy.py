"""Incident sources leave no name, coordinate or free text anywhere WPPI stores data."""

from __future__ import annotations

import json

import duckdb
import pytest

from pipelines.sources.cpj import read_cpj_file
from pipelines.sources.insecurity_insight import (
    conform_insecurity_insight,
    read_insecurity_insight_file,
)
from tests.pipelines.sources.conftest import BUNDLE, real_file, real_folder, real_rows
from warehouse.catalog import load_catalog
from warehouse.snapshots import current_snapshot

TRACKER = BUNDLE / "afghanistan_policy_tracker"
INSECURITY = sorted(real_folder("insecurity_insight").glob("*.csv"))
PERSONAL_II = ("Event Description", "Reported Perpetrator Name", "Latitude", "Longitude",
               "Camp Name", "SiND Event ID", "SIND Event ID", "SiND ID")  # fmt: skip
PERSONAL_CPJ = ("journalist/media worker_name", "organization", "city", "cpj.org_url",
                "ambiguous_entry_date")  # fmt: skip


def _dump(path) -> str:
    """Every value of every table in a DuckDB file, as one text."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        tables = [t for (t,) in con.execute(
            "select table_name from information_schema.tables where table_type = 'BASE TABLE'"
        ).fetchall()]  # fmt: skip
        return "\n".join(str(con.execute(f'select * from "{t}"').fetchall()) for t in tables)
    finally:
        con.close()


def _source_values() -> set[str]:
    """Names, coordinates and free text the source files hold (long enough to be telling)."""
    values = set()
    for path in INSECURITY:
        for row in real_rows(f"insecurity_insight/{path.name}"):
            values |= {row[c] for c in PERSONAL_II if c in row}
    for row in real_rows("cpj_journalists_killed/cpj_killed_afg_pak_irn_extract.csv"):
        values |= {row[c] for c in PERSONAL_CPJ}
    # Short coordinates ("34.5") and placeholders also occur as ordinary figures or words.
    return {v for v in values if len(v) >= 6 and v not in ("None", "No Information")}


@pytest.fixture(scope="module")
def stored(real_run) -> str:
    snapshot = current_snapshot(real_run.home / "snapshots").path
    return _dump(real_run.home / "warehouse" / "build.duckdb") + _dump(snapshot)


def test_no_personal_value_reaches_the_warehouse_or_snapshot(stored):
    values = _source_values()
    assert len(values) > 50  # the test really looks for names and coordinates
    assert "Mina Khairi" in values and "69.09999999999999" in values
    # The policy tracker cites outlets, places and officials by name as public record (e.g.
    # "Reuters", "Kandahar", a minister); those words are its own, not incident values.
    cited = "".join(p.read_text(encoding="utf-8") for p in TRACKER.glob("*.csv"))
    leaked = sorted(v for v in values if v in stored and v not in cited)
    assert leaked == []


def test_quarantined_incidents_keep_only_mapped_fields(tmp_path):
    """An incident whose province is unknown is quarantined without its personal fields."""
    source = INSECURITY[0]
    text = source.read_text(encoding="utf-8")
    header, first, *rest = text.splitlines()
    path = tmp_path / source.name
    path.write_text("\n".join([header, first.replace(",Kandahar Province,", ",Atlantis,"),
                               *rest]), encoding="utf-8")  # fmt: skip
    batch = conform_insecurity_insight(read_insecurity_insight_file(path), load_catalog())
    quarantined = batch.raw.malformed.to_pylist()
    assert quarantined and all("place 'Atlantis'" in q["reasons"][0] for q in quarantined)
    for entry in quarantined:
        assert set(json.loads(entry["raw"])) == {"month", "Admin 1", "Country ISO", "indicator",
                                                 "sex", "count"}  # fmt: skip
        assert "31.6" not in entry["raw"] and "Islamic Emirate" not in entry["raw"]


def test_cpj_rows_without_a_date_quarantine_without_the_free_text(tmp_path):
    source = real_file("cpj_journalists_killed/cpj_killed_afg_pak_irn_extract.csv")
    header, first, *rest = source.read_text(encoding="utf-8").splitlines()
    path = tmp_path / source.name
    path.write_text("\n".join([header, first.replace("Killed,3/11/23,,", "Killed,,March 2023,"),
                               *rest]), encoding="utf-8")  # fmt: skip
    [entry] = read_cpj_file(path).malformed.to_pylist()
    assert json.loads(entry["raw"]) == {"year": None, "country": "Afghanistan", "gender": "Male"}
