"""What most source adapters share: decode a file, emit one long record per source value,
and map those records onto canonical observations (or quarantine them with the reason).

A reader turns its layout (wide years, semicolons, HXL rows, ...) into *long records*: one
record per value cell, each keeping the source's own spellings of place, indicator and
period, the value as decimal text, the line it came from and the raw fields it was read from.
`conform_long` then maps spellings to catalog codes. A record whose place or indicator has
no mapping goes to quarantine naming the spelling; nothing is dropped silently.
"""

from __future__ import annotations

import csv
import hashlib
import io
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from pathlib import Path

import orjson
import pyarrow as pa
from charset_normalizer import from_bytes

from pipelines.batches import TRACE_COLUMNS, ConformedBatch, FileRejected, RawBatch
from pipelines.reading import csv_fields_unbounded
from warehouse.catalog import Catalog
from warehouse.load import QUARANTINE_SCHEMA
from warehouse.observation import CANONICAL_SCHEMA
from warehouse.periods import period_columns
from warehouse.places import resolve_place

# Source spellings, as text; `value` is already plain decimal text ("27.01612903").
LONG_FIELDS = (
    "source_id",
    "indicator",
    "place",
    "period",
    "sex",
    "age_group",
    "value",
    "obs_status",
    "verification",
)
LONG_SCHEMA = pa.schema(
    [*((name, pa.string()) for name in LONG_FIELDS), ("_line", pa.int64()), ("_raw", pa.string())]
)
MISSING = {"", "..", "NA", "N/A", "nan", "None", "-"}
CONFORMED_SCHEMA = pa.schema(
    [
        *CANONICAL_SCHEMA,
        *(pa.field(n, pa.int64() if n == "_line" else pa.string()) for n in TRACE_COLUMNS),
    ]
)


def decode(path: Path, data: bytes) -> str:
    """Text of a file in whatever encoding it uses, detected by charset-normalizer.

    Two repairs the real files need: UTF-8 that was encoded twice (RSF 2013-2021:
    "NorvÃ¨ge") is decoded once more, and when the detector finds several single-byte
    code pages equally plausible (a short file with few accents) Windows-1252 wins, the
    code page these publishers' Excel exports use (RSF 2025: "Norvège", not "Norvčge").
    """
    try:
        return _undo_double_utf8(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        pass
    results = list(from_bytes(data))
    if not results:
        raise FileRejected(f"{path.name}: not text in any encoding we can detect")
    least = min(match.chaos for match in results)
    tied = [match for match in results if match.chaos == least]
    best = next((m for m in tied if m.encoding == "cp1252"), tied[0])
    return str(best)


def _undo_double_utf8(text: str) -> str:
    """UTF-8 bytes decoded as Latin-1 and saved as UTF-8 again, decoded once more.

    Only text made entirely of Latin-1 characters can be double-encoded UTF-8, and only
    double-encoded text survives the round trip, so clean text is returned unchanged.
    """
    if text.isascii():
        return text
    try:
        return text.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return text


def csv_lines(text: str, delimiter: str = ",") -> Iterable[tuple[int, list[str]]]:
    """(line number, fields) for every non-blank CSV record, numbering lines from 1."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    line = 1
    with csv_fields_unbounded():
        for fields in reader:
            if any(field.strip() for field in fields):
                yield line, fields
            line = reader.line_num + 1


def sniff_delimiter(text: str) -> str:
    """`;` or `,`, whichever the first lines use, as csv.Sniffer reads them."""
    try:
        return csv.Sniffer().sniff(text[:4096], delimiters=",;").delimiter
    except csv.Error:
        return ","


def raw_json(fields: Mapping[str, str]) -> str:
    return orjson.dumps(dict(fields)).decode()


class LongRecords:
    """Collects the long records of one file, then makes its RawBatch."""

    def __init__(self, adapter: str, path: Path, data: bytes):
        self.adapter, self.path, self.data = adapter, path, data
        self.rows: dict[str, list] = {name: [] for name in LONG_SCHEMA.names}
        self.malformed: list[dict] = []

    def add(
        self,
        line: int,
        raw: str,
        *,
        source_id: str,
        indicator: str,
        place: str,
        period: str,
        value: str,
        sex: str = "_T",
        age_group: str = "_T",
        obs_status: str = "A",
        verification: str = "verified",
    ) -> None:
        record = {
            "source_id": source_id,
            "indicator": indicator,
            "place": place,
            "period": period,
            "sex": sex,
            "age_group": age_group,
            "value": value,
            "obs_status": obs_status,
            "verification": verification,
            "_line": line,
            "_raw": raw,
        }
        for name, item in record.items():
            self.rows[name].append(item)

    def reject_row(self, line: int, raw: str, reason: str, rule: str) -> None:
        """A source row that cannot become a record (e.g. a row too short to read), with the
        rule it breaks named the way validation names its rules (`/v1/quality` counts them)."""
        self.malformed.append({"line": line, "raw": raw, "reasons": [f"{reason} [{rule}]"]})

    def batch(self) -> RawBatch:
        return RawBatch(
            adapter=self.adapter,
            file_name=self.path.name,
            file_sha256=hashlib.sha256(self.data).hexdigest(),
            records=pa.table(self.rows, schema=LONG_SCHEMA),
            malformed=pa.Table.from_pylist(self.malformed, schema=QUARANTINE_SCHEMA),
        )


def plain_number(
    text: str, decimal_comma: bool = False, missing: tuple[str, ...] = ()
) -> str | None:
    """Decimal text of a published number, or None when the cell means 'no value'.

    Thousands separators (spaces) are removed and a decimal comma becomes a point; the
    digits are kept as written, so the loaded float is the nearest double to the source.
    """
    text = text.strip().replace("\u00a0", "").replace(" ", "")
    if text in MISSING or text in missing:
        return None
    if decimal_comma:
        text = text.replace(".", "").replace(",", ".")
    return text


# Rule tags of the two "no mapping" reasons: /v1/quality counts them by these names, and
# `unmapped_codes` reads the spellings back out of quarantine.
UNMAPPED_INDICATOR = "[indicator.unmapped]"
UNMAPPED_PLACE = "[geo_code.unmapped]"
_UNMAPPED = re.compile(
    r"^(indicator|geo_code): (?:place )?'(.*)' is not .*\[(?:indicator|geo_code)\.unmapped\]$",
    re.DOTALL,
)

# indicator spelling -> catalog code, or (code, sex) when the spelling carries the sex
# ("GER.1.F"); a callable lets an adapter decide per record.
Target = str | tuple[str, str]
IndicatorMap = Mapping[str, Target] | Callable[[dict], Target | None]


def _indicator_code(mapping: IndicatorMap, record: dict) -> str | None:
    """The record's catalog code; a (code, sex) target also sets the record's sex."""
    target = mapping(record) if callable(mapping) else mapping.get(record["indicator"])
    if isinstance(target, tuple):
        target, record["sex"] = target
    return target


def unmapped_codes(quarantined: pa.Table) -> list[dict]:
    """Each distinct unmapped spelling of a batch's quarantine, once, with its row count:
    [{"field": "indicator" | "geo_code", "code": spelling, "rows": n}, ...]."""
    counts: Counter[tuple[str, str]] = Counter()
    for reasons in quarantined["reasons"].to_pylist():
        for reason in reasons:
            if match := _UNMAPPED.match(reason):
                counts[match.group(1), match.group(2)] += 1
    return [
        {"field": field, "code": code, "rows": rows}
        for (field, code), rows in sorted(counts.items())
    ]


def map_records(
    batch: RawBatch, indicators: IndicatorMap
) -> tuple[list[tuple[dict, str, str]], list[dict]]:
    """Split long records into (record, indicator code, place code) and quarantine rows."""
    mapped, unmapped = [], []
    for record in batch.records.to_pylist():
        code = _indicator_code(indicators, record)
        place = resolve_place(record["place"])
        reasons = []
        if code is None:
            reasons.append(
                f"indicator: '{record['indicator']}' is not mapped to a catalog "
                f"indicator {UNMAPPED_INDICATOR}"
            )
        if place is None:
            reasons.append(
                f"geo_code: place '{record['place']}' is not a country or Afghan "
                f"province WPPI knows {UNMAPPED_PLACE}"
            )
        if reasons:
            unmapped.append({"line": record["_line"], "raw": record["_raw"], "reasons": reasons})
        else:
            mapped.append((record, code, place))
    return mapped, unmapped


def conformed_batch(
    batch: RawBatch, rows: list[dict], unmapped: list[dict], catalog: Catalog
) -> ConformedBatch:
    """Canonical rows plus the records quarantined before validation, with counts kept whole.

    The unmapped records move from `records` to `malformed` so that rows in still equals
    rows loaded + rows quarantined after validation.
    """
    out: dict[str, list] = {name: [] for name in CONFORMED_SCHEMA.names}
    for row in rows:
        start, end, frequency = period_columns(row["period"])
        source = catalog.sources.get(row["source_id"])
        for name in (
            "indicator_code",
            "geo_code",
            "sex",
            "age_group",
            "obs_status",
            "source_id",
            "verification",
            "_line",
            "_raw",
        ):
            out[name].append(row[name])
        out["period_start"].append(start)
        out["period_end"].append(end)
        out["frequency"].append(frequency)
        out["source_type"].append(source.type if source else None)
        out["value"].append(_float(row["value"]))
        out["value_raw"].append(row["value"])
        for name in ("lower", "upper"):  # bounds, where the source states them
            text = row.get(name)
            out[name].append(None if text is None else _float(text))
            out[f"{name}_raw"].append(text)
    table = pa.table(out, schema=CONFORMED_SCHEMA)
    trace = table.select(["_line", "_raw"])
    raw = replace(
        batch,
        records=trace,
        malformed=pa.concat_tables(
            [batch.malformed, pa.Table.from_pylist(unmapped, schema=QUARANTINE_SCHEMA)]
        ),
    )
    return ConformedBatch(raw=raw, table=table)


def _float(text: str) -> float | None:
    """The nearest double to a decimal text; None for text the number rule will quarantine."""
    try:
        number = float(text)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def conform_long(batch: RawBatch, catalog: Catalog, indicators: IndicatorMap) -> ConformedBatch:
    """One canonical observation per mapped long record."""
    mapped, unmapped = map_records(batch, indicators)
    rows = [{**record, "indicator_code": code, "geo_code": place} for record, code, place in mapped]
    return conformed_batch(batch, rows, unmapped, catalog)


def conform_by_aliases(batch: RawBatch, catalog: Catalog) -> ConformedBatch:
    """Map records through the catalog's aliases for the batch's source (its publisher codes,
    variable and column names); the mapping every source uses unless it declares another."""
    return conform_long(batch, catalog, catalog.publisher_codes(batch.adapter))


def read_table(path: Path, delimiter: str | None = None) -> tuple[bytes, str, list]:
    """Bytes, text and (line, fields) records of a delimited file (delimiter sniffed)."""
    data = path.read_bytes()
    if not data.strip():
        raise FileRejected(f"{path.name}: is empty")
    text = decode(path, data)
    return data, text, list(csv_lines(text, delimiter or sniff_delimiter(text)))


def wide_records(
    out: LongRecords,
    lines: list,
    *,
    source_id: str,
    place: str,
    period: str | Callable[[dict], str],
    skip: Iterable[str] = (),
    decimal_comma: bool = False,
    missing: tuple[str, ...] = (),
) -> None:
    """One long record per non-empty value cell of a country-by-column table.

    Every column that is not the place, the period, a declared `skip` column or unnamed (a
    row index saved with the table) is a value column; its name is the indicator spelling
    the adapter maps (unmapped ones quarantine).
    """
    header = [name.strip() for name in lines[0][1]]
    ignored = {"", place, *skip} | ({period} if isinstance(period, str) else set())
    for line, fields in lines[1:]:
        row = dict(zip(header, fields, strict=False))
        raw = raw_json(row)
        if len(fields) != len(header):
            out.reject_row(
                line,
                raw,
                f"row: has {len(fields)} fields, the header has {len(header)}",
                "row.field_count",
            )
            continue
        when = period(row) if callable(period) else row[period]
        for column in header:
            value = None if column in ignored else plain_number(row[column], decimal_comma, missing)
            if value is not None:
                cell = raw_json({place: row[place], "period": when, column: row[column]})
                out.add(
                    line,
                    cell,
                    source_id=source_id,
                    indicator=column,
                    place=row[place],
                    period=when,
                    value=value,
                )


def conform_aggregated(
    batch: RawBatch, catalog: Catalog, indicators: IndicatorMap, roll_up: bool = False
) -> ConformedBatch:
    """Sum mapped records into one observation per key (indicator, place, period, sex, age).

    Used where the source lists events or sub-national rows and WPPI publishes counts. With
    `roll_up`, a province's records also count towards its country, and records whose
    province is unknown count towards the country only. Each cell's trace keeps the key,
    the number of records summed and their line numbers, never the records themselves.
    A record whose value is not a whole number is quarantined, not summed.
    """
    mapped, unmapped = map_records(batch, indicators)
    cells: dict[tuple, dict] = {}
    for record, code, place in mapped:
        value = record["value"]
        if not value.isdigit():
            unmapped.append(
                {
                    "line": record["_line"],
                    "raw": record["_raw"],
                    "reasons": [f"value: '{value}' is not a whole count"],
                }
            )
            continue
        parent = catalog.places[place].parent if place in catalog.places else None
        for geo in (place, parent) if roll_up and parent else (place,):
            key = (
                record["source_id"],
                code,
                geo,
                record["period"],
                record["sex"],
                record["age_group"],
                record["obs_status"],
                record["verification"],
            )
            cell = cells.setdefault(key, {"value": 0, "lines": []})
            cell["value"] += int(value)
            cell["lines"].append(record["_line"])
    rows = []
    for key, cell in cells.items():
        source_id, code, geo, period, sex, age_group, obs_status, verification = key
        trace = {
            "indicator_code": code,
            "geo_code": geo,
            "period": period,
            "sex": sex,
            "records": len(cell["lines"]),
            "lines": cell["lines"],
        }
        rows.append(
            {
                "source_id": source_id,
                "indicator_code": code,
                "geo_code": geo,
                "period": period,
                "sex": sex,
                "age_group": age_group,
                "obs_status": obs_status,
                "verification": verification,
                "value": str(cell["value"]),
                "_line": min(cell["lines"]),
                "_raw": raw_json(trace),
            }
        )
    return conformed_batch(batch, rows, unmapped, catalog)
