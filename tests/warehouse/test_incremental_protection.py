"""Protection recomputed per touched table as runs load gives what a full recompute gives."""

import random
from dataclasses import replace
from datetime import date

import duckdb

from tests.warehouse.test_snapshots import build, cell, load  # noqa: F401 (fixture)
from warehouse.catalog import load_catalog
from warehouse.load import load_batches
from warehouse.protection import protect
from warehouse.snapshots import publish

OTHER = "business.women_led_closures"


def _public(con) -> list[tuple]:
    return con.execute("select * from public_cells order by all").fetchall()


def _full_recompute(con) -> list[tuple]:
    con.execute("delete from protection_inputs")
    protect(con)
    return _public(con)


def test_loads_protect_only_what_they_touch_and_match_a_full_recompute(build):  # noqa: F811
    load(build, [cell("AF-KAB", 3), cell("AF-HER", 40), cell("AF-KAN", 30), cell("AFG", 73)])
    first = _public(build)
    # Another month (same table: recomputed) and a revision of Herat's January figure.
    load(build, [cell("AF-KAB", 20, month=2), cell("AF-HER", 2, month=2),
                 cell("AF-HER", 41)], run="run2")  # fmt: skip
    incremental = _public(build)
    assert incremental != first
    assert ("AF-HER", 2, "S") in {(r[1], r[2].month, r[10]) for r in incremental}
    assert incremental == _full_recompute(build)


def test_a_new_table_leaves_the_others_alone(build):  # noqa: F811
    load(build, [cell("AF-KAB", 3), cell("AF-HER", 40), cell("AF-KAN", 30)])
    before = build.execute("select rowid from public_cells order by rowid").fetchall()
    dirty = build.execute(
        "select count(*) from observations anti join protected_batches using (batch_id)"
    ).fetchone()[0]
    assert dirty == 0  # the load protected its own rows
    rows_2023 = [
        row | {"period_start": date(2023, 3, 1), "period_end": date(2023, 3, 31)}
        for row in (cell("AF-KAB", 4), cell("AF-BAL", 50))
    ]
    load(build, rows_2023, run="run2")
    # The 2022 table's rows were not rewritten (same storage rows); the 2023 table was added.
    after = build.execute("select rowid from public_cells order by rowid").fetchall()
    assert after[: len(before)] == before and len(after) == len(before) + 2
    assert _public(build) == _full_recompute(build)


def _threshold(value: int):
    """The catalog with the test indicator's suppression threshold set to `value`."""
    catalog = load_catalog()
    changed = replace(catalog.indicators[OTHER], suppression_threshold=value)
    return replace(catalog, indicators={**catalog.indicators, OTHER: changed})


def test_a_changed_threshold_recomputes_every_table(build):  # noqa: F811
    load(build, [cell("AF-KAB", 6), cell("AF-HER", 40), cell("AF-KAN", 30)])
    assert "S" not in {r[10] for r in _public(build)}
    load_batches(build, "run2", [], _threshold(10))
    assert {r[1] for r in _public(build) if r[10] == "S"} >= {"AF-KAB"}


def test_another_source_reprotects_the_table_across_sources(build):  # noqa: F811
    # Kabul (3) from the NGO hides Balkh as its partner; then the UN reports Balkh's figure.
    # Balkh from one source and hidden in the other would give it back, so the UN load
    # re-protects the NGO's rows with it, as a full recompute does.
    load(build, [cell("AF-KAB", 3), cell("AF-BAL", 10), cell("AF-HER", 40), cell("AFG", 53)])
    un = {"source_id": "partner.un", "source_type": "UN"}
    load(build, [cell("AF-BAL", 10) | un, cell("AF-HER", 40) | un], run="run2")
    public = {(r[1], r[11]): r[10] for r in _public(build)}
    assert public[("AF-BAL", "partner.ngo")] == public[("AF-BAL", "partner.un")] == "S"
    assert _public(build) == _full_recompute(build)


def _cell(geo, value, start, frequency="M", sex="_T", source="partner.ngo"):
    """A count of the test indicator for any period (test_snapshots.cell is one 2022 month)."""
    ends = {"M": start.replace(day=28), "Q": start.replace(month=start.month + 2, day=28)}
    types = {"partner.ngo": "NGO", "partner.un": "UN"}
    return cell(geo, value, sex) | {
        "period_start": start, "period_end": ends[frequency], "frequency": frequency,
        "source_id": source, "source_type": types[source],
    }  # fmt: skip


def _rowids(con, starts) -> list[tuple]:
    return con.execute(
        "select rowid from public_cells where list_contains(?, period_start) order by rowid",
        [starts],
    ).fetchall()


def test_revisions_reprotect_only_their_periods_and_match_a_full_recompute(build):  # noqa: F811
    # Monthly tables (2022: each month its own unit) and a year with a quarter beside its
    # months (2023: the whole year is one unit, a quarter minus its months is a sum).
    rng = random.Random(17)
    places = ["AF-KAB", "AF-HER", "AF-BAL", "AF-KAN", "AF-BAM"]
    months_2022 = [date(2022, m, 1) for m in range(1, 5)]
    months_2023 = [date(2023, m, 1) for m in range(1, 4)]

    def figure():
        return rng.choice([1, 2, 3, 4, 0]) if rng.random() < 0.3 else rng.randint(5, 60)

    def month(start, source="partner.ngo"):
        rows = [_cell(geo, figure(), start, sex=sex, source=source)
                for geo in places for sex in ("F", "M")]  # fmt: skip
        for geo in places:
            pair = [r["value"] for r in rows if r["geo_code"] == geo]
            rows.append(_cell(geo, sum(pair), start, source=source))
        rows.append(_cell("AFG", sum(r["value"] for r in rows if r["sex"] == "_T"), start,
                          source=source))  # fmt: skip
        return rows

    rows = [r for start in months_2022 + months_2023 for r in month(start)]
    load(build, rows)
    totals = {(r["geo_code"], r["period_start"]): r["value"] for r in rows if r["sex"] == "_T"}

    def quarter(geo):  # the first quarter of 2023 as the sum of its months
        return _cell(geo, sum(totals[(geo, start)] for start in months_2023), months_2023[0], "Q")

    load(build, [quarter(geo) for geo in places], run="run2")
    assert "S" in {r[10] for r in _public(build)}
    assert _public(build) == _full_recompute(build)

    untouched = _rowids(build, [months_2022[0], months_2022[3]])
    # Revisions of a few cells of February and March 2022 (one planted small), and the UN's
    # own figures for March: only those two months are protected again.
    revised = [_cell(geo, figure(), months_2022[1]) for geo in ("AF-KAB", "AF-HER")]
    revised.append(_cell("AF-BAL", 2, months_2022[2], sex="F"))
    load(build, revised + month(months_2022[2], source="partner.un"), run="run3")
    assert _rowids(build, [months_2022[0], months_2022[3]]) == untouched
    assert _public(build) == _full_recompute(build)

    # Kandahar's February 2023 revised to a small count, its quarter with it: the quarter
    # minus January and March would give February, so a cell of another month (or the
    # quarter, stored under January) must hide too: that whole year is protected again.
    untouched = _rowids(build, months_2022)
    totals[("AF-KAN", months_2023[1])] = 3
    load(build, [_cell("AF-KAN", 3, months_2023[1]), quarter("AF-KAN")], run="run4")
    assert _rowids(build, months_2022) == untouched
    assert _public(build) == _full_recompute(build)


def _shown(con, table="public_observations") -> set[tuple]:
    """Every cell whose value `table` shows, as disclosed_cells records it."""
    return set(
        con.execute(
            "select indicator_code, geo_code, period_start, frequency, sex, age_group,"
            f" source_id, recorded_at from {table}"
            " where obs_status <> 'S' and value is not null"
        ).fetchall()
    )


def test_publishes_record_exactly_what_every_snapshot_showed(build, tmp_path):  # noqa: F811
    # Each publish compares only the units protected since the last one; what it records
    # must be what comparing every public cell records: every value any snapshot showed.
    folder = tmp_path / "snaps"
    months = [date(2022, m, 1) for m in range(1, 4)]
    rng = random.Random(13)

    def month(start, run_places=("AF-KAB", "AF-HER", "AF-BAL", "AF-KAN")):
        rows = [_cell(geo, rng.choice([2, 3, 6, 9, 30, 41]), start) for geo in run_places]
        return rows + [_cell("AFG", sum(r["value"] for r in rows), start)]

    steps = [
        lambda: load(build, month(months[0]) + month(months[1])),
        # A revision of January and a new month: February's public cells are untouched.
        lambda: load(build, month(months[0]) + month(months[2]), run="run2"),
        # A loaded file that changes nothing leaves nothing to compare.
        lambda: load(build, [], run="run3"),
        # A higher threshold re-protects every unit: cells shown before may now be S.
        lambda: load_batches(build, "run4", [], _threshold(8)),
        lambda: load(build, month(months[1], ("AF-KAB", "AF-HER")), run="run5"),
    ]
    shown: set[tuple] = set()
    hidden_since = set()
    for step in steps:
        step()
        result = publish(build, folder, retention=100)
        snapshot = duckdb.connect(str(result.snapshot.path), read_only=True)
        try:
            shown |= _shown(snapshot)
        finally:
            snapshot.close()
        recorded = build.execute("select * from disclosed_cells").fetchall()
        assert len(recorded) == len(set(recorded)) and set(recorded) == shown
        assert build.execute("select count(*) from unpublished_periods").fetchone() == (0,)
        hidden_since |= shown - _shown(build, "public_cells")
    # The sequence hid values shown before (the higher threshold): they stay recorded.
    assert hidden_since
