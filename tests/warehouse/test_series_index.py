"""Row ranges recorded at publish bound series scans without changing any answer."""

from dataclasses import replace
from datetime import date, datetime, timedelta
from itertools import combinations

import duckdb
import pytest

from warehouse.queries import ObservationFilter, fetch_observations, fetch_series
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


def test_the_series_query_returns_what_the_observations_query_returns(snapshot):
    """queries/series is a leaner twin of queries/observations for one indicator: same rows,
    same order, for every filter the series route and the chart page can send."""
    index = load_series_index(snapshot)
    recorded = snapshot.execute("select min(recorded_at) from observations").fetchone()[0]
    before = recorded - timedelta(microseconds=1)
    answered = 0
    for base in filters(snapshot):
        if len(base.indicators) != 1:
            continue
        shapes = [base]
        if base.geos is None:  # whole indicators (every place, sex and age) in both views
            shapes += [
                replace(base, start=date(2021, 1, 1), end=date(2022, 12, 31)),
                replace(base, sex="F", age_group="_T"),
                replace(base, as_of=recorded),
                replace(base, as_of=before),
                replace(base, updated_after=before),
                replace(base, updated_after=recorded),
            ]
        for where in shapes:
            bound = index.rows(where)
            rows = fetch_series(snapshot, where, bound)
            assert rows == fetch_observations(snapshot, where, rows=bound)
            answered += bool(rows)
    assert answered > 100  # most shapes have rows: the comparison is not of empty lists


def test_the_series_query_reads_versions_as_the_observations_query_does():
    """Superseded versions (the sample has none): as_of and updated_after in both views."""
    con = duckdb.connect()
    for table in ("observations", "public_observations"):
        con.execute(f"""
            create table {table} as
            select code as indicator_code, geo as geo_code, '_T' as sex, '_T' as age_group,
                make_date(2022, month, 1) as period_start,
                last_day(make_date(2022, month, 1)) as period_end, 'M' as frequency,
                month * version as value, null::double as lower, null::double as upper,
                'A' as obs_status, 'src' as source_id, 'survey' as source_type,
                'verified' as verification, make_timestamp(2023, version * 3, 1, 0, 0, 0)
                    as recorded_at,
                if(version < 3, make_timestamp(2023, version * 3 + 3, 1, 0, 0, 0), null)
                    as superseded_at
            from unnest(['a.x', 'a.y']) as c(code), unnest(['AFG', 'AF-KAB']) as g(geo),
                range(1, 4) as m(month), range(1, 4) as v(version)
            where version <= month
            order by all
        """)  # noqa: S608 - fixed table names
    answered = 0
    for unsuppressed in (False, True):
        for instant in (None, *(datetime(2023, m, 1) for m in (1, 3, 5, 6, 9, 12))):
            for where in (
                ObservationFilter(["a.x"], unsuppressed=unsuppressed, as_of=instant),
                ObservationFilter(["a.y"], ["AFG"], unsuppressed=unsuppressed,
                                  updated_after=instant),
            ):  # fmt: skip
                rows = fetch_series(con, where, None)
                assert rows == fetch_observations(con, where)
                answered += bool(rows)
    assert answered > 20


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
