"""UNDP Human Development Report data: the HDRO API tables (long: indicator_id, value, year)
and the HDR 2021/22 Statistical Annex Table 4 saved from Excel (semicolons, decimal
commas, title rows, footnote-letter columns, footnotes)."""

from __future__ import annotations

from pathlib import Path

from pipelines.batches import RawBatch
from pipelines.sources.declaration import Freshness, SourceDeclaration
from pipelines.sources.long_records import (
    LongRecords,
    plain_number,
    raw_json,
    read_table,
)
from pipelines.sources.mapped_tables import load_mapping, read_mapped_table

ADAPTER = "undp_hdr"
SOURCE_ID = "undp.hdr"
# Table 4 value columns (0-based) -> the HDRO indicator id they hold; the columns between
# carry footnote letters.
TABLE4_COLUMNS = {
    2: "gdi",
    4: "gdi_group",
    6: "hdi_f",
    8: "hdi_m",
    10: "le_f",
    12: "le_m",
    14: "eys_f",
    16: "eys_m",
    18: "mys_f",
    20: "mys_m",
    22: "gni_pc_f",
    24: "gni_pc_m",
}
TABLE4_YEAR = "2021"
# Table 4 is an earlier release than the HDRO tables: its own source id keeps its 2021
# figures beside the revised ones instead of revising them.
TABLE4_SOURCE_ID = "undp.hdr_2021_22"


def _table4(out: LongRecords, lines: list) -> None:
    """Country and aggregate rows: a name in column 2 and a value under "Gender Development
    Index". Title, heading, footnote and source lines carry no value and are layout."""
    for line, fields in lines:
        fields = fields + [""] * (25 - len(fields))
        name = fields[1].strip()
        gdi = plain_number(fields[2], decimal_comma=True)
        if not name or gdi is None or fields[2].strip() == "Value":
            continue
        for column, indicator in TABLE4_COLUMNS.items():
            value = plain_number(fields[column].replace("—", ""), decimal_comma=True)
            if value is not None:
                raw = raw_json(
                    {
                        "HDI rank": fields[0],
                        "Country": name,
                        "column": column,
                        "value": fields[column],
                        "note": fields[column + 1],
                    }
                )
                out.add(
                    line,
                    raw,
                    source_id=TABLE4_SOURCE_ID,
                    indicator=indicator,
                    place=name,
                    period=TABLE4_YEAR,
                    value=value,
                )


def read_undp_hdr_file(path: Path) -> RawBatch:
    """HDRO tables by their mapping (mappings/undp_hdr.yaml); Table 4 by its own layout."""
    data, _, lines = read_table(path)
    if lines and lines[0][1][:1] == ["country_code"]:
        return read_mapped_table(load_mapping(ADAPTER), path)
    out = LongRecords(ADAPTER, path, data)
    _table4(out, lines)
    return out.batch()


SOURCE = SourceDeclaration(
    id=ADAPTER,
    description="UNDP HDRO indicator tables, HDR Table 4 export",
    read=read_undp_hdr_file,
    source_id=SOURCE_ID,
    signatures=("indicator_id,indicator_name,index_id", "Gender Development Index"),
    freshness=Freshness(data_period="P3Y"),
)
