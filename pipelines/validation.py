"""Validate a conformed batch with the catalog's rules and split it into load and quarantine."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from expectations.distinct import combinations, validate_distinct
from expectations.gx_batch import ROW_ID, BatchReport, validate_frame
from expectations.observation_rules import (
    BATCH_COLUMN,
    KEY_COLUMNS,
    KEY_COPIES,
    PERIOD_DAY,
    catalog_columns,
    observation_rules,
)
from expectations.personal_data_rules import (
    JOINED,
    distinct_text,
    personal_data_rules,
    row_reasons,
)
from pipelines.batches import TRACE_COLUMNS, ConformedBatch, RawBatch
from pipelines.sources.declaration import QuarantinePolicy
from warehouse.catalog import Catalog
from warehouse.load import QUARANTINE_SCHEMA, Batch
from warehouse.observation import CANONICAL_SCHEMA
from warehouse.personal_data import file_label, unexpected_columns

LINES_NAMED = 10  # a rejection message names at most this many lines
HELD_BACK = "quarantine.rate_above_policy"  # the rule a held-back file's rows are quarantined by


def _quarantine(table: pa.Table, rows: list[int], reasons: list[list[str]]) -> pa.Table:
    """The one way quarantine rows are built: the given rows' line and raw record, with their
    reasons (one list per row)."""
    if not rows:
        return QUARANTINE_SCHEMA.empty_table()
    taken = pa.array(rows, pa.int64())
    return pa.table(
        {"line": table["_line"].take(taken), "raw": table["_raw"].take(taken), "reasons": reasons},
        schema=QUARANTINE_SCHEMA,
    )


def rejected_batch(raw: RawBatch) -> Batch:
    """A file rejected whole: every record it had goes to quarantine with the file's reason."""
    rows = raw.records.num_rows
    quarantined = _quarantine(raw.records, list(range(rows)), [[f"file: {raw.error}"]] * rows)
    return Batch(
        adapter=raw.adapter,
        file_name=raw.file_name,
        file_sha256=raw.file_sha256,
        rows_in=raw.rows_in,
        quarantined=pa.concat_tables([raw.malformed, quarantined]),
        error=raw.error,
    )


def _reject_conformed(
    batch: ConformedBatch, error: str, reasons: dict[int, list[str]], file_name: str | None
) -> Batch:
    """Reject a conformed batch whole: every row to quarantine, nothing loads."""
    rows = range(batch.table.num_rows)
    quarantined = _quarantine(
        batch.table, list(rows), [[*reasons.get(i, []), f"file: {error}"] for i in rows]
    )
    return Batch(
        adapter=batch.raw.adapter,
        file_name=file_name,
        file_sha256=batch.raw.file_sha256,
        rows_in=batch.raw.rows_in,
        quarantined=pa.concat_tables([batch.raw.malformed, quarantined]),
        error=error,
    )


def _reject_personal_data(batch: ConformedBatch, reasons: dict[int, list[str]]) -> Batch:
    """Reject a batch in which the guard found personal data, naming lines and kinds only,
    and the file by a digest of its name (which may hold the same data)."""
    table = batch.table
    label = file_label(batch.raw.file_name)
    name = label or batch.raw.adapter
    rows = sorted(reasons)
    lines = table["_line"].take(rows[:LINES_NAMED]).to_pylist()
    more = f" and {len(rows) - LINES_NAMED} more" if len(rows) > LINES_NAMED else ""
    kinds = sorted(
        {reason.rsplit("[", 1)[-1].rstrip("]") for r in reasons.values() for reason in r}
    )
    error = (
        f"{name}: line(s) {', '.join(map(str, lines))}{more}: personal data "
        f"({', '.join(kinds)}); the whole file is rejected and nothing of it is stored"
    )
    return _reject_conformed(batch, error, reasons, label)


def _per_batch(reasons: dict[int, list[str]], tables: list[pa.Table]) -> list[dict[int, list[str]]]:
    """Split row reasons of a concatenation of `tables` back into each table's own rows."""
    split, offset = [], 0
    for table in tables:
        end = offset + table.num_rows
        split.append({row - offset: found for row, found in reasons.items() if offset <= row < end})
        offset = end
    return split


def screen_personal_data(batch: ConformedBatch) -> tuple[Batch | None, BatchReport]:
    """The no-personal-data guard for one batch: a rejected Batch, or None when it may go on."""
    [rejected], report = screen_batches([batch])
    return rejected, report


def screen_batches(items: list[ConformedBatch]) -> tuple[list[Batch | None], BatchReport]:
    """The no-personal-data guard, one GX run for all of a source's files.

    A column outside the canonical schema or any text field shaped like personal data
    rejects that whole file. Messages name lines and kinds, never the values: they reach
    the batches table, Dagster metadata and the terminal.
    """
    outcomes: list[Batch | None] = [None] * len(items)
    clean = []
    for index, item in enumerate(items):
        extra = unexpected_columns(
            item.table.column_names, [*CANONICAL_SCHEMA.names, *TRACE_COLUMNS]
        )
        if extra:
            label = file_label(item.raw.file_name)
            name = label or item.raw.adapter
            error = (
                f"{name}: the adapter kept column(s) {', '.join(extra)} outside the canonical "
                "schema; a column that is not mapped may carry personal data, so nothing is stored"
            )
            outcomes[index] = _reject_conformed(item, error, {}, label)
        else:
            clean.append(index)
    tables = [items[i].table for i in clean]
    if not tables:
        return outcomes, BatchReport(rows=0)
    values, fields = distinct_text(pa.concat_tables(tables))
    frame = pd.DataFrame({JOINED: values, ROW_ID: range(len(values))})
    report = validate_frame(frame, personal_data_rules(), "personal_data")
    found = row_reasons(fields, report.reasons)
    report.rows, report.reasons = sum(t.num_rows for t in tables), found
    for result in report.results:  # GX counted values; a check counts rows
        tag = f"[{result.rule}]"
        result.failed_rows = sum(any(tag in r for r in rs) for rs in found.values())
    for index, reasons in zip(clean, _per_batch(found, tables), strict=True):
        if reasons:
            outcomes[index] = _reject_personal_data(items[index], reasons)
    return outcomes, report


def validate_batch(
    batch: ConformedBatch, catalog: Catalog, today: date
) -> tuple[Batch, BatchReport]:
    """Screen one batch for personal data, then run the observation rules on it."""
    batches, report = validate_batches([batch], catalog, today)
    return batches[0], report


def validate_batches(
    items: list[ConformedBatch],
    catalog: Catalog,
    today: date,
    policy: QuarantinePolicy | None = None,
) -> tuple[list[Batch], BatchReport]:
    """Screen every file for personal data, then run the observation rules on the rest.

    Personal data rejects a whole file; rows failing an observation rule go to quarantine,
    and a file that breaches its source's quarantine `policy` is held back whole.
    """
    screened, personal = screen_batches(items)
    passed = [item for item, rejected in zip(items, screened, strict=True) if rejected is None]
    checked, report = _check_rows(passed, catalog, today, policy)
    remaining = iter(checked)
    batches = [rejected or next(remaining) for rejected in screened]
    report.results.extend(personal.failed_rules)
    return batches, report


def _check_rows(
    items: list[ConformedBatch], catalog: Catalog, today: date, policy: QuarantinePolicy | None
) -> tuple[list[Batch], BatchReport]:
    """Validate several files' batches in one GX run, then split them back per file.

    GX costs about a second per run whatever the row count, so a source delivering many
    small files is validated together; BATCH_COLUMN keeps the key rule per file.
    """
    tables = [item.table for item in items]
    combined = pa.concat_tables(tables) if tables else None
    if combined is None:
        return [], BatchReport(rows=0)
    # Only the columns rules read: GX copies the whole frame for every row-conditioned rule.
    # Text as pandas categoricals: GX filters rows by taking the frame, and taking
    # dictionary codes is far cheaper than taking strings.
    narrow = combined.drop_columns(["_raw", "_line", "period_end", "source_type"])
    frame = pa.table(
        [pc.dictionary_encode(c) if pa.types.is_string(c.type) else c for c in narrow.columns],
        names=narrow.column_names,
    ).to_pandas()
    frame[ROW_ID] = range(len(frame))
    sizes = [table.num_rows for table in tables]
    frame[BATCH_COLUMN] = pd.Series(range(len(tables))).repeat(sizes).to_numpy()
    frame["period_start"] = frame["period_start"].astype("datetime64[s]")
    days = combined["period_start"].cast(pa.int32()).cast(pa.float64())
    frame[PERIOD_DAY] = days.to_pandas()
    frame = frame.assign(**catalog_columns(catalog, frame))
    keys, _ = combinations(frame, KEY_COLUMNS)
    frame[KEY_COPIES] = np.bincount(keys)[keys]
    suite = items[0].raw.adapter if len(items) == 1 else f"{items[0].raw.adapter}-files"
    report = validate_distinct(frame, observation_rules(catalog, today), suite)
    split = _per_batch(report.reasons, tables)
    return [
        _split(item, reasons, policy) for item, reasons in zip(items, split, strict=True)
    ], report


def _split(
    batch: ConformedBatch, reasons: dict[int, list[str]], policy: QuarantinePolicy | None
) -> Batch:
    """Rows named in `reasons` go to quarantine with them; the rest are accepted, unless the
    file breaches its source's quarantine policy: then nothing of it loads."""
    table = batch.table
    found = [*reasons.values(), *batch.raw.malformed["reasons"].to_pylist()]
    breach = policy.breach(found, batch.raw.rows_in) if policy else None
    if breach:
        name = batch.raw.file_name or batch.raw.adapter
        error = f"{name}: {breach}; the file is held back whole [{HELD_BACK}]"
        return _reject_conformed(batch, error, reasons, batch.raw.file_name)
    failed = sorted(reasons)
    passed = np.ones(table.num_rows, dtype=bool)
    passed[failed] = False
    return Batch(
        adapter=batch.raw.adapter,
        file_name=batch.raw.file_name,
        file_sha256=batch.raw.file_sha256,
        rows_in=batch.raw.rows_in,
        accepted=table.select(CANONICAL_SCHEMA.names).filter(pa.array(passed)),
        quarantined=pa.concat_tables(
            [batch.raw.malformed, _quarantine(table, failed, [reasons[r] for r in failed])]
        ),
        events=batch.events,
        notes=batch.notes,
        replaces=batch.replaces,
    )
