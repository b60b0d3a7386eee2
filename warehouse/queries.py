"""Read queries over a published snapshot. Every value is bound; nothing is spliced into SQL."""

from __future__ import annotations

from datetime import date

import duckdb

from warehouse.sql import sql


def _rows(cursor: duckdb.DuckDBPyConnection, name: str, params: dict) -> list[dict]:
    result = cursor.execute(sql(name), params)
    columns = [d[0] for d in result.description]
    return [dict(zip(columns, row, strict=True)) for row in result.fetchall()]


def fetch_indicators(cursor: duckdb.DuckDBPyConnection, code: str | None = None) -> list[dict]:
    return _rows(cursor, "queries/indicators", {"code": code})


def fetch_geographies(
    cursor: duckdb.DuckDBPyConnection,
    level: str | None = None,
    parent: str | None = None,
    codes: list[str] | None = None,
) -> list[dict]:
    return _rows(cursor, "queries/geographies", {"level": level, "parent": parent, "codes": codes})


def fetch_series(
    cursor: duckdb.DuckDBPyConnection,
    indicator: str,
    geos: list[str] | None = None,
    start: date | None = None,
    end: date | None = None,
    sex: str | None = None,
    age_group: str | None = None,
    unsuppressed: bool = False,
) -> list[tuple]:
    """Rows of (geo, sex, age, period_start, frequency, value, lower, upper, status, source).

    Public values come from `public_observations`; `unsuppressed` (restricted keys only)
    reads the snapshot's `observations` instead.
    """
    params = {
        "unsuppressed": unsuppressed,
        "indicator": indicator,
        "geos": geos,
        "start": start,
        "end": end,
        "sex": sex,
        "age_group": age_group,
    }
    return cursor.execute(sql("queries/series"), params).fetchall()


def fetch_snapshot_info(cursor: duckdb.DuckDBPyConnection) -> dict:
    return _rows(cursor, "queries/snapshot_info", {})[0]
