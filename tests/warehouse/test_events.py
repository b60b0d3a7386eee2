"""Loading policy events and point notes: idempotent, and a revision closes the old version."""

from datetime import date, datetime

import pyarrow as pa
import pytest

from tests.warehouse.test_load import observations
from warehouse.catalog import load_catalog
from warehouse.connect import open_build
from warehouse.events import EVENT_SCHEMA, NOTE_SCHEMA, fetch_point_notes, load_events, load_notes
from warehouse.load import Batch, load_batches


def event(summary="Women may not travel far without a guardian.", effective="2021-12-26"):
    row = {"id": "mahram_road", "date_announced": "2021-12-26", "date_effective": None,
           "effective_on": date.fromisoformat(effective), "issuer": "Virtue ministry",
           "domain": "movement", "scope": "AFG", "summary": summary,
           "citation_url": "https://example.org/a", "citation_publisher": "Wire copy",
           "citation_title": "Guardian rule", "citation_date": "2021-12-26",
           "evidence": "women seeking to travel", "source_id": "policy_tracker"}  # fmt: skip
    return pa.Table.from_pylist([row], schema=EVENT_SCHEMA)


def note(basis):
    row = {"indicator_code": "movement.restriction_level", "geo_code": "AF-HER",
           "period_start": date(2022, 6, 1), "frequency": "M", "sex": "_T", "age_group": "_T",
           "source_id": "policy_tracker", "basis": basis, "citation_url": None,
           "citation_publisher": None, "citation_title": None, "citation_date": None,
           "evidence": None}  # fmt: skip
    return pa.Table.from_pylist([row], schema=NOTE_SCHEMA)


@pytest.fixture
def con(tmp_path):
    con = open_build(tmp_path / "build.duckdb")
    yield con
    con.close()


def test_loading_the_same_events_again_changes_nothing(con):
    assert load_events(con, event(), "run1", datetime(2026, 1, 1)) == (1, 0)
    assert load_events(con, event(), "run2", datetime(2026, 1, 2)) == (0, 0)
    assert con.execute("select count(*), max(run_id) from policy_events").fetchone() == (1, "run1")


def test_a_revised_event_closes_the_old_version_and_inserts_the_new(con):
    load_events(con, event(), "run1", datetime(2026, 1, 1))
    revised = event(summary="Revised wording.", effective="2021-12-25")
    assert load_events(con, revised, "run2", datetime(2026, 1, 2)) == (0, 1)
    rows = con.execute(
        "select summary, effective_on, superseded_at from policy_events order by recorded_at"
    ).fetchall()
    assert rows == [
        ("Women may not travel far without a guardian.", date(2021, 12, 26), datetime(2026, 1, 2)),
        ("Revised wording.", date(2021, 12, 25), None),
    ]


def test_a_point_keeps_one_note_the_latest(con):
    load_notes(con, note(["mahram_road"]), datetime(2026, 1, 1))
    load_notes(con, note(["mahram_road", "flights"]), datetime(2026, 1, 2))
    notes = fetch_point_notes(con, "movement.restriction_level", ["AF-HER"], None, None)
    assert list(notes.values()) == [(["mahram_road", "flights"], None, None, None, None, None)]
    assert fetch_point_notes(con, "movement.restriction_level", ["AF-KAB"], None, None) == {}


def test_a_reissued_source_closes_what_its_new_edition_no_longer_states(con):
    def edition(*values):
        table = observations(*values, geo="AFG")
        return Batch("tracker", "f.csv", None, table.num_rows, table, replaces=("partner.ngo",))

    load_batches(con, "run1", [edition(10, 20, 30)], load_catalog())
    # The new edition changes no row it keeps, so only the closing marks tables to protect.
    load_batches(con, "run2", [edition(10)], load_catalog())
    for table in ("observations", "public_cells"):
        rows = con.execute(
            f"select month(period_start), value from {table} where superseded_at is null order by 1"
        ).fetchall()
        assert rows == [(1, 10)], table
