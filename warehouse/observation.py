"""The canonical observation (DESIGN.md), declared once: columns, types, key, descriptions.

The loader's schema, the published and extract columns, the cell key and the API's column
lists derive from FIELDS. The table itself is DDL (warehouse/sql/migrations), so
tests/warehouse/test_observation.py fails when the migrated table, the published query or
the revision SQL differ from this declaration: changing a column means one edit here plus a
migration, and those tests name any SQL file that still lists the old columns.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa

from warehouse.catalog import AGE_GROUP, OBS_STATUS, SEX, SOURCE_TYPES, VERIFICATION

# Warehouse times are UTC stored without a zone; Arrow carries the zone so readers see UTC.
ARROW_TYPES = {
    "VARCHAR": pa.string(),
    "DATE": pa.date32(),
    "DOUBLE": pa.float64(),
    "TIMESTAMP": pa.timestamp("us", tz="UTC"),
}


@dataclass(frozen=True)
class Field:
    name: str
    sql: str  # DuckDB type, as information_schema.columns names it
    required: bool  # `not null` in the table
    conformed: bool  # adapters supply it; the others the loader records
    description: str

    @property
    def arrow(self) -> pa.DataType:
        return ARROW_TYPES[self.sql]


def _codes(vocabulary: dict[str, str]) -> str:
    return ", ".join(f"{code} {label.lower()}" for code, label in vocabulary.items())


# In table order.
FIELDS = (
    Field("indicator_code", "VARCHAR", True, True,
          "Stable dotted indicator code (indicators file)."),
    Field("geo_code", "VARCHAR", True, True,
          "ISO 3166-1 alpha-3 country or ISO 3166-2 province code (geographies file)."),
    Field("period_start", "DATE", True, True, "First day of the period."),
    Field("period_end", "DATE", True, True, "Last day of the period."),
    Field("frequency", "VARCHAR", True, True, "D daily, M monthly, Q quarterly, A annual."),
    Field("sex", "VARCHAR", True, True, f"SDMX sex code: {_codes(SEX)}."),
    Field("age_group", "VARCHAR", True, True, f"Age group code: {_codes(AGE_GROUP)}."),
    Field("value", "DOUBLE", False, True,
          "The figure, in the indicator's unit; empty when suppressed (S), not collected (M) "
          "or not observable (U)."),
    Field("lower", "DOUBLE", False, True, "Lower bound where the source gives one."),
    Field("upper", "DOUBLE", False, True, "Upper bound where the source gives one."),
    Field("obs_status", "VARCHAR", True, True,
          f"Why the value is what it is: {_codes(OBS_STATUS)}."),
    Field("source_id", "VARCHAR", True, True, "Who published the figure (sources file)."),
    Field("source_type", "VARCHAR", True, True,
          f"Kind of source: {', '.join(SOURCE_TYPES)}."),
    Field("verification", "VARCHAR", True, True, f"One of {', '.join(VERIFICATION)}."),
    Field("recorded_at", "TIMESTAMP", True, False, "When WPPI recorded this value (UTC)."),
    Field("superseded_at", "TIMESTAMP", False, False,
          "When a revision replaced this value (UTC); empty for current values, so filter on "
          "empty for the latest figures or on recorded_at/superseded_at for an earlier date."),
    Field("run_id", "VARCHAR", True, False, "The pipeline run that loaded the value."),
    Field("batch_id", "VARCHAR", True, False, "The file (batch) the value came from."),
)  # fmt: skip
BY_NAME = {f.name: f for f in FIELDS}

# One cell: at most one current row per key; a new value for it is a revision. In storage
# order, which is series order (indicator, place, sex, age group), then period and source.
KEY = ("indicator_code", "geo_code", "sex", "age_group", "period_start", "frequency", "source_id")
# Every version of a cell, in storage order: the row order of flat observation pages and of
# extract files (a total order, so every extract of a snapshot is byte-identical).
SORT_KEY = (*KEY, "recorded_at")
# The series part of the key: the columns before the period.
SERIES = KEY[: KEY.index("period_start")]

# What adapters conform every source to: the loader's input schema.
CANONICAL_SCHEMA = pa.schema([pa.field(f.name, f.arrow) for f in FIELDS if f.conformed])
# Columns of a published observation row (queries/observations.sql), in storage order: the
# series and its period first, then the rest in table order. Which run and file loaded a
# value stays out of API rows (extracts carry run_id for provenance).
_FIRST = (*SERIES, "period_start")
_NOT_SERVED = ("run_id", "batch_id")
PUBLISHED_COLUMNS = (
    *_FIRST,
    *(f.name for f in FIELDS if f.name not in _FIRST and f.name not in _NOT_SERVED),
)
