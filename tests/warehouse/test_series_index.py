"""Row ranges recorded at publish bound series scans without changing any answer."""

from datetime import datetime
from itertools import combinations

import duckdb
import pytest

from warehouse.queries import ObservationFilter, fetch_observations
from warehouse.series_index import SeriesIndex, load_series_index
from warehouse.snapshots import current_snapshot


@pytest.fixture(scope="module")
def snapshot(sample_home):
    con = duckdb.connect(str(current_snapshot(sample_home / "snapshots").path), read_only=True)
    yield con
    con.close()


def filters(con):
    """Every indicator alone, with each place, with pairs of places, in both views, and an
    as_of slice: the shapes series, observations and the chart page ask for."""
    pairs = con.execute(
        "select indicator_code, list(distinct geo_code order by geo_code) from observations"
        " group by all order by all"
    ).fetchall()
    for unsuppressed in (False, True):
        for code, geos in pairs:
            yield ObservationFilter([code], None, unsuppressed=unsuppressed)
            for geo in geos:
                yield ObservationFilter([code], [geo], sex="_T", unsuppressed=unsuppressed)
            for two in combinations(geos[:4], 2):
                yield ObservationFilter([code], list(two), unsuppressed=unsuppressed)
        codes = [code for code, _ in pairs[:2]]
        yield ObservationFilter(codes, ["AF-KAB", "AFG"], unsuppressed=unsuppressed)
        yield ObservationFilter(codes, as_of=datetime(2030, 1, 1), unsuppressed=unsuppressed)
        yield ObservationFilter(["no.such_indicator"], unsuppressed=unsuppressed)


def test_bounded_scans_return_exactly_the_unbounded_rows(snapshot):
    index = load_series_index(snapshot)
    total = snapshot.execute("select count(*) from public_observations").fetchone()[0]
    narrowed = 0
    for where in filters(snapshot):
        bound = index.rows(where)
        assert bound is not None
        assert fetch_observations(snapshot, where, rows=bound) == fetch_observations(
            snapshot, where
        )
        narrowed += bound[1] - bound[0] + 1 < total
    assert narrowed > 0  # the ranges do narrow the scan, not just span the table


def test_each_block_is_contiguous_in_storage_order(snapshot):
    """Publish writes the tables sorted by series key, so each range holds only its block."""
    for table, view in (("public_observations", "public"), ("observations", "unsuppressed")):
        blocks = snapshot.execute(
            f"select indicator_code, geo_code, count(*) from {table} group by all"  # noqa: S608
        ).fetchall()
        index = load_series_index(snapshot).blocks
        for code, geo, count in blocks:
            first, last = index[(view, code)][geo]
            assert last - first + 1 == count


def test_a_snapshot_without_the_index_is_scanned_whole():
    con = duckdb.connect()  # no series_rows table, as in snapshots published before it
    index = load_series_index(con)
    assert index == SeriesIndex()
    assert index.rows(ObservationFilter(["business.women_led_closures"])) is None
    assert load_series_index(con).rows(ObservationFilter()) is None
