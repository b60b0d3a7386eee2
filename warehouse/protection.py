"""Small-cell suppression for public output: one implementation for the API and extracts.

Public-tier counts at province level below the indicator's threshold lose their value and
get `obs_status = 'S'` (primary suppression). Complementary suppression then hides more
cells until no suppressed cell can be recovered by subtraction, in the current data and in
every as_of slice: a quick SQL pass first (queries/complement.sql: no group with exactly one
suppressed cell, for national total minus the other provinces and total minus the other
sex), then the exact linear audit of warehouse/disclosure.py for sums combined across
slices, dimensions and periods (a quarter minus its months).
A suppression is a property of a stored row, so every as_of view of a row shows the same
status. Restricted-tier indicators are left out entirely.
"""

from __future__ import annotations

import duckdb

from warehouse.disclosure import audit
from warehouse.sql import sql


def protect(con: duckdb.DuckDBPyConnection) -> int:
    """Fill temp table `public_cells` from `observations`; return how many cells are suppressed.

    Each pass only ever adds suppressions, so the loop ends.
    """
    con.execute(
        "create or replace temp table cells as "
        f"select row_number() over () as rowid_, * from ({sql('queries/public_cells')})"
    )
    while True:
        while con.execute(sql("queries/complement")).fetchone()[0]:
            pass
        if not audit(con):
            break
    con.execute(f"create or replace temp table public_cells as {sql('queries/mask_suppressed')}")
    return con.execute("select count(*) from cells where suppressed").fetchone()[0]
