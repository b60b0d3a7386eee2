"""Attacks on small-cell suppression: try to recover a suppressed cell by every differencing
route from the published snapshot, queried as the API would, and show it cannot be done.

Each route also has a control: the same attack on the same data with primary suppression
only (no complementary cells) does recover the hidden value, so the attacker is competent
and the protection is what stops it.
"""

from datetime import date, datetime

import duckdb
import pyarrow as pa

from tests.warehouse.attacker import recover
from warehouse.catalog import load_catalog
from warehouse.connect import open_build
from warehouse.load import CANONICAL_SCHEMA, Batch, load_batches
from warehouse.snapshots import publish

CLOSURES = "business.women_led_closures"  # summed count
AGGREGATION = {i.code: i.aggregation for i in load_catalog().indicators.values()}
PERIODS = {"M": lambda m: (date(2022, m, 1), date(2022, m, 28)),
           "Q": lambda q: (date(2022, 3 * q - 2, 1), date(2022, 3 * q, 28))}  # fmt: skip
AS_API = """
    select indicator_code, geo_code, sex, age_group, source_id, period_start, period_end,
        frequency, value, obs_status, recorded_at, superseded_at
    from public_observations
    order by indicator_code, geo_code, sex, period_start, recorded_at
"""


def cell(geo, value, sex="_T", indicator=CLOSURES, period=1, frequency="M") -> dict:
    start, end = PERIODS[frequency](period)
    return {"indicator_code": indicator, "geo_code": geo, "period_start": start,
            "period_end": end, "frequency": frequency, "sex": sex, "age_group": "_T",
            "value": value, "lower": None, "upper": None, "obs_status": "A",
            "source_id": "partner.ngo", "source_type": "NGO",
            "verification": "verified"}  # fmt: skip


def publish_runs(tmp_path, *runs: list[dict]) -> duckdb.DuckDBPyConnection:
    """Load each run as a revision of the one before, publish, open the snapshot read-only."""
    con = open_build(tmp_path / "build.duckdb")
    try:
        for n, rows in enumerate(runs):
            table = pa.Table.from_pylist(rows, schema=CANONICAL_SCHEMA)
            batch = Batch("partner", f"run{n}", f"sha{n}", len(rows), table)
            load_batches(con, f"run{n}", [batch], load_catalog())
        snapshot = publish(con, tmp_path / "snaps", retention=2).snapshot
    finally:
        con.close()
    return duckdb.connect(str(snapshot.path), read_only=True)


def public_rows(snap) -> list[dict]:
    cursor = snap.execute(AS_API)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def primary_only(snap) -> list[dict]:
    """The control: the same rows with only the cells below the threshold hidden."""
    rows = public_rows(snap)
    truth = true_values(snap)
    for row in rows:
        value = truth[_key(row)]
        small = row["geo_code"].startswith("AF-") and 1 <= value < 5
        row["value"], row["obs_status"] = (None, "S") if small else (value, "A")
    return rows


def true_values(snap) -> dict:
    rows = snap.execute(
        "select indicator_code, geo_code, sex, period_start, frequency, recorded_at, value"
        " from observations"
    ).fetchall()
    return {tuple(r[:6]): r[6] for r in rows}


def _key(row) -> tuple:
    return (row["indicator_code"], row["geo_code"], row["sex"], row["period_start"],
            row["frequency"], row["recorded_at"])  # fmt: skip


def attack(rows) -> dict[tuple, float]:
    """What the attacker pins down: suppressed row key -> recovered value."""
    return {_key(rows[i]): float(v) for i, v in recover(rows, AGGREGATION).items()}


def assert_route_closed(snap, hidden_key_parts: dict) -> None:
    """The control recovers the target cell; the real public rows recover nothing."""
    truth = true_values(snap)
    control = attack(primary_only(snap))
    targets = [k for k in control if all(k[i] == v for i, v in hidden_key_parts.items())]
    assert targets, "the control attack should recover the target cell"
    assert all(control[k] == truth[k] for k in targets)
    rows = public_rows(snap)
    assert {_key(r) for r in rows if r["obs_status"] == "S"} >= set(targets)
    assert attack(rows) == {}


def test_route_national_total_minus_other_provinces(tmp_path):
    snap = publish_runs(tmp_path, [cell("AF-KAB", 3), cell("AF-HER", 40), cell("AF-KAN", 30),
                                   cell("AF-BAL", 12), cell("AFG", 85)])  # fmt: skip
    # The naive subtraction gives the sum of at least two hidden provinces, never Kabul's 3.
    rows = {r["geo_code"]: r["value"] for r in public_rows(snap)}
    left = rows["AFG"] - sum(v for g, v in rows.items() if g != "AFG" and v is not None)
    assert left != 3
    assert_route_closed(snap, {1: "AF-KAB"})


def test_route_total_minus_other_sex(tmp_path):
    snap = publish_runs(tmp_path, [cell("AF-KAB", 30, "_T"), cell("AF-KAB", 2, "F"),
                                   cell("AF-KAB", 28, "M")])  # fmt: skip
    assert_route_closed(snap, {1: "AF-KAB", 2: "F"})


def test_route_as_of_view_minus_current(tmp_path):
    # Run 1: Kabul 3 is hidden, Balkh (10) is its partner. Run 2 revises Kandahar to 6 and
    # the national total: a current-only rule would now pick Kandahar and publish Balkh, and
    # the as_of view of run 1 minus the current view would give Kabul back.
    first = [cell("AF-KAB", 3), cell("AF-BAL", 10), cell("AF-KAN", 20), cell("AF-HER", 50),
             cell("AFG", 83)]  # fmt: skip
    second = [cell("AF-KAN", 6), cell("AFG", 69)]
    snap = publish_runs(tmp_path, first, second)
    assert_route_closed(snap, {1: "AF-KAB"})
    # The same attack by hand: the state as of run 1 and the current state, as the API
    # slices them (recorded_at <= t < superseded_at).
    moments = sorted({r["recorded_at"] for r in public_rows(snap)})
    assert len(moments) == 2
    views = [
        {r["geo_code"]: r for r in public_rows(snap)
         if r["recorded_at"] <= t and (r["superseded_at"] is None or r["superseded_at"] > t)}
        for t in moments
    ]  # fmt: skip
    assert views[0]["AF-KAB"]["obs_status"] == views[1]["AF-KAB"]["obs_status"] == "S"
    for view in views:  # no slice publishes Kabul's only partner
        assert sum(r["obs_status"] == "S" for g, r in view.items() if g != "AFG") >= 2


def test_route_total_before_a_province_was_supplied(tmp_path):
    # Kabul's row is quarantined in run 1 and supplied by run 2. The national total of run 1
    # already counts it, so the as_of view of run 1 gives Kabul back as total - the others.
    first = [cell("AF-HER", 40), cell("AF-KAN", 30), cell("AF-BAL", 12), cell("AFG", 85)]
    snap = publish_runs(tmp_path, first, [cell("AF-KAB", 3)])
    assert_route_closed(snap, {1: "AF-KAB"})


def test_route_quarter_minus_its_months(tmp_path):
    # A source that reports both months and their (summed) quarter would otherwise give a
    # hidden month back by subtraction. (For counts that keep the last value the quarter
    # equals its last month, so both are below the threshold together.)
    months = [cell("AF-KAB", v, period=m) for m, v in ((1, 20), (2, 31), (3, 2))]
    snap = publish_runs(tmp_path, [*months, cell("AF-KAB", 53, frequency="Q")])
    assert_route_closed(snap, {1: "AF-KAB", 3: date(2022, 3, 1), 4: "M"})


def test_all_routes_at_once(tmp_path):
    # Provinces by sex with national figures, revised once: every equation together.
    first = []
    for geo, (f, m) in {"AF-KAB": (2, 30), "AF-HER": (9, 3), "AF-BAL": (14, 22),
                        "AF-KAN": (7, 8)}.items():  # fmt: skip
        first += [cell(geo, f, "F"), cell(geo, m, "M"), cell(geo, f + m, "_T")]
    first += [cell("AFG", 32, "F"), cell("AFG", 63, "M"), cell("AFG", 95, "_T")]
    second = [cell("AF-BAL", 4, "F"), cell("AF-BAL", 26, "_T"), cell("AFG", 22, "F"),
              cell("AFG", 85, "_T")]  # fmt: skip
    snap = publish_runs(tmp_path, first, second)
    assert attack(primary_only(snap))  # the control leaks
    assert attack(public_rows(snap)) == {}


def test_suppressed_status_is_the_same_in_every_as_of_view(tmp_path):
    snap = publish_runs(tmp_path, [cell("AF-KAB", 3), cell("AF-HER", 40), cell("AFG", 43)],
                        [cell("AF-HER", 41), cell("AFG", 44)])  # fmt: skip
    statuses = snap.execute(
        "select geo_code, recorded_at, count(distinct obs_status) from public_observations"
        " group by all"
    ).fetchall()
    assert all(n == 1 for *_, n in statuses)
    kabul = [r for r in public_rows(snap) if r["geo_code"] == "AF-KAB"]
    assert (
        len(kabul) == 1
        and kabul[0]["value"] is None
        and isinstance(kabul[0]["recorded_at"], datetime)
    )
