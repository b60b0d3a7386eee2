"""Small-cell suppression for public output: one implementation for the API and extracts.

Public-tier counts at province level below the indicator's threshold lose their value and
get `obs_status = 'S'` (primary suppression). Complementary suppression then hides more
cells until no suppressed cell can be recovered by subtraction, in the current data and in
every as_of slice: a quick SQL pass first (queries/complement.sql: no group with exactly one
suppressed cell, for national total minus the other provinces and total minus the other
sex), then the exact linear audit of warehouse/disclosure.py for sums combined across
slices, dimensions and periods (a quarter minus its months).
A suppression is a property of a stored row, so every as_of view of a row shows the same
status; a row the audit cannot protect is withheld from public output. Restricted-tier
indicators are left out entirely.

Every group and every audited table lies inside one (indicator, year): all sources and age
groups together, since a client reads them side by side. Within it, equations only join
cells of one period unless the table holds several frequencies (a quarter minus its
months), so a load re-protects only the periods it touched (queries/dirty_periods.sql),
or the whole year of a table with mixed frequencies: the result is kept in table
`public_cells` of the build warehouse, which publishing copies. Each publish remembers
which values it showed (`remember_published`, comparing only the units protected since the
last publish): the audit treats them as known for ever.
"""

from __future__ import annotations

import duckdb

from warehouse.disclosure import audit
from warehouse.sql import scalar, sql


def protect(con: duckdb.DuckDBPyConnection) -> int:
    """Bring table `public_cells` up to date with `observations`; return how many cells of it
    are suppressed. Call it inside the transaction that changed the observations.

    Each pass only ever adds suppressions, so the loop ends.
    """
    inputs = scalar(con, sql("queries/protection_inputs"))
    if con.execute("select digest from protection_inputs").fetchall() != [(inputs,)]:
        # The catalog facts suppression reads changed (or never protected): start over.
        for table in ("public_cells", "protected_batches", "protection_inputs"):
            con.execute(f"delete from {table}")
        con.execute("insert into protection_inputs values (?)", [inputs])
    con.execute(f"create or replace temp table dirty as {sql('queries/dirty_periods')}")
    if scalar(con, "select count(*) from dirty"):
        con.execute(f"create or replace temp table cells as {sql('queries/public_cells')}")
        while True:
            while scalar(con, sql("queries/complement")):
                pass
            if not audit(con):
                break
        con.execute(sql("queries/drop_dirty_cells"))
        con.execute(f"insert into public_cells {sql('queries/mask_suppressed')}")
        con.execute(
            "insert into unpublished_periods select * from dirty"
            " anti join unpublished_periods using (indicator_code, period_start)"
        )
        con.execute(
            "insert into protected_batches select distinct batch_id from observations"
            " anti join protected_batches using (batch_id)"
        )
        con.execute("drop table cells")
        con.execute("drop table complement_partners")
    con.execute("drop table dirty")
    return scalar(con, "select count(*) from public_cells where obs_status = 'S'")


def remember_published(con: duckdb.DuckDBPyConnection) -> None:
    """Record every value `public_cells` shows as disclosed: call it when publishing them.
    Only the units protected since the last call are compared (table unpublished_periods)."""
    con.execute(sql("queries/record_disclosed"))
