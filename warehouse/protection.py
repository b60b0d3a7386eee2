"""Small-cell suppression for public output: one implementation for the API and extracts.

Public-tier counts at province level below the indicator's threshold lose their value and
get `obs_status = 'S'` (primary suppression). Complementary suppression then hides one more
cell wherever a lone suppressed cell could be recovered by subtraction (national total minus
the other provinces; total minus the other sex), repeated until no such cell is left.
Restricted-tier indicators are left out entirely.
"""

from __future__ import annotations

import duckdb

from warehouse.sql import sql

_COMPLEMENTS = ("queries/complement_provinces", "queries/complement_sexes")


def protect(con: duckdb.DuckDBPyConnection) -> int:
    """Fill temp table `public_cells` from `observations`; return how many cells are suppressed.

    Each complementary pass only ever adds suppressions, so the loop ends.
    """
    con.execute(
        "create or replace temp table cells as "
        f"select row_number() over () as rowid_, * from ({sql('queries/public_cells')})"
    )
    while sum(con.execute(sql(name)).fetchone()[0] for name in _COMPLEMENTS):
        pass
    con.execute(f"create or replace temp table public_cells as {sql('queries/mask_suppressed')}")
    return con.execute("select count(*) from cells where suppressed").fetchone()[0]
