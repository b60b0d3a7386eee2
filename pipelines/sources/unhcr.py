"""UNHCR population statistics (the `refugees` R package tables, written as CSV, or the
population API's JSON pages that live mode lands):
Afghan refugees and asylum-seekers by country of asylum and year, and by sex (demographics).

population: one record per row; refugees + asylum_seekers of Afghan origin is the value of
`displacement.afghan_refugees` (both are whole counts, so the sum is exact). Rows of other
origins are context rows and quarantine as unmapped. The returnee, IDP, stateless, ooc, oip
and host-community columns have no WPPI indicator (see the issue-3 note).
demographics: f_total / m_total of REF and ASY rows of Afghan origin, summed over the
sub-national locations of each country of asylum. A row whose sex is unknown (both sex
totals 0 under a non-zero total) is not disaggregated: it is quarantined as such, never
loaded as "0 women".

Also read: UNHCR's HDX input tables (`Year,ISO3CoO,ISO3CoA,...,REF,IDP,ASY,...` and the
demographics table `...,PT,...,Female_total,...,Male_total,Total`, quoted, CRLF, with or
without an HXL tag row), whose columns are renamed to the package's. `NA` or an empty cell
is missing and stays missing: such a row is quarantined, never counted as 0.
"""

from __future__ import annotations

from pathlib import Path

import orjson

from pipelines.batches import ConformedBatch, FileRejected, RawBatch
from pipelines.sources.declaration import Freshness, SourceDeclaration
from pipelines.sources.hxl import is_hxl_row
from pipelines.sources.live import UNHCR_LIVE
from pipelines.sources.long_records import (
    LongRecords,
    conform_aggregated,
    raw_json,
    read_table,
)
from warehouse.catalog import Catalog

ADAPTER = "unhcr"
SOURCE_ID = "unhcr.population"
# A record's indicator spelling is "<population types> of origin <ISO3>"; the catalog's
# `unhcr` aliases say which of them WPPI publishes ("REF+ASY of origin AFG").
HOSTED_SPELLING = "REF+ASY of origin {}"
HOSTED = ("REF", "ASY")  # pop_type codes for refugees and asylum-seekers
# HDX input-table column -> the refugees package's name for it.
HDX_COLUMNS = {
    "Year": "year",
    "ISO3CoO": "coo_iso",
    "ISO3CoA": "coa_iso",
    "REF": "refugees",
    "ASY": "asylum_seekers",
    "IDP": "idps",
    "PT": "pop_type",
    "PopType": "pop_type",
    "populationType": "pop_type",
    "Population type": "pop_type",
    "CoO_name": "coo_name",
    "CoA_name": "coa_name",
    "Female_total": "f_total",
    "Male_total": "m_total",
    "Total": "total",
}


def _count(text: str) -> int | None:
    return int(text) if text.strip().isdigit() else None


def _population(out: LongRecords, header: list[str], rows: list) -> None:
    for line, fields in rows:
        row = dict(zip(header, fields, strict=False))
        raw = raw_json(row)
        origin = row.get("coo_iso", "")
        indicator = HOSTED_SPELLING.format(origin)
        refugees, asylum = _count(row.get("refugees", "")), _count(row.get("asylum_seekers", ""))
        if refugees is None or asylum is None:
            missing = "refugees" if refugees is None else "asylum_seekers"
            out.reject_row(
                line,
                raw,
                f"{missing}: '{row.get(missing, '')}' is missing or not "
                "a whole count; refugees + asylum_seekers is not known",
                "count.not_whole",
            )
            continue
        out.add(
            line,
            raw,
            source_id=SOURCE_ID,
            indicator=indicator,
            place=row["coa_iso"],
            period=row["year"],
            value=str(refugees + asylum),
        )


def _undisaggregated(row: dict) -> bool:
    """Sex unknown: UNHCR codes it as 0 in both sex totals under a non-zero total."""
    female, male, total = (_count(row.get(c, "")) for c in ("f_total", "m_total", "total"))
    return female == 0 and male == 0 and bool(total)


def _demographics(out: LongRecords, header: list[str], rows: list) -> None:
    """F and M records per hosted row; a (country of asylum, year) with any row whose sex is
    unknown has no known figure by sex (the sum of the other rows would undercount it), so
    all its hosted rows are quarantined, each once."""
    table = [(line, dict(zip(header, fields, strict=False))) for line, fields in rows]
    unknown = {
        (row.get("coa_iso"), row.get("year"))
        for _, row in table
        if row.get("coo_iso") == "AFG" and row.get("pop_type") in HOSTED and _undisaggregated(row)
    }
    for line, row in table:
        # The location names a sub-national place of the asylum country; only the country
        # is kept, so the trace drops it too.
        raw = raw_json({k: v for k, v in row.items() if k != "location"})
        hosted = row.get("coo_iso") == "AFG" and row.get("pop_type") in HOSTED
        origin = row.get("coo_iso")
        indicator = (
            HOSTED_SPELLING.format(origin)
            if hosted
            else f"{row.get('pop_type')} of origin {origin}"
        )
        if not hosted:  # one record, so the row quarantines once
            out.add(
                line,
                raw,
                source_id=SOURCE_ID,
                indicator=indicator,
                place=row["coa_iso"],
                period=row["year"],
                value=row.get("total", "").strip(),
            )
            continue
        if (row.get("coa_iso"), row.get("year")) in unknown:
            out.reject_row(
                line,
                raw,
                f"sex: not disaggregated for {row.get('coa_iso')} "
                f"{row.get('year')} (a row has f_total and m_total 0 under a "
                "non-zero total); no figure by sex is known",
                "sex.not_disaggregated",
            )
            continue
        for sex, column in (("F", "f_total"), ("M", "m_total")):
            out.add(
                line,
                raw,
                source_id=SOURCE_ID,
                indicator=indicator,
                place=row["coa_iso"],
                period=row["year"],
                sex=sex,
                value=row.get(column, "").strip(),
            )


def _api_rows(path: Path, data: bytes) -> list:
    """Population API v1 JSON (`{"page", "maxPages", "items": [...]}`, as live mode lands it):
    the items carry the table's column names; item n is line n, as for the World Bank API."""
    try:
        items = orjson.loads(data)["items"]
        header = list(items[0]) if items else []
        rows = [
            (number, ["NA" if item.get(key) is None else str(item[key]) for key in header])
            for number, item in enumerate(items, start=1)
        ]
    except (orjson.JSONDecodeError, KeyError, TypeError, IndexError, AttributeError):
        raise FileRejected(f"{path.name}: not a UNHCR population API response") from None
    return [(0, header), *rows]


def read_unhcr_file(path: Path) -> RawBatch:
    data = path.read_bytes()
    if data.lstrip()[:1] == b"{":
        lines = _api_rows(path, data)
    else:
        data, _, lines = read_table(path)
        if len(lines) > 1 and is_hxl_row(lines[1][1]):
            del lines[1]  # HDX's tag row names the columns again; it holds no figures
    out = LongRecords(ADAPTER, path, data)
    header = [HDX_COLUMNS.get(name.strip(), name.strip()) for name in lines[0][1]]
    (_demographics if "pop_type" in header else _population)(out, header, lines[1:])
    return out.batch()


def conform_unhcr(batch: RawBatch, catalog: Catalog) -> ConformedBatch:
    """Population rows have one record per key already; demographics rows are summed."""
    return conform_aggregated(batch, catalog, catalog.publisher_codes(ADAPTER))


SOURCE = SourceDeclaration(
    id=ADAPTER,
    description="UNHCR population / demographics (year,coo_name,...,coa_iso,...; API JSON; "
    "HDX input tables Year,ISO3CoO,ISO3CoA,...)",
    read=read_unhcr_file,
    conform=conform_unhcr,
    source_id=SOURCE_ID,
    folders=("unhcr_refugees",),
    signatures=("coo_iso,coa_name", "coo_iso,coa", '"coo_iso":', "ISO3CoO"),
    live=UNHCR_LIVE,
    freshness=Freshness(data_period="P18M"),
)
