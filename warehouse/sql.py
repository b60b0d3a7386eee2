"""SQL text kept as files under warehouse/sql/, loaded once per process."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import duckdb


@cache
def sql(name: str) -> str:
    """The text of `warehouse/sql/<name>.sql` (e.g. `queries/series`)."""
    return resources.files("warehouse").joinpath("sql", f"{name}.sql").read_text(encoding="utf-8")


def one_row(con: duckdb.DuckDBPyConnection, query: str, params: object = None) -> tuple[Any, ...]:
    """The first row `query` returns; a clear error (naming the query) when it returns none.

    For queries that always answer one row (`count(*)`, `insert ... returning count`): an
    empty answer there is a broken query or schema, not a value to carry on with.
    """
    found = con.execute(query, params).fetchone()
    if found is None:
        raise LookupError(f"query returned no row: {' '.join(query.split())[:200]}")
    return found


def scalar(con: duckdb.DuckDBPyConnection, query: str, params: object = None) -> Any:
    """The first column of `one_row(con, query, params)`."""
    return one_row(con, query, params)[0]
