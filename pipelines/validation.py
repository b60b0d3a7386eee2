"""Validate a conformed batch with the catalog's rules and split it into load and quarantine."""

from __future__ import annotations

from datetime import date

import pyarrow as pa
import pyarrow.compute as pc

from expectations.gx_batch import ROW_ID, BatchReport, validate_frame
from expectations.observation_rules import PERIOD_DAY, catalog_columns, observation_rules
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
    table = batch.table
    # Only the columns rules read: GX copies the whole frame for every row-conditioned rule.
    # Text as pandas categoricals: GX filters rows by taking the frame, and taking
    # dictionary codes is far cheaper than taking strings.
    narrow = table.drop_columns(["_raw", "_line", "period_end", "source_type"])
    frame = pa.table(
        [pc.dictionary_encode(c) if pa.types.is_string(c.type) else c for c in narrow.columns],
        names=narrow.column_names,
    ).to_pandas()
    frame[ROW_ID] = range(len(frame))
    frame["period_start"] = frame["period_start"].astype("datetime64[s]")
    frame[PERIOD_DAY] = table["period_start"].cast(pa.int32()).cast(pa.float64()).to_pandas()
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
