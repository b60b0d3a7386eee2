"""The generic reader for wide tables (one row per place and period, one column per figure),
driven by a declarative mapping in pipelines/sources/mappings/<source>.yaml:

    shape: wide
    source_id: worldbank.wbl         # catalog source of every value
    place: ISO Code                  # the column naming the place (code or name)
    period: year                     # the column naming the period
    not_mapped: [country, pay, ...]  # columns that are no figure WPPI publishes
    companions: [Metadata_]          # file-name prefixes of files without figures
    delimiter: ";"                   # optional; sniffed when absent
    decimal_comma: true              # optional; "3,5" is 3.5
    missing: ["n/a"]                 # optional markers of "no value", besides .., NA, ...

Every other column is a figure whose name maps through the catalog's aliases for the source
(warehouse/catalog/indicators.yaml); an unmapped column quarantines with its name.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

import yaml

from pipelines.batches import RawBatch
from pipelines.sources.declaration import SourceDeclaration
from pipelines.sources.long_records import LongRecords, read_table, wide_records


@dataclass(frozen=True)
class WideMapping:
    source_id: str
    place: str
    period: str
    not_mapped: tuple[str, ...] = ()
    companions: tuple[str, ...] = ()
    delimiter: str | None = None
    decimal_comma: bool = False
    missing: tuple[str, ...] = ()


@cache
def load_mapping(source: str) -> WideMapping:
    text = resources.files("pipelines").joinpath("sources", "mappings", f"{source}.yaml")
    spec = yaml.safe_load(text.read_text(encoding="utf-8"))
    if spec.pop("shape", None) != "wide":
        raise ValueError(f"mappings/{source}.yaml: only `shape: wide` is read by wide_table")
    for name in ("not_mapped", "companions", "missing"):
        spec[name] = tuple(str(item) for item in spec.get(name) or ())
    return WideMapping(**spec)


def wide_table_source(source: str, **declared) -> SourceDeclaration:
    """A source whose files are wide tables read by its mapping file; `declared` carries
    the rest of the declaration (description, folders, signatures, ...)."""
    mapping = load_mapping(source)

    def read(path: Path) -> RawBatch:
        data, _, lines = read_table(path, mapping.delimiter)
        out = LongRecords(source, path, data)
        if not path.name.startswith(mapping.companions or ("\0",)):
            wide_records(out, lines, source_id=mapping.source_id, place=mapping.place,
                         period=mapping.period, skip=mapping.not_mapped,
                         decimal_comma=mapping.decimal_comma,
                         missing=mapping.missing)  # fmt: skip
        return out.batch()

    return SourceDeclaration(id=source, read=read, source_id=mapping.source_id, **declared)
