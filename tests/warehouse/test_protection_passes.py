"""Protection's passes look only at what changed since the last one (`complement_due`,
`audit_due`); over random histories that gives exactly what passes looking at every group
and table each time give."""

from collections.abc import Iterator
from datetime import date

import duckdb
import pyarrow as pa
from hypothesis import HealthCheck, given, settings

from tests.warehouse.test_incremental_protection import _cell
from tests.warehouse.test_suppression_properties import published_runs, tables
from warehouse.catalog import load_catalog
from warehouse.disclosure import audit
from warehouse.load import Batch, load_batches
from warehouse.migrations import migrate
from warehouse.observation import CANONICAL_SCHEMA
from warehouse.sql import scalar, sql


def _cells(con) -> None:
    """Temp table `cells` of every unit, primary suppression only, as protection starts."""
    con.execute("create or replace temp table dirty as"
                " select distinct indicator_code, period_start from observations")  # fmt: skip
    con.execute(f"create or replace temp table cells as {sql('queries/public_cells')}")


def _looking_at_everything(con) -> list[tuple]:
    """The public cells of every unit when each pass starts with every cell due."""
    _cells(con)
    while True:
        while True:
            con.execute("update cells set complement_due = true")
            if not scalar(con, sql("queries/complement")):
                break
        con.execute("update cells set audit_due = true")
        if not audit(con):
            break
    return con.execute(f"select * from ({sql('queries/mask_suppressed')}) order by all").fetchall()


def _history(runs) -> Iterator[duckdb.DuckDBPyConnection]:
    """The warehouse after each run is loaded and published."""
    con = duckdb.connect()
    migrate(con)
    for _ in published_runs(con, runs):
        yield con


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables())
def test_passes_over_what_changed_give_what_passes_over_everything_give(runs):
    for con in _history(runs):
        public = con.execute("select * from public_cells order by all").fetchall()
        assert public == _looking_at_everything(con)


def test_a_cell_the_audit_hides_is_seen_by_the_next_quick_pass():
    # Quarters add up, national totals do not (the audit writes no equation for them, the
    # quick pass looks at the groups all the same). Kabul's January (3) is hidden, the quick
    # pass hides Herat's January beside it; each quarter minus two months would give a
    # January back, so the audit hides Kabul's February and Herat's March; each of those is
    # then alone in its month's provinces, and only the next quick pass can see that.
    months = {"AF-KAB": (3, 10, 20), "AF-HER": (8, 30, 12), "AF-BAL": (40, 40, 40),
              "AF-KAN": (50, 50, 50), "AFG": (500, 500, 500)}  # fmt: skip
    rows = [_cell(geo, value, date(2022, m + 1, 1))
            for geo, values in months.items() for m, value in enumerate(values)]  # fmt: skip
    rows += [_cell(geo, sum(v), date(2022, 1, 1), "Q") for geo, v in months.items() if geo != "AFG"]
    con = duckdb.connect()
    migrate(con)
    table = pa.Table.from_pylist(rows, schema=CANONICAL_SCHEMA)
    load_batches(con, "r1", [Batch("partner", None, None, len(rows), table)], load_catalog())
    public = con.execute("select * from public_cells order by all").fetchall()
    hidden = {(r[1], r[2].month, r[4]) for r in public if r[10] == "S"}
    assert {("AF-KAB", 2, "M"), ("AF-HER", 3, "M")} <= hidden  # the audit's cells
    assert {("AF-HER", 2, "M"), ("AF-KAB", 3, "M")} <= hidden  # the quick pass's after them
    assert public == _looking_at_everything(con)
