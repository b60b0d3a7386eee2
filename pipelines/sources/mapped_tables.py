"""Generic readers for tables whose layout a declarative mapping describes
(pipelines/sources/mappings/<source>.yaml), so a new layout of a known publisher is a
mapping entry, not new Python. Two shapes:

    shape: wide                      # one row per place and period, one column per figure
    source_id: worldbank.wbl         # catalog source of every value
    place: ISO Code                  # the column naming the place (code or name)
    period: year                     # the column naming the period
    not_mapped: [country, pay, ...]  # columns that are no figure WPPI publishes
    companions: [Metadata_]          # file-name prefixes of files without figures

    shape: long                      # one row per figure
    source_id: undp.hdr
    place: country_code
    period: year
    indicator: indicator_id          # the column naming the figure's indicator
    value: value                     # the column holding the figure

Both take `delimiter` (sniffed when absent), `decimal_comma` ("3,5" is 3.5) and `missing`
(markers of "no value" besides .., NA, ...). Indicator spellings (wide: the column names;
long: the indicator column's values) map through the catalog's aliases for the source
(warehouse/catalog/indicators.yaml); an unmapped one quarantines with its spelling.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

import yaml

from pipelines.batches import RawBatch
from pipelines.sources.declaration import Freshness, QuarantinePolicy, SourceDeclaration
from pipelines.sources.long_records import (
    LongRecords,
    plain_number,
    raw_json,
    read_table,
    wide_records,
)

SHAPES = ("wide", "long")


@dataclass(frozen=True)
class TableMapping:
    source: str
    shape: str
    source_id: str
    place: str
    period: str
    indicator: str | None = None
    value: str | None = None
    not_mapped: tuple[str, ...] = ()
    companions: tuple[str, ...] = ()
    delimiter: str | None = None
    decimal_comma: bool = False
    missing: tuple[str, ...] = ()
    # The declaration's policies, as the YAML states them (`quarantine: {max_rate: 0.5}`,
    # `freshness: {data_period: P2Y}`); absent keys take the declaration's defaults.
    quarantine: QuarantinePolicy = QuarantinePolicy()
    freshness: Freshness = Freshness()


@cache
def load_mapping(source: str) -> TableMapping:
    text = resources.files("pipelines").joinpath("sources", "mappings", f"{source}.yaml")
    spec = yaml.safe_load(text.read_text(encoding="utf-8"))
    if spec.get("shape") not in SHAPES or (
        spec["shape"] == "long" and not (spec.get("indicator") and spec.get("value"))
    ):
        raise ValueError(
            f"mappings/{source}.yaml: shape must be wide, or long with indicator and value columns"
        )
    for name in ("not_mapped", "companions", "missing"):
        spec[name] = tuple(str(item) for item in spec.get(name) or ())
    quarantine = spec.pop("quarantine", None) or {}
    if "not_counted" in quarantine:
        quarantine["not_counted"] = tuple(quarantine["not_counted"])
    spec["quarantine"] = QuarantinePolicy(**quarantine)
    spec["freshness"] = Freshness(**(spec.pop("freshness", None) or {}))
    return TableMapping(source=source, **spec)


def _long_records(out: LongRecords, lines: list, mapping: TableMapping) -> None:
    header = [name.strip() for name in lines[0][1]]
    for line, fields in lines[1:]:
        row = dict(zip(header, fields, strict=False))
        value = plain_number(row.get(mapping.value, ""), mapping.decimal_comma, mapping.missing)
        if value is None:
            out.reject_row(
                line, raw_json(row), "value: empty (the source gives no figure)", "value.empty"
            )
            continue
        out.add(
            line,
            raw_json(row),
            source_id=mapping.source_id,
            indicator=row.get(mapping.indicator, ""),
            place=row.get(mapping.place, ""),
            period=row.get(mapping.period, ""),
            value=value,
        )


def read_mapped_table(mapping: TableMapping, path: Path) -> RawBatch:
    """The long records of a file in the mapping's layout (none for a companion file)."""
    data, _, lines = read_table(path, mapping.delimiter)
    out = LongRecords(mapping.source, path, data)
    if mapping.companions and path.name.startswith(mapping.companions):
        return out.batch()
    if mapping.shape == "long":
        _long_records(out, lines, mapping)
    else:
        wide_records(
            out,
            lines,
            source_id=mapping.source_id,
            place=mapping.place,
            period=mapping.period,
            skip=mapping.not_mapped,
            decimal_comma=mapping.decimal_comma,
            missing=mapping.missing,
        )
    return out.batch()


def mapped_table_source(source: str, **declared) -> SourceDeclaration:
    """A source whose files are all read by its mapping file; `declared` carries the rest of
    the declaration (description, folders, signatures, ...)."""
    mapping = load_mapping(source)
    return SourceDeclaration(
        id=source,
        read=lambda path: read_mapped_table(mapping, path),
        source_id=mapping.source_id,
        quarantine=mapping.quarantine,
        freshness=mapping.freshness,
        **declared,
    )
