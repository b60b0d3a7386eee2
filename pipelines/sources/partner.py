"""Partner submissions: CSV files in our template, dropped into the partner landing folder.

The header is fixed (docs/partner-format.md); columns may come in any order but none may be
missing or added, since an unknown column may carry personal data.
"""

from __future__ import annotations

import csv
import hashlib
import io
import math
import re
from pathlib import Path

import orjson
import pyarrow as pa
import pyarrow.compute as pc

from pipelines.batches import TRACE_COLUMNS, ConformedBatch, FileRejected, RawBatch
from pipelines.reading import csv_fields_unbounded
from pipelines.sources.declaration import QuarantinePolicy, SourceDeclaration
from pipelines.sources.plain_csv import read_plain
from warehouse.catalog import Catalog
from warehouse.load import QUARANTINE_SCHEMA
from warehouse.observation import CANONICAL_SCHEMA
from warehouse.periods import period_columns

ADAPTER = "partner"
HEADER = (
    "indicator_code",
    "geo_code",
    "period",
    "sex",
    "age_group",
    "value",
    "lower",
    "upper",
    "obs_status",
    "source_id",
    "verification",
)
DEFAULTS = {"sex": "_T", "age_group": "_T", "obs_status": "A", "verification": "single_source"}
# No template field is longer than a few dozen characters; a longer one is quarantined with
# its row (the csv module's own, far higher limit is lifted while reading: see
# pipelines.reading.csv_fields_unbounded).
MAX_FIELD_CHARS = 1000
# A file sharing at least this many column names with the template is a partner file: a
# renamed or missing column still reaches this reader, which names the fault.
MIN_SHARED_COLUMNS = 2
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def _decode(path: Path, data: bytes) -> tuple[str, str | None]:
    """The file's text, and why it is refused when it is text in the wrong encoding."""
    if data[:2] == b"\x1f\x8b":
        raise FileRejected(f"{path.name}: is gzip-compressed; unpack it and submit the CSV")
    if data[:2] in UTF16_BOMS:  # Excel's "Unicode text": UTF-16 is unambiguous with its BOM
        try:
            return data.decode("utf-16"), None
        except UnicodeDecodeError:
            raise FileRejected(f"{path.name}: starts like UTF-16 but is not") from None
    if b"\x00" in data:
        line = data.count(b"\n", 0, data.index(b"\x00")) + 1
        raise FileRejected(f"{path.name}: line {line}: NUL byte; a binary file, not a UTF-8 CSV")
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        problem = (
            f"{path.name}: line {line}: byte 0x{data[exc.start]:02x} is not UTF-8 "
            "(Windows-1252?); save the file as UTF-8 CSV"
        )
        return data.decode("utf-8", "backslashreplace"), problem


def _ranges(positions: list[int]) -> str:
    """[2, 5, 6, 7] -> "2, 5-7"."""
    runs: list[list[int]] = []
    for position in positions:
        if runs and position == runs[-1][1] + 1:
            runs[-1][1] = position
        else:
            runs.append([position, position])
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in runs)


def _header_problem(path: Path, names: list[str]) -> str | None:
    missing = [name for name in HEADER if name not in names]
    # Unknown cells are reported by position only: a data row pasted as the header would
    # otherwise copy its values into batches.error and the Dagster metadata.
    extra = [position for position, name in enumerate(names, start=1) if name not in HEADER]
    problems = []
    if missing:
        problems.append(f"missing column(s) {', '.join(missing)}")
    if extra:
        problems.append(f"{len(extra)} unknown column(s) at position(s) {_ranges(extra)}")
    if len(set(names)) != len(names):
        problems.append("a column is named twice")
    if len(names) == 1 and (other := next((d for d in ";\t|" if d in names[0]), None)):
        problems.append(f"it seems separated by {other!r}; use commas")
    if not problems:
        return None
    return f"{path.name}: line 1: header has {'; '.join(problems)}; expected {','.join(HEADER)}"


def read_partner_file(path: Path) -> RawBatch:
    """Read one partner CSV into text records with their line numbers.

    Raises FileRejected (naming file and line) when the bytes are not text at all. A file
    that is text but cannot be taken (wrong encoding, header or quoting; no rows) is read as
    far as it goes, so its rows can go to quarantine under the file's reason instead of
    vanishing.
    """
    data = path.read_bytes()
    text, problem = _decode(path, data)
    if problem:
        return _lines_batch(path, data, text, problem)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        with csv_fields_unbounded():
            header = next(reader, None)
            if header is None:
                expected = ",".join(HEADER)
                raise FileRejected(f"{path.name}: is empty; expected the header {expected}")
            names = [name.strip() for name in header]
            problem = _header_problem(path, names)
            columns = ("_line", "_raw") if problem else (*HEADER, "_line", "_raw")
            # The common case, a plain UTF-8 file, is read column-wise by pyarrow (many times
            # faster); it declines any file with a row the csv-module reader would quarantine.
            plain = not problem and data[:2] not in UTF16_BOMS
            records = read_plain(data, names, MAX_FIELD_CHARS) if plain else None
            malformed = []
            if records is None:
                records, malformed = _read_rows(reader, names, problem, columns)
    except csv.Error as exc:
        return _lines_batch(path, data, text, f"{path.name}: line {reader.line_num}: {exc}")
    if not problem and not records.num_rows and not malformed:
        problem = f"{path.name}: has a header but no rows"
    schema = _records_schema(columns)
    return RawBatch(
        adapter=ADAPTER,
        file_name=path.name,
        file_sha256=hashlib.sha256(data).hexdigest(),
        records=records.select(columns).cast(schema),
        malformed=pa.Table.from_pylist(malformed, schema=QUARANTINE_SCHEMA),
        error=problem,
    )


def _row_problem(names: list[str], fields: list[str]) -> str | None:
    if len(fields) != len(names):
        return f"row: has {len(fields)} fields, the header has {len(names)} [row.field_count]"
    if max(map(len, fields)) <= MAX_FIELD_CHARS:
        return None
    name, longest = max(zip(names, fields, strict=True), key=lambda pair: len(pair[1]))
    return f"{name}: {len(longest)} characters, more than {MAX_FIELD_CHARS} [field.too_long]"


def _lines_batch(path: Path, data: bytes, text: str, problem: str) -> RawBatch:
    """A file refused whole: each line after the first is kept as a record for quarantine."""
    lines = re.split(r"\r\n|\r|\n", text)
    numbered = [(n, line) for n, line in enumerate(lines[1:], start=2) if line.strip()]
    records = pa.table(
        {
            "_line": [n for n, _ in numbered],
            "_raw": [orjson.dumps(t).decode() for _, t in numbered],
        },
        schema=_records_schema(("_line", "_raw")),
    )
    return RawBatch(ADAPTER, path.name, hashlib.sha256(data).hexdigest(), records, error=problem)


def _read_rows(reader, names: list[str], problem: str | None, columns) -> tuple[pa.Table, list]:
    """Records (and malformed rows: wrong field count, too long) from the csv module, row by row."""
    records: dict[str, list] = {name: [] for name in columns}
    malformed = []
    line = reader.line_num + 1
    for fields in reader:
        if fields:
            raw = orjson.dumps(dict(zip(names, fields, strict=False))).decode()
            if not problem and (reason := _row_problem(names, fields)):
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


def conform_partner(batch: RawBatch, catalog: Catalog) -> ConformedBatch:
    """Map template columns onto the canonical observation; unparseable fields become null."""
    records = batch.records
    out = {name: records[name] for name in ("indicator_code", "geo_code", "source_id")}
    for name, default in DEFAULTS.items():
        out[name] = pc.if_else(pc.equal(records[name], ""), default, records[name])
    for part, (column, type_) in enumerate(
        (("period_start", pa.date32()), ("period_end", pa.date32()), ("frequency", pa.string()))
    ):
        out[column] = _by_value(records["period"], lambda p, n=part: period_columns(p)[n], type_)
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


def header_like(head: str) -> bool:
    """Whether the first line names at least MIN_SHARED_COLUMNS template columns."""
    first = head.lstrip("\ufeff").splitlines()[0] if head.strip() else ""
    names = {name.strip().strip('"').lower() for name in re.split(r"[,;\t|]", first)}
    return len(names & set(HEADER)) >= MIN_SHARED_COLUMNS


SOURCE = SourceDeclaration(
    id=ADAPTER,
    description="WPPI partner template CSV (header indicator_code,geo_code,period,...)",
    read=read_partner_file,
    conform=conform_partner,
    header_like=header_like,
    default_intake=True,
    # A partner's file is judged row by row (its valid rows load, each bad row is quarantined
    # and reported back): a submission is never held back whole for its share of bad rows.
    quarantine=QuarantinePolicy(max_rate=1.0),
)
