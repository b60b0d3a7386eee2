"""World Bank WDI in the layouts monitors receive: the bulk-download CSV (preamble lines,
one column per year), the DataBank export (localised: `;`, decimal comma, `..` for missing,
footer lines), the API v2 JSON response, and HDX's HXL-tagged indicator CSV.

Empty and `..` cells are no observation and are not records; the bulk download's
Metadata_*.csv files describe countries and the indicator and hold no observations.
"""

from __future__ import annotations

from pathlib import Path

import orjson

from pipelines.batches import FileRejected, RawBatch
from pipelines.sources.declaration import Freshness, SourceDeclaration
from pipelines.sources.hxl import hxl_records, is_hxl_row
from pipelines.sources.live import WORLDBANK_LIVE
from pipelines.sources.long_records import (
    LongRecords,
    plain_number,
    raw_json,
    read_table,
)

ADAPTER = "worldbank"
SOURCE_ID = "worldbank.wdi"
COMPANIONS = ("Metadata_",)


def _year(column: str) -> str | None:
    """ "2021", or "2021 [YR2021]" as DataBank writes it -> "2021"; else None."""
    head = column.strip().split(" ")[0]
    return head if head.isdigit() and len(head) == 4 else None


def _wide_years(out: LongRecords, lines: list, decimal_comma: bool) -> None:
    header = [name.strip() for name in lines[0][1]]
    code = header.index("Country Code")
    series = header.index("Indicator Code" if "Indicator Code" in header else "Series Code")
    years = {i: _year(name) for i, name in enumerate(header) if _year(name)}
    for line, fields in lines[1:]:
        if len(fields) <= series or not fields[series].strip():
            continue  # DataBank footer ("Data from database: ...", "Last Updated: ...")
        for index, year in years.items():
            value = plain_number(fields[index], decimal_comma) if index < len(fields) else None
            if value is not None:
                raw = raw_json(
                    {
                        "Country Name": fields[0],
                        "Country Code": fields[code],
                        "Series Code": fields[series],
                        header[index]: fields[index],
                    }
                )
                out.add(
                    line,
                    raw,
                    source_id=SOURCE_ID,
                    indicator=fields[series].strip(),
                    place=fields[code],
                    period=year,
                    value=value,
                )


def _api_json(out: LongRecords) -> None:
    """API v2: `[{page, pages, per_page, total, ...}, [{indicator, country, countryiso3code,
    date, value, ...}, ...]]`; entry n of the data list is record n (line = n + 1)."""
    try:
        document = orjson.loads(out.data)
        entries = document[1] or []
    except (orjson.JSONDecodeError, IndexError, TypeError, KeyError):
        raise FileRejected(f"{out.path.name}: not a World Bank API v2 JSON response") from None
    for number, entry in enumerate(entries, start=1):
        raw = orjson.dumps(entry).decode()
        if entry.get("value") is None:
            continue  # the API lists years without data with value null
        place = entry.get("countryiso3code") or (entry.get("country") or {}).get("id", "")
        out.add(
            number,
            raw,
            source_id=SOURCE_ID,
            indicator=entry["indicator"]["id"],
            place=place,
            period=str(entry["date"]),
            value=repr(entry["value"])
            if isinstance(entry["value"], float)
            else str(entry["value"]),
        )


def read_worldbank_file(path: Path) -> RawBatch:
    data = path.read_bytes()
    out = LongRecords(ADAPTER, path, data)
    if path.name.startswith(COMPANIONS):
        return out.batch()
    if data.lstrip()[:1] == b"[":
        _api_json(out)
        return out.batch()
    _, text, lines = read_table(path)
    if len(lines) > 1 and is_hxl_row(lines[1][1]):
        hxl_records(out, lines, SOURCE_ID)
        return out.batch()
    start = next((i for i, (_, f) in enumerate(lines) if f[:1] == ["Country Name"]), None)
    if start is None:
        raise FileRejected(f"{path.name}: no 'Country Name' header line; not a WDI layout")
    decimal_comma = ";" in text.splitlines()[0]  # DataBank saved in a decimal-comma locale
    _wide_years(out, lines[start:], decimal_comma)
    return out.batch()


SOURCE = SourceDeclaration(
    id=ADAPTER,
    description="World Bank WDI bulk CSV, DataBank export, API v2 JSON, HDX HXL CSV",
    read=read_worldbank_file,
    source_id=SOURCE_ID,
    folders=("worldbank_wdi",),
    signatures=(
        '"Data Source","World Development Indicators"',
        "Series Code;",
        "#indicator+code",
        '"page":',
        '"Country Code","Region","IncomeGroup"',
        '"INDICATOR_CODE","INDICATOR_NAME","SOURCE_NOTE"',
    ),
    live=WORLDBANK_LIVE,
    freshness=Freshness(data_period="P3Y"),
)
