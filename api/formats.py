"""One table, four encodings: JSON (default), CSV (streamed), Parquet and SDMX-CSV 2.0.

A handler builds a `Table` once; whichever format a client asks for is an encoding of the
same rows, so every format carries the same data (tests/api/test_formats.py checks it).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from api.responses import dumps

MEDIA_TYPES = {
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
    "parquet": "application/vnd.apache.parquet",
    "sdmx-csv": "application/vnd.sdmx.data+csv; version=2.0.0; charset=utf-8",
    "hxl": "text/csv; charset=utf-8",  # CSV with a row of HXL hashtags (api/hxl.py)
}
# Accept header media ranges a client may send for each format.
_ACCEPTED = {
    "application/json": "json",
    "text/csv": "csv",
    "application/vnd.apache.parquet": "parquet",
    "application/x-parquet": "parquet",
    "application/vnd.sdmx.data+csv": "sdmx-csv",
}
# SDMX-CSV 2.0: structure columns, then dimensions, the measure and attributes.
SDMX_STRUCTURE_ID = "WPPI:DF_WPPI(1.0)"
SDMX_COLUMNS = {
    "indicator_code": "INDICATOR",
    "geo_code": "REF_AREA",
    "sex": "SEX",
    "age_group": "AGE",
    "period": "TIME_PERIOD",
    "value": "OBS_VALUE",
    "obs_status": "OBS_STATUS",
    "lower": "LOWER_BOUND",
    "upper": "UPPER_BOUND",
    "source_id": "SOURCE",
    "demo": "DEMO",  # attribute: true for invented demonstration figures
}
_CSV_CHUNK_ROWS = 1000


@dataclass
class Table:
    """Rows with named columns, the JSON body that presents them, and a `next` page link."""

    columns: tuple[str, ...]
    rows: list[tuple]
    json_body: Callable[[], Any]
    next: str | None = None
    encoded: dict[str, bytes] = field(default_factory=dict)  # filled lazily, per format


def negotiate(format_param: str | None, accept: str | None, offered: tuple[str, ...]) -> str:
    """`format=` wins; else the first offered media type the Accept header names; else JSON."""
    if format_param:
        return format_param
    for item in (accept or "").split(","):
        media = item.split(";")[0].strip().lower()
        if _ACCEPTED.get(media) in offered:
            return _ACCEPTED[media]
    return "json"


def text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return "|".join(text(item) for item in value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def csv_lines(header: list[str], rows: list[list[str]]) -> Iterator[bytes]:
    """CSV in chunks, so a large page starts flowing before it is all encoded."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for start in range(0, len(rows), _CSV_CHUNK_ROWS):
        writer.writerows(rows[start : start + _CSV_CHUNK_ROWS])
        yield buffer.getvalue().encode("utf-8")
        buffer.seek(0)
        buffer.truncate()
    tail = buffer.getvalue()
    if tail:
        yield tail.encode("utf-8")


def csv_chunks(table: Table) -> Iterator[bytes]:
    return csv_lines(list(table.columns), [[text(v) for v in row] for row in table.rows])


def sdmx_chunks(table: Table) -> Iterator[bytes]:
    """SDMX-CSV 2.0 rows: STRUCTURE, STRUCTURE_ID, ACTION, then the mapped columns."""
    names = [name for name in SDMX_COLUMNS if name in table.columns]
    index = [table.columns.index(name) for name in names]
    header = ["STRUCTURE", "STRUCTURE_ID", "ACTION", *(SDMX_COLUMNS[n] for n in names)]
    rows = [
        ["dataflow", SDMX_STRUCTURE_ID, "I", *(text(row[i]) for i in index)] for row in table.rows
    ]
    return csv_lines(header, rows)


def parquet_bytes(table: Table) -> bytes:
    columns = {name: [row[i] for row in table.rows] for i, name in enumerate(table.columns)}
    arrow = (
        pa.table(columns)
        if table.rows
        else pa.table({n: pa.array([], pa.null()) for n in table.columns})
    )
    sink = io.BytesIO()
    pq.write_table(arrow, sink)
    return sink.getvalue()


def encode(table: Table, fmt: str) -> bytes:
    """A JSON or Parquet body, kept on the table so a cached table is encoded once."""
    if fmt not in table.encoded:
        table.encoded[fmt] = dumps(table.json_body()) if fmt == "json" else parquet_bytes(table)
    return table.encoded[fmt]


def stream(table: Table, fmt: str) -> Iterator[bytes]:
    """CSV, SDMX-CSV or HXL-tagged CSV, streamed in chunks."""
    from api.hxl import hxl_chunks  # api.hxl builds on this module's CSV writer

    return {"csv": csv_chunks, "sdmx-csv": sdmx_chunks, "hxl": hxl_chunks}[fmt](table)


def records_table(
    records: list[dict],
    columns: tuple[str, ...] | None = None,
    flatten: dict[str, Callable[[Any], Any]] | None = None,
    body: Callable[[], Any] | None = None,
) -> Table:
    """A table of catalog-like records; JSON is `{"data": records}` unless `body` is given.

    `flatten` turns nested values (lists of objects) into one cell for the tabular formats.
    """
    columns = columns or (tuple(records[0]) if records else ())
    flatten = flatten or {}
    rows = [tuple(flatten.get(c, _same)(record[c]) for c in columns) for record in records]
    return Table(columns, rows, body or (lambda: {"data": records}))


def _same(value: Any) -> Any:
    return value
