"""Load validated batches into the build warehouse: one transaction per run, bitemporally."""

from __future__ import annotations

import functools
import json
import uuid
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from warehouse.catalog import Catalog
from warehouse.events import load_events, load_notes
from warehouse.observation import CANONICAL_SCHEMA
from warehouse.personal_data import unexpected_columns
from warehouse.protection import protect
from warehouse.sql import scalar, sql

QUARANTINE_SCHEMA = pa.schema(
    [("line", pa.int64()), ("raw", pa.string()), ("reasons", pa.list_(pa.string()))]
)
# Quarantine keeps enough of a raw row to see what was wrong, never a whole hostile field: a
# longer row is kept as {"truncated_from": <characters>, "head": <its first RAW_COPY_CHARS>}.
RAW_COPY_CHARS = 4096


@dataclass
class Batch:
    """One file (or source pull) after validation, ready to load."""

    adapter: str
    file_name: str | None
    file_sha256: str | None
    rows_in: int
    accepted: pa.Table = field(default_factory=CANONICAL_SCHEMA.empty_table)
    quarantined: pa.Table = field(default_factory=QUARANTINE_SCHEMA.empty_table)
    # Set when the whole file was rejected (unreadable, schema drift): nothing of it loads.
    error: str | None = None
    # Policy events and point notes (warehouse/events.py) the file carries, if any.
    events: pa.Table | None = None
    notes: pa.Table | None = None
    # Sources this file re-issues whole (a register's new edition): their current rows and
    # events that it no longer states are closed. Only when it has accepted rows.
    replaces: tuple[str, ...] = ()


@dataclass
class BatchOutcome:
    batch_id: str
    adapter: str
    file_name: str | None
    file_sha256: str | None
    status: str
    error: str | None
    rows_in: int
    rows_loaded: int
    rows_quarantined: int
    rows_inserted: int
    rows_revised: int
    rows_unchanged: int

    def as_dict(self) -> dict:
        return asdict(self)


def sync_catalog(con: duckdb.DuckDBPyConnection, catalog: Catalog) -> None:
    """Rewrite the catalog tables from the catalog so the warehouse always describes itself."""
    con.execute("delete from indicators")
    con.executemany(
        "insert into indicators values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            [
                i.code, i.name, i.definition, i.unit, i.value_type, i.min, i.max, i.frequency,
                i.topic, i.aggregation, i.tier, i.suppression_threshold, list(i.sex),
                list(i.age_group), i.geo_scope, list(i.geo_levels),
            ]
            for i in catalog.indicators.values()
        ],
    )  # fmt: skip
    con.execute("delete from geographies")
    con.register("catalog_places", pa.Table.from_pylist([vars(p) for p in catalog.places.values()]))
    con.execute("insert into geographies select code, name, level, parent from catalog_places")
    con.unregister("catalog_places")
    con.execute("delete from sources")
    con.executemany(
        "insert into sources (id, name, publisher, licence, url, type, demo) "
        "values (?, ?, ?, ?, ?, ?, ?)",
        [
            [s.id, s.name, s.publisher, s.licence, s.url, s.type, s.demo]
            for s in catalog.sources.values()
        ],
    )


def file_statuses(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Content hash -> best status of every file seen: a file is ingested once, by its bytes."""
    rows = con.execute(
        "select file_sha256, min(status) from batches where file_sha256 is not null group by all"
    ).fetchall()
    return dict(rows)  # 'loaded' sorts before 'rejected'


def last_new_data(con: duckdb.DuckDBPyConnection, adapter: str) -> datetime | None:
    """When content new to the warehouse last arrived from `adapter` (UTC), None if never."""
    [(when,)] = con.execute(sql("queries/last_new_data"), {"adapter": adapter}).fetchall()
    return when.replace(tzinfo=UTC) if when else None


def latest_period(con: duckdb.DuckDBPyConnection, adapter: str) -> date | None:
    """The end of the latest period `adapter`'s current observations cover, None if none."""
    [(end,)] = con.execute(sql("queries/latest_period"), {"adapter": adapter}).fetchall()
    return end


def load_batches(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    batches: list[Batch],
    catalog: Catalog,
    quarantine_retention: timedelta | None = None,
) -> list[BatchOutcome]:
    """Load every batch of one run in a single transaction: all of it lands, or none,
    together with the public cells it changes (warehouse/protection.py).

    Quarantined raw rows older than `quarantine_retention` are deleted in the same
    transaction: they may hold personal data, so engineers get them for a limited time only.
    """
    for batch in batches:
        extra = unexpected_columns(batch.accepted.column_names, CANONICAL_SCHEMA.names)
        if extra:
            # The last line of defence of the no-personal-data rule (DESIGN.md).
            raise ValueError(
                f"{batch.file_name}: column(s) {', '.join(extra)} are outside the canonical"
                " schema and may carry personal data; refusing to load"
            )
    now = datetime.now(UTC).replace(tzinfo=None)
    restricted = {i.code for i in catalog.indicators.values() if i.tier != "public"}
    outcomes = []
    con.execute("begin transaction")
    try:
        sync_catalog(con, catalog)
        for batch in batches:
            if not _loaded_before(con, batch):
                outcomes.append(_load_one(con, run_id, batch, now, restricted))
        # Suppression of the tables this run touched, in the same transaction, so the
        # protected public rows always match the observations and publishing only copies.
        protect(con)
        if quarantine_retention is not None:
            con.execute(
                "delete from quarantine where quarantined_at < ?", [now - quarantine_retention]
            )
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    return outcomes


def _loaded_before(con: duckdb.DuckDBPyConnection, batch: Batch) -> bool:
    """True when these exact bytes were loaded already, e.g. by a run that started at the same
    moment and so did not see it. Checked inside the load transaction, which only one writer
    holds at a time, so the same content is loaded and recorded once."""
    if batch.error or batch.file_sha256 is None:
        return False
    [(loaded,)] = con.execute(
        "select count(*) > 0 from batches where file_sha256 = ? and status = 'loaded'",
        [batch.file_sha256],
    ).fetchall()
    return loaded


def _capped(quarantined: pa.Table) -> pa.Table:
    """The rows with every raw copy within RAW_COPY_CHARS, still valid JSON."""
    raw = quarantined["raw"]
    long = pc.fill_null(pc.greater(pc.utf8_length(raw), RAW_COPY_CHARS), False)
    if not pc.any(long).as_py():
        return quarantined
    capped = [
        json.dumps({"truncated_from": len(text), "head": text[:RAW_COPY_CHARS]})
        if text is not None and len(text) > RAW_COPY_CHARS
        else text
        for text in raw.to_pylist()
    ]
    index = quarantined.schema.get_field_index("raw")
    return quarantined.set_column(index, "raw", pa.array(capped, pa.string()))


def _restricted_rows(batch: Batch, codes: set[str]) -> tuple[int, int]:
    """Rows of `batch` that belong to restricted-tier indicators: loaded, and quarantined
    (those whose raw text names such a code)."""
    if not codes:
        return 0, 0
    loaded = pc.sum(pc.is_in(batch.accepted["indicator_code"], pa.array(sorted(codes))))
    raw = batch.quarantined["raw"]
    quarantined = 0
    if len(raw):
        named = [pc.match_substring(raw, f'"{code}"') for code in sorted(codes)]
        quarantined = pc.sum(functools.reduce(pc.or_, named)).as_py() or 0
    return loaded.as_py() or 0, quarantined


def _retire_missing(
    con: duckdb.DuckDBPyConnection, sources: tuple[str, ...], now: datetime
) -> None:
    """Close what a re-issued source no longer states (inside _load_one, `staged` registered).

    The closed rows' batches are marked unprotected, so protection recomputes their tables
    even where the new edition inserted nothing.
    """
    params = {"now": now, "sources": list(sources)}
    retired = {row[0] for row in con.execute(sql("queries/retire_missing"), params).fetchall()}
    if retired:
        con.execute(
            "delete from protected_batches where list_contains(?, batch_id)", [sorted(retired)]
        )


def _load_one(
    con: duckdb.DuckDBPyConnection, run_id: str, batch: Batch, now: datetime, restricted: set[str]
) -> BatchOutcome:
    batch_id = uuid.uuid4().hex
    if batch.accepted.num_rows + batch.quarantined.num_rows != batch.rows_in:
        raise ValueError(
            f"{batch.file_name}: {batch.rows_in} rows in but {batch.accepted.num_rows} accepted"
            f" + {batch.quarantined.num_rows} quarantined; refusing to lose rows"
        )
    inserted = revised = 0
    if batch.accepted.num_rows:
        con.register("staged", batch.accepted.cast(CANONICAL_SCHEMA))
        try:
            params: dict[str, object] = {"now": now}
            revised = scalar(con, sql("queries/close_revised"), params)
            params |= {"run_id": run_id, "batch_id": batch_id}
            inserted = scalar(con, sql("queries/insert_new"), params)
            if batch.replaces:
                _retire_missing(con, batch.replaces, now)
        finally:
            con.unregister("staged")
    if batch.quarantined.num_rows:
        con.register("rejected", _capped(batch.quarantined.cast(QUARANTINE_SCHEMA)))
        try:
            con.execute(
                "insert into quarantine select ?, ?, ?, line, raw::json, reasons, ? from rejected",
                [run_id, batch_id, batch.file_name, now],
            )
        finally:
            con.unregister("rejected")
    if batch.error is None and batch.events is not None:
        replaced = batch.replaces if batch.accepted.num_rows else ()
        load_events(con, batch.events, run_id, now, replaced)
    if batch.error is None and batch.notes is not None:
        load_notes(con, batch.notes, now)
    outcome = BatchOutcome(
        batch_id=batch_id,
        adapter=batch.adapter,
        file_name=batch.file_name,
        file_sha256=batch.file_sha256,
        status="rejected" if batch.error else "loaded",
        error=batch.error,
        rows_in=batch.rows_in,
        rows_loaded=batch.accepted.num_rows,
        rows_quarantined=batch.quarantined.num_rows,
        rows_inserted=inserted - revised,
        rows_revised=revised,
        rows_unchanged=batch.accepted.num_rows - inserted,
    )
    con.execute(
        "insert into batches values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            batch_id, run_id, outcome.adapter, outcome.file_name, outcome.file_sha256,
            outcome.status, outcome.error, outcome.rows_in, outcome.rows_loaded,
            outcome.rows_quarantined, outcome.rows_inserted, outcome.rows_revised,
            outcome.rows_unchanged, now, *_restricted_rows(batch, restricted),
        ],
    )  # fmt: skip
    return outcome
