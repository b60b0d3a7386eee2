"""latest=N: the N most recent periods with a value per series, cut alike in SQL (pages of
observations) and in memory (series, after aggregation)."""

from dataclasses import replace

import duckdb
import pytest

from warehouse.latest import latest_rows
from warehouse.queries import ObservationFilter, fetch_observations
from warehouse.snapshots import current_snapshot

CLOSURES = "business.women_led_closures"


@pytest.fixture(scope="module")
def cursor(sample_home):
    with duckdb.connect(
        str(current_snapshot(sample_home / "snapshots").path), read_only=True
    ) as con:
        yield con.cursor()


@pytest.mark.parametrize("n", [1, 2, 5])
def test_sql_and_memory_keep_the_same_rows(cursor, n):
    where = ObservationFilter(indicators=[CLOSURES])
    everything = fetch_observations(cursor, where)
    in_sql = fetch_observations(cursor, replace(where, latest=n))
    assert in_sql == latest_rows(everything, n)
    series = {r[:4] for r in everything}
    assert len({r[:4] for r in in_sql}) == len(series)  # every series with a value shows
    assert all(r[7] is not None for r in in_sql)


def test_suppressed_points_are_skipped_not_served(cursor):
    where = ObservationFilter(indicators=[CLOSURES], geos=["AF-BAM"])
    rows = fetch_observations(cursor, where)
    last = max(r[4] for r in rows if r[7] is not None)
    assert any(r[7] is None and r[10] == "S" for r in rows), "AF-BAM has suppressed months"
    [newest] = {r[4] for r in fetch_observations(cursor, replace(where, latest=1))}
    assert newest == last


def test_pages_cut_by_a_cursor_keep_the_ranks(cursor):
    where = ObservationFilter(indicators=[CLOSURES], latest=3)
    whole = fetch_observations(cursor, where)
    first = fetch_observations(cursor, where, limit=4)
    key = first[-1]
    after = (key[0], key[1], key[2], key[3], key[4], key[6], key[11], key[14])
    rest = fetch_observations(cursor, where, after=after)
    assert first + rest == whole
