"""Read queries over a published snapshot. Every value is bound; nothing is spliced into SQL."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime

import duckdb

from warehouse.observation import SORT_KEY
from warehouse.sql import sql

# The changes feed is ordered by time first, then by the observation key.
CHANGE_SORT_KEY = ("recorded_at", *SORT_KEY[:-1])
_AFTER_PARAMS = {
    "indicator_code": "after_indicator",
    "geo_code": "after_geo",
    "sex": "after_sex",
    "age_group": "after_age_group",
    "period_start": "after_period_start",
    "frequency": "after_frequency",
    "source_id": "after_source",
    "recorded_at": "after_recorded_at",
}


@dataclass(frozen=True)
class ObservationFilter:
    """Which public observation rows a series or observations request asks for (None: all)."""

    indicators: list[str] | None = None
    geos: list[str] | None = None
    start: date | None = None
    end: date | None = None
    sex: str | None = None
    age_group: str | None = None
    as_of: datetime | None = None
    updated_after: datetime | None = None
    source: str | None = None  # exact source id
    # Restricted keys only: read the snapshot's unsuppressed `observations` instead.
    unsuppressed: bool = False
    # Only the N most recent periods with a value of each series (warehouse/latest.py).
    latest: int | None = None


def _rows(cursor: duckdb.DuckDBPyConnection, name: str, params: dict) -> list[dict]:
    result = cursor.execute(sql(name), params)
    columns = [d[0] for d in result.description]
    return [dict(zip(columns, row, strict=True)) for row in result.fetchall()]


def _after(columns: tuple[str, ...], after: tuple | None) -> dict:
    """Bind the previous page's last sort key (all null on the first page)."""
    values = after if after is not None else (None,) * len(columns)
    return {_AFTER_PARAMS[name]: value for name, value in zip(columns, values, strict=True)}


def fetch_indicators(
    cursor: duckdb.DuckDBPyConnection, code: str | None = None, topic: str | None = None
) -> list[dict]:
    """Catalog entries by exact code or topic, each with `has_data` (None unless public)."""
    return _rows(cursor, "queries/indicators", {"code": code, "topic": topic})


def fetch_coverage(cursor: duckdb.DuckDBPyConnection, code: str) -> dict:
    return _rows(cursor, "queries/coverage", {"code": code})[0]


def fetch_geographies(
    cursor: duckdb.DuckDBPyConnection,
    level: str | None = None,
    parent: str | None = None,
    codes: list[str] | None = None,
) -> list[dict]:
    return _rows(cursor, "queries/geographies", {"level": level, "parent": parent, "codes": codes})


def fetch_sources(cursor: duckdb.DuckDBPyConnection, source_id: str | None = None) -> list[dict]:
    """Sources by exact id (all when None); `demo` is False where a snapshot predates it."""
    rows = _rows(cursor, "queries/sources", {"id": source_id})
    for row in rows:
        row.setdefault("demo", False)
    return rows


def fetch_observations(
    cursor: duckdb.DuckDBPyConnection,
    where: ObservationFilter,
    after: tuple | None = None,
    limit: int | None = None,
    rows: tuple[int, int] | None = None,
) -> list[tuple]:
    """Rows of PUBLISHED_COLUMNS in SORT_KEY order, after the sort key `after`; `rows`
    bounds the storage rows scanned (SeriesIndex.rows), None scans them all."""
    first, last = rows or (None, None)
    params = {
        **asdict(where),
        **_after(SORT_KEY, after),
        "limit": limit,
        "first_row": first,
        "last_row": last,
    }
    return cursor.execute(sql("queries/observations"), params).fetchall()


def fetch_changes(
    cursor: duckdb.DuckDBPyConnection,
    since: datetime,
    indicators: list[str] | None = None,
    after: tuple | None = None,
    limit: int | None = None,
    source: str | None = None,
) -> tuple[list[str], list[tuple]]:
    """Row versions recorded after `since` (of one source when given), in CHANGE_SORT_KEY
    order: (columns, rows)."""
    params = {
        "since": since,
        "indicators": indicators,
        **_after(CHANGE_SORT_KEY, after),
        "limit": limit,
        "source": source,
    }
    result = cursor.execute(sql("queries/changes"), params)
    return [d[0] for d in result.description], result.fetchall()


def fetch_change_summary(
    cursor: duckdb.DuckDBPyConnection,
    since: datetime | None,
    indicators: list[str] | None = None,
    bounds: list[datetime] | None = None,
) -> list[dict]:
    """Counts of added, revised and withdrawn public values per indicator and source after
    `since`, per `stretch` between the sorted instants `bounds` (0 when there are none)."""
    params = {"since": since, "indicators": indicators, "bounds": bounds or []}
    return _rows(cursor, "queries/change_summary", params)


def fetch_quality(cursor: duckdb.DuckDBPyConnection, all_tiers: bool) -> list[dict]:
    """Latest run per source; `all_tiers` includes batches with restricted-tier rows."""
    return _rows(cursor, "queries/quality", {"all_tiers": all_tiers})


def fetch_snapshot_info(cursor: duckdb.DuckDBPyConnection) -> dict:
    return _rows(cursor, "queries/snapshot_info", {})[0]
