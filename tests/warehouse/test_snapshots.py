from datetime import date

import duckdb
import pyarrow as pa
import pytest

from warehouse.catalog import load_catalog
from warehouse.connect import open_build
from warehouse.load import Batch, load_batches
from warehouse.observation import CANONICAL_SCHEMA
from warehouse.snapshots import current_snapshot, list_snapshots, publish


def cell(geo, value, sex="_T", indicator="business.women_led_closures", month=1):
    return {"indicator_code": indicator, "geo_code": geo, "period_start": date(2022, month, 1),
            "period_end": date(2022, month, 28), "frequency": "M", "sex": sex, "age_group": "_T",
            "value": value, "lower": None, "upper": None, "obs_status": "A",
            "source_id": "partner.ngo", "source_type": "NGO",
            "verification": "verified"}  # fmt: skip


def load(con, rows, run="run1"):
    table = pa.Table.from_pylist(rows, schema=CANONICAL_SCHEMA)
    load_batches(con, run, [Batch("partner", run, run, len(rows), table)], load_catalog())


@pytest.fixture
def build(tmp_path):
    con = open_build(tmp_path / "build.duckdb")
    yield con
    con.close()


def public(snapshot):
    con = duckdb.connect(str(snapshot.path), read_only=True)
    try:
        rows = con.execute(
            "select geo_code, sex, value, obs_status from public_observations"
        ).fetchall()
        return {(geo, sex): (value, status) for geo, sex, value, status in rows}
    finally:
        con.close()


def test_publish_writes_a_sorted_snapshot_and_moves_current(build, tmp_path):
    load(build, [cell("AF-KAB", 50), cell("AF-BAL", 40), cell("AFG", 900)])
    result = publish(build, tmp_path / "snaps", retention=3)
    assert result.created and current_snapshot(tmp_path / "snaps") == result.snapshot
    con = duckdb.connect(str(result.snapshot.path), read_only=True)
    geos = [r[0] for r in con.execute("select geo_code from observations").fetchall()]
    tables = {
        r[0] for r in con.execute("select table_name from information_schema.tables").fetchall()
    }
    con.close()
    assert geos == sorted(geos)
    assert "quarantine" not in tables and "public_observations" in tables


def test_publishing_unchanged_data_keeps_the_current_snapshot(build, tmp_path):
    load(build, [cell("AF-KAB", 50)])
    first = publish(build, tmp_path / "snaps", retention=3)
    again = publish(build, tmp_path / "snaps", retention=3)
    assert not again.created and again.snapshot == first.snapshot
    load(build, [cell("AF-KAB", 51)], run="run2")
    assert publish(build, tmp_path / "snaps", retention=3).snapshot != first.snapshot


def test_retention_prunes_old_snapshots_but_never_current(build, tmp_path):
    folder = tmp_path / "snaps"
    for value in range(10, 14):
        load(build, [cell("AF-KAB", value)], run=f"run{value}")
        last = publish(build, folder, retention=2)
    ids = [s.id for s in list_snapshots(folder)]
    assert len(ids) == 2 and ids[-1] == last.snapshot.id


def test_small_province_counts_are_suppressed_but_not_zero_or_national(build, tmp_path):
    load(build, [cell("AF-KAB", 3), cell("AF-BAL", 0), cell("AF-HER", 40), cell("AF-KAN", 30),
                 cell("AFG", 4)])  # fmt: skip
    cells = public(publish(build, tmp_path / "snaps", retention=2).snapshot)
    assert cells[("AF-KAB", "_T")] == (None, "S")
    assert cells[("AF-BAL", "_T")] == (0.0, "A")  # a true zero reveals nobody...
    assert cells[("AF-KAN", "_T")] == (None, "S")  # ...nor hides anybody as a partner
    assert cells[("AFG", "_T")] == (4.0, "A")  # national level is not suppressed


def test_a_lone_suppressed_province_gets_a_complementary_partner(build, tmp_path):
    # National 75 - (40 + 30) would give Kabul's 3 back unless another province is hidden.
    load(build, [cell("AF-KAB", 3), cell("AF-HER", 40), cell("AF-KAN", 30), cell("AFG", 73)])
    cells = public(publish(build, tmp_path / "snaps", retention=2).snapshot)
    assert cells[("AF-KAB", "_T")][1] == "S"
    assert cells[("AF-KAN", "_T")] == (None, "S")  # the smallest other province
    assert cells[("AF-HER", "_T")] == (40.0, "A")


def test_a_lone_suppressed_sex_gets_a_complementary_partner(build, tmp_path):
    rows = [cell("AF-KAB", 30, "_T"), cell("AF-KAB", 2, "F"), cell("AF-KAB", 28, "M"),
            cell("AF-HER", 9, "_T"), cell("AF-HER", 6, "F"), cell("AF-HER", 3, "M")]  # fmt: skip
    load(build, rows)
    cells = public(publish(build, tmp_path / "snaps", retention=2).snapshot)
    assert cells[("AF-KAB", "F")][1] == "S"
    assert cells[("AF-KAB", "M")][1] == "S"  # else total - male = female
    assert cells[("AF-HER", "M")][1] == "S"
    assert cells[("AF-HER", "F")][1] == "S"
    # No group is left with exactly one suppressed cell.
    for geo in ("AF-KAB", "AF-HER"):
        hidden = [sex for sex in ("_T", "F", "M") if cells[(geo, sex)][1] == "S"]
        assert len(hidden) != 1


def test_restricted_indicators_never_reach_public_output(build, tmp_path):
    load(build, [cell("AF-KAB", 12, indicator="civic.reprisals_whrd")])
    snapshot = publish(build, tmp_path / "snaps", retention=2).snapshot
    assert public(snapshot) == {}
