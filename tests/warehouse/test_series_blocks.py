"""The series blocks file answers exactly as SQL does, and is published, verified and pruned
with its snapshot."""

from datetime import date, datetime
from itertools import combinations

import duckdb
import pytest

from tests.warehouse.test_snapshots import cell, load
from warehouse.connect import open_build
from warehouse.queries import ObservationFilter, fetch_observations
from warehouse.series_blocks import SUFFIX, SeriesBlocks
from warehouse.series_index import load_series_index
from warehouse.snapshots import current_snapshot, list_snapshots, publish, verify_snapshot


@pytest.fixture(scope="module")
def snapshot(sample_home):
    snap = current_snapshot(sample_home / "snapshots")
    con = duckdb.connect(str(snap.path), read_only=True)
    blocks = SeriesBlocks(snap.sidecar(SUFFIX), load_series_index(con))
    yield con, blocks
    blocks.close()
    con.close()


def filters(con):
    """Each indicator alone, by place, by pairs of places, by sex and age group, with
    periods, a source, as_of instants and updated_after: every shape a series asks."""
    pairs = con.execute(
        "select indicator_code, list(distinct geo_code order by geo_code),"
        " min(recorded_at), max(recorded_at), min(source_id)"
        " from public_observations group by all order by all"
    ).fetchall()
    for code, geos, first, last, source in pairs:
        yield ObservationFilter([code])
        for geo in geos:
            yield ObservationFilter([code], [geo])
            yield ObservationFilter([code], [geo], sex="F", age_group="_T")
            yield ObservationFilter([code], [geo], start=date(2022, 2, 1), end=date(2022, 6, 30))
        for two in combinations(geos[:4], 2):
            yield ObservationFilter([code], list(reversed(two)), sex="_T")
        yield ObservationFilter([code], source=source)
        yield ObservationFilter([code], source="no.such_source")
        for moment in (first, last, datetime(2000, 1, 1), datetime(2100, 1, 1)):
            yield ObservationFilter([code], as_of=moment)
            yield ObservationFilter([code], updated_after=moment)
    codes = [code for code, *_ in pairs[:2]]
    yield ObservationFilter(codes, ["AF-KAB", "AFG"])
    yield ObservationFilter(["no.such_indicator"])


def test_blocks_give_exactly_the_rows_sql_gives(snapshot):
    con, blocks = snapshot
    answered = 0
    for where in filters(con):
        rows = blocks.rows(where)
        assert rows is not None, where
        assert rows == fetch_observations(con, where), where
        answered += bool(rows)
    assert answered > 10  # not only empty answers


def test_what_only_sql_answers_is_left_to_it(snapshot):
    con, blocks = snapshot
    code = con.execute("select min(indicator_code) from public_observations").fetchone()[0]
    for where in (ObservationFilter([code], unsuppressed=True), ObservationFilter([code], latest=2),
                  ObservationFilter(None, ["AFG"])):  # fmt: skip
        assert blocks.rows(where) is None


@pytest.fixture
def build(tmp_path):
    con = open_build(tmp_path / "build.duckdb")
    yield con
    con.close()


def test_publish_records_verifies_and_prunes_the_blocks_file(build, tmp_path):
    folder = tmp_path / "snaps"
    load(build, [cell("AF-KAB", 50), cell("AFG", 900)])
    first = publish(build, folder, retention=1).snapshot
    blocks = first.sidecar(SUFFIX)
    assert blocks.is_file()
    verify_snapshot(first)
    blocks.write_bytes(blocks.read_bytes()[:-10])
    with pytest.raises(ValueError, match="series.arrow does not hash"):
        verify_snapshot(first)
    load(build, [cell("AF-KAB", 51)], run="run2")
    second = publish(build, folder, retention=1).snapshot
    assert [s.id for s in list_snapshots(folder)] == [second.id]
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        ["CURRENT", second.path.name, second.sidecar(SUFFIX).name]
    )


def test_a_failed_publish_leaves_no_blocks_file(build, tmp_path, monkeypatch):
    folder = tmp_path / "snaps"
    load(build, [cell("AF-KAB", 50), cell("AFG", 900)])
    before = publish(build, folder, retention=3).snapshot
    load(build, [cell("AF-KAB", 52)], run="run2")

    def fail(*args):
        raise OSError("disk full")

    monkeypatch.setattr("warehouse.snapshots.write_series_blocks", fail)
    with pytest.raises(OSError, match="disk full"):
        publish(build, folder, retention=3)
    assert current_snapshot(folder) == before
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        ["CURRENT", before.path.name, before.sidecar(SUFFIX).name]
    )


def test_rows_of_two_frequencies_in_one_period_come_in_sql_order(build, tmp_path):
    """A quarter and its first month start on one day; SORT_KEY orders them by frequency
    before source, storage order does not."""
    quarter = {**cell("AFG", 90, month=1), "frequency": "Q", "period_end": date(2022, 3, 31),
               "source_id": "partner.ngo"}  # fmt: skip
    months = [{**cell("AFG", 30 + m, month=m), "source_id": "partner.ngo"} for m in (1, 2, 3)]
    load(build, [quarter, *months])
    snap = publish(build, tmp_path / "snaps", retention=1).snapshot
    con = duckdb.connect(str(snap.path), read_only=True)
    blocks = SeriesBlocks(snap.sidecar(SUFFIX), load_series_index(con))
    try:
        code = "business.women_led_closures"
        for where in (ObservationFilter([code]), ObservationFilter([code], ["AFG"], sex="_T")):
            rows = blocks.rows(where)
            assert len(rows) == 4 and rows == fetch_observations(con, where)
            assert [r[6] for r in rows[:2]] == ["M", "Q"]  # frequency, within 2022-01-01
    finally:
        blocks.close()
        con.close()
