"""Validate a conformed batch with the catalog's rules and split it into load and quarantine."""

from __future__ import annotations

from datetime import date

import pyarrow as pa
import pyarrow.compute as pc

from expectations.gx_batch import ROW_ID, BatchReport, validate_frame
from expectations.observation_rules import BATCH_COLUMN, catalog_columns, observation_rules
from pipelines.batches import ConformedBatch, RawBatch
from warehouse.catalog import Catalog
from warehouse.load import CANONICAL_SCHEMA, QUARANTINE_SCHEMA, Batch


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


def validate_batch(
    batch: ConformedBatch, catalog: Catalog, today: date
) -> tuple[Batch, BatchReport]:
    """Run the observation rules on one batch; rows failing any rule go to quarantine."""
    batches, report = validate_batches([batch], catalog, today)
    return batches[0], report


def validate_batches(
    items: list[ConformedBatch], catalog: Catalog, today: date
) -> tuple[list[Batch], BatchReport]:
    """Validate several files' batches in one GX run, then split them back per file.

    GX costs about a second per run whatever the row count, so a source delivering many
    small files is validated together; BATCH_COLUMN keeps the key rule per file.
    """
    tables = [item.table for item in items]
    combined = pa.concat_tables(tables) if tables else None
    if combined is None:
        return [], BatchReport(rows=0)
    frame = combined.drop_columns(["_raw"]).to_pandas()
    frame[ROW_ID] = range(len(frame))
    frame[BATCH_COLUMN] = [n for n, table in enumerate(tables) for _ in range(table.num_rows)]
    frame["period_start"] = frame["period_start"].astype("datetime64[s]")
    frame = frame.assign(**catalog_columns(catalog, frame))
    suite = items[0].raw.adapter if len(items) == 1 else f"{items[0].raw.adapter}-files"
    report = validate_frame(frame, observation_rules(catalog, today), suite)
    batches, offset = [], 0
    for item, table in zip(items, tables, strict=True):
        reasons = {
            row - offset: found
            for row, found in report.reasons.items()
            if offset <= row < offset + table.num_rows
        }
        batches.append(_split(item, reasons))
        offset += table.num_rows
    return batches, report


def _split(batch: ConformedBatch, reasons: dict[int, list[str]]) -> Batch:
    """Rows named in `reasons` go to quarantine with them; the rest are accepted."""
    table = batch.table
    failed = pa.array(sorted(reasons), pa.int64())
    passed = pc.invert(pc.is_in(pa.array(range(table.num_rows)), failed))
    quarantined = pa.table(
        {
            "line": table["_line"].take(failed),
            "raw": table["_raw"].take(failed),
            "reasons": [reasons[row] for row in failed.to_pylist()],
        },
        schema=QUARANTINE_SCHEMA,
    )
    accepted = table.filter(passed).select(CANONICAL_SCHEMA.names)
    return Batch(
        adapter=batch.raw.adapter,
        file_name=batch.raw.file_name,
        file_sha256=batch.raw.file_sha256,
        rows_in=batch.raw.rows_in,
        accepted=accepted,
        quarantined=pa.concat_tables([batch.raw.malformed, quarantined]),
    )
