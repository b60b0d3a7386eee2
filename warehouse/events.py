"""Policy events and point notes: the shapes adapters hand over, and loading them.

Events are decrees and orders (public record about the authorities, DESIGN.md), kept
bitemporally like observations. Notes say where a series point came from -- the decrees
that set a derived point, or the cited page behind a reported figure -- keyed like the
point, so the canonical observation keeps its columns and the API joins them when serving.
"""

from __future__ import annotations

from datetime import date, datetime

import duckdb
import pyarrow as pa

from warehouse.sql import scalar, sql

EVENT_SCHEMA = pa.schema(
    [
        ("id", pa.string()),
        ("date_announced", pa.string()),
        ("date_effective", pa.string()),
        ("effective_on", pa.date32()),
        ("issuer", pa.string()),
        ("domain", pa.string()),
        ("scope", pa.string()),
        ("summary", pa.string()),
        ("citation_url", pa.string()),
        ("citation_publisher", pa.string()),
        ("citation_title", pa.string()),
        ("citation_date", pa.string()),
        ("evidence", pa.string()),
        ("source_id", pa.string()),
    ]
)
CITATION_FIELDS = (
    "citation_url",
    "citation_publisher",
    "citation_title",
    "citation_date",
    "evidence",
)
NOTE_SCHEMA = pa.schema(
    [
        ("indicator_code", pa.string()),
        ("geo_code", pa.string()),
        ("period_start", pa.date32()),
        ("frequency", pa.string()),
        ("sex", pa.string()),
        ("age_group", pa.string()),
        ("source_id", pa.string()),
        ("basis", pa.list_(pa.string())),
        *((name, pa.string()) for name in CITATION_FIELDS),
    ]
)


def load_events(
    con: duckdb.DuckDBPyConnection,
    events: pa.Table,
    run_id: str,
    now: datetime,
    replaces: tuple[str, ...] = (),
) -> tuple[int, int]:
    """Insert new events and revise changed ones; return (inserted, revised).

    Events of the `replaces` sources that `events` no longer lists are closed (a register's
    new edition). Loading the same events again changes nothing. Call inside the load's
    transaction.
    """
    con.register("staged_events", events.cast(EVENT_SCHEMA))
    try:
        revised = scalar(con, sql("queries/close_revised_events"), {"now": now})
        params = {"now": now, "run_id": run_id}
        inserted = scalar(con, sql("queries/insert_new_events"), params)
        if replaces:
            params = {"now": now, "sources": list(replaces)}
            con.execute(sql("queries/retire_missing_events"), params)
    finally:
        con.unregister("staged_events")
    return inserted - revised, revised


def load_notes(con: duckdb.DuckDBPyConnection, notes: pa.Table, now: datetime) -> None:
    """Give every noted point key its new note (one note per point)."""
    con.register("staged_notes", notes.cast(NOTE_SCHEMA))
    try:
        con.execute(sql("queries/delete_point_notes"))
        con.execute(sql("queries/insert_point_notes"), {"now": now})
    finally:
        con.unregister("staged_notes")


def has_events(cursor: duckdb.DuckDBPyConnection) -> bool:
    """Whether the database has the tables (snapshots published before migration 008 do not)."""
    found = scalar(cursor, "select count(*) from duckdb_tables() where table_name = 'point_notes'")
    return found > 0


def fetch_events(
    cursor: duckdb.DuckDBPyConnection,
    domain: str | None,
    scopes: list[str] | None,
    start: date | None,
    end: date | None,
) -> list[dict]:
    """Current events as flat records (citation fields as columns), in date order."""
    if not has_events(cursor):
        return []
    params = {"domain": domain, "scopes": scopes, "start": start, "end": end}
    result = cursor.execute(sql("queries/events"), params)
    columns = [d[0] for d in result.description]
    return [dict(zip(columns, row, strict=True)) for row in result.fetchall()]


def fetch_event_domains(cursor: duckdb.DuckDBPyConnection) -> list[str]:
    if not has_events(cursor):
        return []
    return [row[0] for row in cursor.execute(sql("queries/event_domains")).fetchall()]


def fetch_noted_indicators(cursor: duckdb.DuckDBPyConnection) -> frozenset[str]:
    """Indicators that have point notes: read once per snapshot, so a series of any other
    indicator never pays for a notes look-up."""
    if not has_events(cursor):
        return frozenset()
    rows = cursor.execute("select distinct indicator_code from point_notes").fetchall()
    return frozenset(row[0] for row in rows)


def fetch_point_notes(
    cursor: duckdb.DuckDBPyConnection,
    indicator: str,
    geos: list[str] | None,
    start: date | None,
    end: date | None,
) -> dict[tuple, tuple]:
    """(geo, sex, age_group, period_start, frequency, source_id) -> (basis, citation fields).

    Only for an indicator `fetch_noted_indicators` lists (the table exists then)."""
    params = {"indicator": indicator, "geos": geos, "start": start, "end": end}
    rows = cursor.execute(sql("queries/point_notes"), params).fetchall()
    return {row[:6]: row[6:] for row in rows}
