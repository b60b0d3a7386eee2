"""Validate a conformed batch with the catalog's rules and split it into load and quarantine."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from expectations.gx_batch import ROW_ID, BatchReport, validate_frame
from expectations.observation_rules import catalog_columns, observation_rules
from expectations.personal_data_rules import JOINED, joined_text, personal_data_rules
from pipelines.batches import TRACE_COLUMNS, ConformedBatch, RawBatch
from warehouse.catalog import Catalog
from warehouse.load import CANONICAL_SCHEMA, QUARANTINE_SCHEMA, Batch
from warehouse.personal_data import unexpected_columns

LINES_NAMED = 10  # a rejection message names at most this many lines


def rejected_batch(raw: RawBatch) -> Batch:
    """A file rejected whole: every record it had goes to quarantine with the file's reason."""
    records = raw.records
    reasons = [[f"file: {raw.error}"]] * records.num_rows
    quarantined = pa.table(
        {"line": records["_line"], "raw": records["_raw"], "reasons": reasons},
        schema=QUARANTINE_SCHEMA,
    ) if records.num_rows else QUARANTINE_SCHEMA.empty_table()  # fmt: skip
    return Batch(
        adapter=raw.adapter,
        file_name=raw.file_name,
        file_sha256=raw.file_sha256,
        rows_in=raw.rows_in,
        quarantined=pa.concat_tables([raw.malformed, quarantined]),
        error=raw.error,
    )


def _reject_conformed(batch: ConformedBatch, error: str, reasons: dict[int, list[str]]) -> Batch:
    """Reject a conformed batch whole: every row to quarantine, nothing loads."""
    table = batch.table
    quarantined = pa.table(
        {
            "line": table["_line"],
            "raw": table["_raw"],
            "reasons": [[*reasons.get(i, []), f"file: {error}"] for i in range(table.num_rows)],
        },
        schema=QUARANTINE_SCHEMA,
    )
    return Batch(
        adapter=batch.raw.adapter,
        file_name=batch.raw.file_name,
        file_sha256=batch.raw.file_sha256,
        rows_in=batch.raw.rows_in,
        quarantined=pa.concat_tables([batch.raw.malformed, quarantined]),
        error=error,
    )


def screen_personal_data(batch: ConformedBatch) -> tuple[Batch | None, BatchReport]:
    """The no-personal-data guard: a rejected Batch, or None when the batch may go on.

    A column outside the canonical schema or any text field shaped like personal data
    rejects the whole batch. Messages name lines and kinds, never the values: they reach
    the batches table, Dagster metadata and the terminal.
    """
    table = batch.table
    name = batch.raw.file_name or batch.raw.adapter
    extra = unexpected_columns(table.column_names, [*CANONICAL_SCHEMA.names, *TRACE_COLUMNS])
    if extra:
        error = (
            f"{name}: the adapter kept column(s) {', '.join(extra)} outside the canonical "
            "schema; a column that is not mapped may carry personal data, so nothing is stored"
        )
        return _reject_conformed(batch, error, {}), BatchReport(rows=table.num_rows)
    frame = pd.DataFrame({JOINED: joined_text(table).to_pandas(), ROW_ID: range(table.num_rows)})
    report = validate_frame(frame, personal_data_rules(), "personal_data")
    if not report.reasons:
        return None, report
    rows = sorted(report.reasons)
    lines = table["_line"].take(rows[:LINES_NAMED]).to_pylist()
    more = f" and {len(rows) - LINES_NAMED} more" if len(rows) > LINES_NAMED else ""
    kinds = sorted({r.rule for r in report.failed_rules})
    error = (
        f"{name}: line(s) {', '.join(map(str, lines))}{more}: personal data "
        f"({', '.join(kinds)}); the whole file is rejected and nothing of it is stored"
    )
    return _reject_conformed(batch, error, report.reasons), report


def validate_batch(
    batch: ConformedBatch, catalog: Catalog, today: date
) -> tuple[Batch, BatchReport]:
    """Screen one batch for personal data, then run the observation rules on it.

    Rows failing any observation rule go to quarantine; personal data rejects the batch.
    """
    rejected, report = screen_personal_data(batch)
    if rejected is not None:
        return rejected, report
    table = batch.table
    frame = table.drop_columns(["_raw"]).to_pandas()
    frame[ROW_ID] = range(len(frame))
    frame["period_start"] = frame["period_start"].astype("datetime64[s]")
    frame = frame.assign(**catalog_columns(catalog, frame))
    report = validate_frame(frame, observation_rules(catalog, today), f"{batch.raw.adapter}")
    failed = pa.array(sorted(report.reasons), pa.int64())
    passed = pc.invert(pc.is_in(pa.array(range(table.num_rows)), failed))
    quarantined = pa.table(
        {
            "line": table["_line"].take(failed),
            "raw": table["_raw"].take(failed),
            "reasons": [report.reasons[row] for row in failed.to_pylist()],
        },
        schema=QUARANTINE_SCHEMA,
    )
    accepted = table.filter(passed).select(CANONICAL_SCHEMA.names)
    return (
        Batch(
            adapter=batch.raw.adapter,
            file_name=batch.raw.file_name,
            file_sha256=batch.raw.file_sha256,
            rows_in=batch.raw.rows_in,
            accepted=accepted,
            quarantined=pa.concat_tables([batch.raw.malformed, quarantined]),
        ),
        report,
    )
