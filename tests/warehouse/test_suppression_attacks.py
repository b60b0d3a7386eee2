"""Attacks on small-cell suppression: try to recover a suppressed cell by every differencing
route from the published snapshots, queried as the API would, and show it cannot be done.

The attacker (tests/warehouse/attacker.py) remembers every snapshot it was served (each run
here is published, and all of its public rows, every as_of version included, are kept) and
reads all sources side by side. Each route also has a control: the same attack on the same
data with primary suppression only (no complementary cells) does recover the hidden value,
so the attacker is competent and the protection is what stops it.
"""

from dataclasses import replace
from datetime import date, datetime

import duckdb
import pyarrow as pa

from tests.warehouse.attacker import leaks, merge_history
from warehouse.catalog import load_catalog
from warehouse.connect import open_build
from warehouse.load import Batch, load_batches
from warehouse.observation import CANONICAL_SCHEMA
from warehouse.snapshots import publish

CLOSURES = "business.women_led_closures"  # summed count
AGGREGATION = {i.code: i.aggregation for i in load_catalog().indicators.values()}
PERIODS = {"M": lambda m: (date(2022, m, 1), date(2022, m, 28)),
           "Q": lambda q: (date(2022, 3 * q - 2, 1), date(2022, 3 * q, 28))}  # fmt: skip
AS_API = """
    select indicator_code, geo_code, sex, age_group, source_id, period_start, period_end,
        frequency, value, obs_status, recorded_at, superseded_at
    from public_observations
    order by indicator_code, geo_code, sex, age_group, source_id, period_start, recorded_at
"""


def cell(geo, value, sex="_T", indicator=CLOSURES, period=1, frequency="M",
         source="partner.ngo", age="_T") -> dict:  # fmt: skip
    start, end = PERIODS[frequency](period)
    return {"indicator_code": indicator, "geo_code": geo, "period_start": start,
            "period_end": end, "frequency": frequency, "sex": sex, "age_group": age,
            "value": value, "lower": None, "upper": None, "obs_status": "A",
            "source_id": source, "source_type": "NGO",
            "verification": "verified"}  # fmt: skip


class Published:
    """What the attacker has seen: the public rows of every snapshot, and the last one."""

    def __init__(self, snap: duckdb.DuckDBPyConnection, history: list[list[dict]]):
        self.snap, self.history = snap, history

    def execute(self, *args):
        return self.snap.execute(*args)


def publish_runs(tmp_path, *runs: list[dict], each: bool = True, catalog=None) -> Published:
    """Load each run as a revision of the one before and publish (after every run, or only
    after the last); open the last snapshot read-only."""
    catalog = catalog or load_catalog()
    con = open_build(tmp_path / "build.duckdb")
    history = []
    try:
        for n, rows in enumerate(runs):
            table = pa.Table.from_pylist(rows, schema=CANONICAL_SCHEMA)
            batch = Batch("partner", f"run{n}", f"sha{n}", len(rows), table)
            load_batches(con, f"run{n}", [batch], catalog)
            if each or n == len(runs) - 1:
                snapshot = publish(con, tmp_path / "snaps", retention=1).snapshot
                seen = duckdb.connect(str(snapshot.path), read_only=True)
                history.append(public_rows(seen))
                seen.close()
    finally:
        con.close()
    return Published(duckdb.connect(str(snapshot.path), read_only=True), history)


def public_rows(snap) -> list[dict]:
    cursor = snap.execute(AS_API)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def primary_only(snap) -> list[dict]:
    """The control: every stored row, with only the cells below the threshold hidden."""
    cursor = snap.execute(AS_API.replace("public_observations", "observations"))
    names = [d[0] for d in cursor.description]
    rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    for row in rows:
        if row["geo_code"].startswith("AF-") and 1 <= row["value"] < 5:
            row["value"], row["obs_status"] = None, "S"
    return rows


def true_values(snap) -> dict:
    rows = snap.execute(f"select {', '.join(KEY)}, value from observations").fetchall()
    return {tuple(r[:-1]): r[-1] for r in rows}


KEY = ("indicator_code", "geo_code", "sex", "age_group", "source_id", "period_start",
       "frequency", "recorded_at")  # fmt: skip


def _key(row) -> tuple:
    return tuple(row[k] for k in KEY)


def attack(snap, rows) -> dict[tuple, float]:
    """What the attacker gets right: suppressed row key -> recovered (true) value."""
    truth = true_values(snap)
    found = leaks(rows, AGGREGATION, lambda row: truth[_key(row)])
    return {_key(rows[i]): float(v) for i, v in found.items()}


def history_of(published: Published) -> list[dict]:
    return merge_history(published.history)


def assert_route_closed(published: Published, hidden_key_parts: dict) -> None:
    """The control recovers the target cell; everything ever published recovers nothing."""
    control = attack(published, primary_only(published))
    targets = [k for k in control if all(k[i] == v for i, v in hidden_key_parts.items())]
    assert targets, "the control attack should recover the target cell"
    rows = history_of(published)
    assert {_key(r) for r in rows if r["obs_status"] == "S"} >= set(targets)
    assert attack(published, rows) == {}


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
    # Kabul's row is quarantined in run 1 and supplied by run 2, both loaded before one
    # publish. The national total of run 1 already counts it, so the as_of view of run 1
    # gives Kabul back as total - the others.
    first = [cell("AF-HER", 40), cell("AF-KAN", 30), cell("AF-BAL", 12), cell("AFG", 85)]
    snap = publish_runs(tmp_path, first, [cell("AF-KAB", 3)], each=False)
    assert_route_closed(snap, {1: "AF-KAB"})


def test_a_late_cell_the_published_figures_already_give_away_is_withheld(tmp_path):
    # As above, but run 1 was published: 85 - (40 + 30 + 12) = 3 is out for good, and no
    # suppression can take it back. Showing Kabul (even as S) would tell whose 3 it was.
    first = [cell("AF-HER", 40), cell("AF-KAN", 30), cell("AF-BAL", 12), cell("AFG", 85)]
    snap = publish_runs(tmp_path, first, [cell("AF-KAB", 3)])
    assert attack(snap, primary_only(snap))
    assert "AF-KAB" not in {r["geo_code"] for r in public_rows(snap)}
    assert attack(snap, history_of(snap)) == {}
    stored = snap.execute("select count(*) from observations where geo_code = 'AF-KAB'")
    assert stored.fetchone()[0] == 1  # kept, and served at the restricted tier only


def test_route_quarter_minus_its_months(tmp_path):
    # A source that reports both months and their (summed) quarter would otherwise give a
    # hidden month back by subtraction. (For counts that keep the last value the quarter
    # equals its last month, so both are below the threshold together.)
    months = [cell("AF-KAB", v, period=m) for m, v in ((1, 20), (2, 31), (3, 2))]
    snap = publish_runs(tmp_path, [*months, cell("AF-KAB", 53, frequency="Q")])
    assert_route_closed(snap, {1: "AF-KAB", 5: date(2022, 3, 1), 6: "M"})


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
    assert attack(snap, primary_only(snap))  # the control leaks
    assert attack(snap, history_of(snap)) == {}


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


def test_route_late_cell_against_an_earlier_total(tmp_path):
    # Issue 15, route 1: a national total is published; later Kabul's small count arrives
    # with the revised total. Kabul is S, but the old total (as_of, or the /v1/changes entry
    # "revised from 82 to 85") gives Kabul = 85 - 82.
    first = [cell("AF-HER", 40), cell("AF-KAN", 30), cell("AF-BAL", 12), cell("AFG", 82)]
    snap = publish_runs(tmp_path, first, [cell("AF-KAB", 3), cell("AFG", 85)])
    assert_route_closed(snap, {1: "AF-KAB"})
    # The revised total is what is hidden: every earlier published figure stays as it was.
    shown = {(r["geo_code"], r["value"]) for r in public_rows(snap) if r["obs_status"] != "S"}
    assert {("AF-HER", 40), ("AF-KAN", 30), ("AF-BAL", 12), ("AFG", 82)} <= shown
    assert ("AFG", 85) not in shown


def test_route_late_month_against_an_earlier_quarter(tmp_path):
    # The same with time: the quarter is published from two months; the third month's small
    # count arrives with the revised quarter.
    first = [cell("AF-KAB", 20, period=1), cell("AF-KAB", 31, period=2),
             cell("AF-KAB", 51, frequency="Q")]  # fmt: skip
    snap = publish_runs(tmp_path, first, [cell("AF-KAB", 2, period=3),
                                          cell("AF-KAB", 53, frequency="Q")])  # fmt: skip
    assert_route_closed(snap, {1: "AF-KAB", 5: date(2022, 3, 1), 6: "M"})


def test_route_value_published_earlier_hidden_later(tmp_path):
    # Issue 15, route 2: run 1 hides Kabul (3) and Balkh (10, its partner) and publishes
    # Kandahar (20). Run 2 revises Balkh to 30: a pattern computed afresh would now hide
    # Kandahar, whose 20 the first snapshot (and its extract) already gave away, so the new
    # total minus the rest gives Kabul back.
    first = [cell("AF-KAB", 3), cell("AF-BAL", 10), cell("AF-KAN", 20), cell("AF-HER", 50),
             cell("AFG", 83)]  # fmt: skip
    snap = publish_runs(tmp_path, first, [cell("AF-BAL", 30), cell("AFG", 103)])
    assert_route_closed(snap, {1: "AF-KAB"})
    # Nothing the first snapshot published is hidden by the second: no withdrawal needed.
    before = {_key(r): r["value"] for r in snap.history[0] if r["obs_status"] != "S"}
    after = {_key(r): r["value"] for r in snap.history[1]}
    assert all(after[k] == v for k, v in before.items())


def test_route_subtraction_across_sources(tmp_path):
    # Issue 15, route 3: one source gives the national total and Herat; another gives Kabul
    # (hidden) and Herat. Total minus Herat, both from the first source, is Kabul.
    rows = [
        cell("AFG", 43),
        cell("AF-HER", 40),
        cell("AF-KAB", 3, source="partner.un"),
        cell("AF-HER", 40, source="partner.un"),
    ]
    snap = publish_runs(tmp_path, rows)  # fmt: skip
    assert_route_closed(snap, {1: "AF-KAB", 4: "partner.un"})


def test_route_other_sex_across_sources(tmp_path):
    rows = [
        cell("AF-KAB", 30),
        cell("AF-KAB", 28, "M"),
        cell("AF-KAB", 2, "F", source="partner.un"),
        cell("AF-KAB", 28, "M", source="partner.un"),
    ]
    snap = publish_runs(tmp_path, rows)  # fmt: skip
    assert_route_closed(snap, {1: "AF-KAB", 2: "F", 4: "partner.un"})


def test_route_quarter_minus_months_across_sources(tmp_path):
    rows = [
        cell("AF-KAB", 20, period=1),
        cell("AF-KAB", 31, period=2),
        cell("AF-KAB", 53, frequency="Q"),
        cell("AF-KAB", 2, period=3, source="partner.un"),
        cell("AF-KAB", 31, period=2, source="partner.un"),
    ]
    snap = publish_runs(tmp_path, rows)  # fmt: skip
    assert_route_closed(snap, {1: "AF-KAB", 4: "partner.un", 5: date(2022, 3, 1)})


def test_route_all_ages_minus_age_bands(tmp_path):
    # No indicator has age bands yet; one that does is protected as sexes are.
    catalog = load_catalog()
    banded = replace(catalog.indicators[CLOSURES], age_group=("_T", "Y_LT18", "Y18T29", "Y_GE30"))
    catalog = replace(catalog, indicators={**catalog.indicators, CLOSURES: banded})
    rows = [
        cell("AF-KAB", 30),
        cell("AF-KAB", 2, age="Y_LT18"),
        cell("AF-KAB", 13, age="Y18T29"),
        cell("AF-KAB", 15, age="Y_GE30"),
    ]
    snap = publish_runs(tmp_path, rows, catalog=catalog)  # fmt: skip
    assert_route_closed(snap, {1: "AF-KAB", 3: "Y_LT18"})
