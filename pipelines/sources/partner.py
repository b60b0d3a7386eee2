"""Partner submissions: CSV files in our template, dropped into the partner landing folder.

The header is fixed (docs/partner-format.md); columns may come in any order but none may be
missing or added, since an unknown column may carry personal data.
"""

from __future__ import annotations

import csv
import hashlib
import io
import math
from functools import partial
from pathlib import Path

import orjson
import pyarrow as pa
import pyarrow.compute as pc

from pipelines.batches import TRACE_COLUMNS, ConformedBatch, FileRejected, RawBatch
from pipelines.sources.plain_csv import read_plain
from warehouse.catalog import Catalog
from warehouse.load import CANONICAL_SCHEMA, QUARANTINE_SCHEMA
from warehouse.periods import parse_period

ADAPTER = "partner"
HEADER = ("indicator_code", "geo_code", "period", "sex", "age_group", "value", "lower",
          "upper", "obs_status", "source_id", "verification")  # fmt: skip
DEFAULTS = {"sex": "_T", "age_group": "_T", "obs_status": "A", "verification": "single_source"}


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _decode(path: Path, data: bytes) -> str:
    if data[:2] == b"\x1f\x8b":
        raise FileRejected(f"{path.name}: is gzip-compressed; unpack it and submit the CSV")
    if b"\x00" in data:
        raise FileRejected(f"{path.name}: is a binary file (or UTF-16), not a UTF-8 CSV")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise FileRejected(
            f"{path.name}: line {line}: byte 0x{data[exc.start]:02x} is not UTF-8; "
            "save the file as UTF-8 CSV"
        ) from None


def _header_problem(path: Path, names: list[str]) -> str | None:
    missing = [name for name in HEADER if name not in names]
    extra = [name for name in names if name not in HEADER]
    problems = []
    if missing:
        problems.append(f"missing column(s) {', '.join(missing)}")
    if extra:
        problems.append(f"unknown column(s) {', '.join(extra)}")
    if len(set(names)) != len(names):
        problems.append("a column is named twice")
    if not problems:
        return None
    return f"{path.name}: line 1: header has {'; '.join(problems)}; expected {','.join(HEADER)}"


def read_partner_file(path: Path) -> RawBatch:
    """Read one partner CSV into text records with their line numbers.

    Raises FileRejected (naming file and line) when the bytes are not a CSV at all. A file
    with the wrong header is read too, so its rows can go to quarantine under the file's
    reason instead of vanishing.
    """
    data = path.read_bytes()
    text = _decode(path, data)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
        if header is None:
            raise FileRejected(f"{path.name}: is empty; expected the header {','.join(HEADER)}")
        names = [name.strip() for name in header]
        problem = _header_problem(path, names)
        columns = ("_line", "_raw") if problem else (*HEADER, "_line", "_raw")
        # The common case, a plain file, is read column-wise by pyarrow (many times faster).
        records = None if problem else read_plain(data, names)
        malformed = []
        if records is None:
            records, malformed = _read_rows(reader, names, problem, columns)
    except csv.Error as exc:
        raise FileRejected(f"{path.name}: line {reader.line_num}: {exc}") from None
    schema = _records_schema(columns)
    return RawBatch(
        adapter=ADAPTER,
        file_name=path.name,
        file_sha256=hashlib.sha256(data).hexdigest(),
        records=records.select(columns).cast(schema),
        malformed=pa.Table.from_pylist(malformed, schema=QUARANTINE_SCHEMA),
        error=problem,
    )


def _read_rows(reader, names: list[str], problem: str | None, columns) -> tuple[pa.Table, list]:
    """Records (and rows with the wrong field count) from the csv module, row by row."""
    records: dict[str, list] = {name: [] for name in columns}
    malformed = []
    line = reader.line_num + 1
    for fields in reader:
        if fields:
            raw = orjson.dumps(dict(zip(names, fields, strict=False))).decode()
            if not problem and len(fields) != len(names):
                reason = f"row: has {len(fields)} fields, the header has {len(names)}"
                malformed.append({"line": line, "raw": raw, "reasons": [reason]})
            else:
                if not problem:
                    for name, value in zip(names, fields, strict=True):
                        records[name].append(value.strip())
                records["_line"].append(line)
                records["_raw"].append(raw)
        line = reader.line_num + 1
    return pa.table(records, schema=_records_schema(columns)), malformed


def _records_schema(columns) -> pa.Schema:
    return pa.schema([(c, pa.int64() if c == "_line" else pa.string()) for c in columns])


def _number(text: str | None) -> float | None:
    if not text:
        return None
    try:
        number = float(text)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _by_value(column: pa.ChunkedArray, mapping, type_: pa.DataType) -> pa.Array:
    """Apply a Python function once per distinct value (periods, sources, numbers repeat)."""
    encoded = pc.dictionary_encode(column.combine_chunks())
    mapped = pa.array([mapping(v) for v in encoded.dictionary.to_pylist()], type_)
    return mapped.take(encoded.indices)


def _period_part(part: str, text: str):
    """One part (start, end, frequency) of a period; None when it is not a period."""
    try:
        return getattr(parse_period(text), part)
    except ValueError:
        return None


def conform_partner(batch: RawBatch, catalog: Catalog) -> ConformedBatch:
    """Map template columns onto the canonical observation; unparseable fields become null."""
    records = batch.records
    out = {name: records[name] for name in ("indicator_code", "geo_code", "source_id")}
    for name, default in DEFAULTS.items():
        out[name] = pc.if_else(pc.equal(records[name], ""), default, records[name])
    for column, part, type_ in (("period_start", "start", pa.date32()),
                                ("period_end", "end", pa.date32()),
                                ("frequency", "frequency", pa.string())):  # fmt: skip
        out[column] = _by_value(records["period"], partial(_period_part, part), type_)
    source_type = {s.id: s.type for s in catalog.sources.values()}.get
    out["source_type"] = _by_value(records["source_id"], source_type, pa.string())
    for name in ("value", "lower", "upper"):
        out[name] = _by_value(records[name], _number, pa.float64())
        out[f"{name}_raw"] = pc.if_else(pc.equal(records[name], ""), None, records[name])
    out["_line"], out["_raw"] = records["_line"], records["_raw"]
    schema = CANONICAL_SCHEMA
    for name in TRACE_COLUMNS:
        schema = schema.append(pa.field(name, pa.int64() if name == "_line" else pa.string()))
    return ConformedBatch(raw=batch, table=pa.table([out[n] for n in schema.names], schema=schema))
