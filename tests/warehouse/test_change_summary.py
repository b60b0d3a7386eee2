"""Counting what changed: added, revised and withdrawn per indicator and source, per stretch
between snapshot times, on a hand-made public table."""

from datetime import datetime

import duckdb
import pytest

from warehouse.queries import fetch_change_summary

T = [datetime(2026, 1, day) for day in range(1, 8)]


@pytest.fixture
def cursor():
    con = duckdb.connect()
    con.execute("""create table public_observations (indicator_code varchar, geo_code varchar,
        sex varchar, age_group varchar, period_start date, frequency varchar, source_id varchar,
        recorded_at timestamp, superseded_at timestamp)""")
    rows = [  # key, source, recorded, superseded
        ("a.x", "AF-KAB", "s1", T[0], T[2]),  # added on day 1, revised on day 3
        ("a.x", "AF-KAB", "s1", T[2], None),
        ("a.x", "AF-HER", "s1", T[1], T[4]),  # added on day 2, withdrawn on day 5
        ("a.x", "AF-HER", "s2", T[3], None),  # another source's key: added on day 4
        ("b.y", "AFG", "s1", T[5], None),  # added on day 6
    ]
    con.executemany(
        "insert into public_observations values (?, ?, '_T', '_T', '2025-01-01', 'M', ?, ?, ?)",
        rows,
    )
    yield con
    con.close()


def counts(found):
    return {(r["stretch"], r["indicator_code"], r["source_id"]):
            (r["added"], r["revised"], r["withdrawn"]) for r in found}  # fmt: skip


def test_everything_since_the_beginning_in_one_stretch(cursor):
    assert counts(fetch_change_summary(cursor, None)) == {
        (0, "a.x", "s1"): (2, 1, 1),
        (0, "a.x", "s2"): (1, 0, 0),
        (0, "b.y", "s1"): (1, 0, 0),
    }


def test_since_counts_only_what_happened_later(cursor):
    assert counts(fetch_change_summary(cursor, T[2])) == {
        (0, "a.x", "s1"): (0, 0, 1),
        (0, "a.x", "s2"): (1, 0, 0),
        (0, "b.y", "s1"): (1, 0, 0),
    }
    assert counts(fetch_change_summary(cursor, T[2], indicators=["b.y"])) == {
        (0, "b.y", "s1"): (1, 0, 0)
    }


def test_stretches_between_snapshot_times(cursor):
    found = counts(fetch_change_summary(cursor, None, bounds=[T[1], T[3]]))
    assert found == {
        (0, "a.x", "s1"): (2, 0, 0),  # up to day 2
        (1, "a.x", "s1"): (0, 1, 0),
        (1, "a.x", "s2"): (1, 0, 0),  # day 3 and 4
        (2, "a.x", "s1"): (0, 0, 1),
        (2, "b.y", "s1"): (1, 0, 0),  # after day 4
    }
