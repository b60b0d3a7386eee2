"""The columns of every extract file: Arrow types for Parquet, descriptions for the manifest.

Bump SCHEMA_VERSION whenever a column is added, removed, renamed or retyped, so researchers'
scripts can tell extracts apart.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa

from warehouse.catalog import SOURCE_TYPES
from warehouse.observation import ARROW_TYPES, BY_NAME

# 3: observations carry period, names, licence and UTC-aware times; list columns are
# |-separated text and sizes are `wppi_bytes`, not `bytes` (frictionless can check neither
# lists nor `bytes` in Parquet); observations and sources carry `demo`.
SCHEMA_VERSION = "3"
_UTC = ARROW_TYPES["TIMESTAMP"]


@dataclass(frozen=True)
class Column:
    name: str
    arrow: pa.DataType
    description: str
    required: bool = False


def _declared(name: str) -> Column:
    """A column the canonical observation declares, with its type and description."""
    field = BY_NAME[name]
    return Column(name, field.arrow, field.description, field.required)


# The published columns (warehouse/observation.py) with the names, period label, licence and
# demo flag a reader would otherwise join in, so one file stands alone.
EXTRACT_OBSERVATION_COLUMNS = (
    _declared("indicator_code"),
    Column("indicator_name", pa.string(), "The indicator's English name.", True),
    _declared("geo_code"),
    Column("geo_name", pa.string(), "The place's English name (ISO 3166, via pycountry).", True),
    Column("period", pa.string(),
           "The period as the API labels it: 2022, 2022-Q1, 2022-03 or 2022-03-15.", True),
    *map(_declared, ("period_start", "period_end", "frequency", "sex", "age_group", "value",
                     "lower", "upper", "obs_status", "source_id")),
    Column("licence", pa.string(), "SPDX licence of the figure (its source's).", True),
    *map(_declared, ("source_type", "verification", "recorded_at", "superseded_at", "run_id")),
    Column("demo", pa.bool_(), "True when the value is invented demonstration data (a source "
           "marked demo), never a measurement.", True),
)  # fmt: skip

INDICATOR_COLUMNS = (
    Column("code", pa.string(), "Stable dotted indicator code.", True),
    Column("name", pa.string(), "Short name.", True),
    Column("definition", pa.string(), "What is counted or measured.", True),
    Column("unit", pa.string(), "Unit of value, lower and upper.", True),
    Column("value_type", pa.string(), "count, percent, ordinal, binary or index.", True),
    Column("min_value", pa.float64(), "Smallest valid value.", True),
    Column("max_value", pa.float64(), "Largest valid value.", True),
    Column("frequency", pa.string(), "Native frequency: D, M, Q or A.", True),
    Column("topic", pa.string(), "Topic the indicator belongs to.", True),
    Column("aggregation", pa.string(), "How finer periods combine: sum, mean or last.", True),
    Column("tier", pa.string(), "public, or restricted (never in a public extract).", True),
    Column(
        "suppression_threshold",
        pa.int32(),
        "Province-level counts from 1 to below this are suppressed (obs_status S).",
        True,
    ),
    Column("sex", pa.string(), "Sex codes the indicator is reported by, |-separated.", True),
    Column("age_group", pa.string(), "Age groups it is reported by, |-separated.", True),
    Column("geo_scope", pa.string(), "AFG (Afghanistan) or world.", True),
    Column("geo_levels", pa.string(), "Place levels (country, province), |-separated.", True),
)

GEOGRAPHY_COLUMNS = (
    Column("code", pa.string(), "ISO 3166-1 alpha-3 or ISO 3166-2 code.", True),
    Column("name", pa.string(), "English name (ISO 3166, via pycountry).", True),
    Column("level", pa.string(), "country or province.", True),
    Column("parent", pa.string(), "The country a province belongs to; empty for countries."),
)

SOURCE_COLUMNS = (
    Column("id", pa.string(), "Source id used in observations.source_id.", True),
    Column("name", pa.string(), "Name of the source.", True),
    Column("publisher", pa.string(), "Who publishes it (reporters' identities withheld).", True),
    Column("licence", pa.string(), "SPDX licence id of its figures.", True),
    Column("url", pa.string(), "Where the source is described.", True),
    Column("type", pa.string(), f"Kind of source: {', '.join(SOURCE_TYPES)}.", True),
    Column("demo", pa.bool_(), "True for a source of invented demonstration figures.", True),
)

_CITATION = (
    Column("citation_url", pa.string(), "Address of the cited page."),
    Column("citation_publisher", pa.string(), "Site or outlet the cited page belongs to."),
    Column("citation_title", pa.string(), "Title of the page (bracketed: a curator's label)."),
    Column("citation_date", pa.string(), "Publication date of the page (YYYY-MM-DD or YYYY-MM)."),
    Column("evidence", pa.string(), "Quotation of at most 25 words from the page."),
)

EVENT_COLUMNS = (
    Column("id", pa.string(), "Stable id of the decree or order.", True),
    Column("date_announced", pa.string(), "When it was made public (YYYY-MM-DD or YYYY-MM).", True),
    Column(
        "date_effective",
        pa.string(),
        "When it took effect, if known; may precede the announcement.",
    ),
    Column(
        "effective_on",
        pa.date32(),
        "First day it applied: date_effective, else "
        "date_announced (a month-only date: the month's first day).",
        True,
    ),
    Column("issuer", pa.string(), "The authority that issued or announced it.", True),
    Column(
        "domain", pa.string(), "What it restricts (movement, education, employment, ...).", True
    ),
    Column("scope", pa.string(), "AFG for a national decree, else its province code.", True),
    Column("summary", pa.string(), "What it ordered, in the curator's words.", True),
    *_CITATION,
    Column("source_id", pa.string(), "Source id (sources.parquet).", True),
    Column("recorded_at", _UTC, "When this version was loaded (UTC).", True),
    Column("superseded_at", _UTC, "When a later edition replaced this version (UTC)."),
)

POINT_NOTE_COLUMNS = (
    Column("indicator_code", pa.string(), "Indicator of the noted point.", True),
    Column("geo_code", pa.string(), "Place of the noted point.", True),
    Column("period_start", pa.date32(), "First day of the noted point's period.", True),
    Column("frequency", pa.string(), "Frequency of the noted point.", True),
    Column("sex", pa.string(), "Sex of the noted point.", True),
    Column("age_group", pa.string(), "Age group of the noted point.", True),
    Column("source_id", pa.string(), "Source of the noted point.", True),
    Column(
        "basis",
        pa.string(),
        "Ids of the decrees (events.parquet) that set a derived point, |-separated.",
    ),
    *_CITATION,
)

# Table Schema (frictionless) field types for the Arrow types used above.
_TABLE_SCHEMA_TYPES = {
    pa.string(): "string",
    pa.float64(): "number",
    pa.int32(): "integer",
    pa.date32(): "date",
    _UTC: "datetime",
    pa.bool_(): "boolean",
}


def arrow_schema(columns: tuple[Column, ...]) -> pa.Schema:
    return pa.schema([pa.field(c.name, c.arrow, nullable=not c.required) for c in columns])


def table_schema(columns: tuple[Column, ...], primary_key: list[str] | None = None) -> dict:
    """The Table Schema of a file for datapackage.json."""
    fields = []
    for column in columns:
        kind = _TABLE_SCHEMA_TYPES[column.arrow]
        field: dict[str, object] = {
            "name": column.name,
            "type": kind,
            "description": column.description,
        }
        if column.required:
            field["constraints"] = {"required": True}
        fields.append(field)
    schema: dict = {"fields": fields}
    if primary_key:
        schema["primaryKey"] = primary_key
    return schema
