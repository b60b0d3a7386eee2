"""CPJ "journalists killed" export -> journalists killed by country x year x sex.

CPJ researches every death it lists, so the counts are `verified`; whether the killing was
work-related (confirmed or not) is a different question the count does not split.
Names, employers, cities, URLs, causes, sources of fire and free-text dates are dropped
while reading: each record keeps only year, country and gender, so nothing personal
reaches the warehouse or its quarantine.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from pipelines.batches import ConformedBatch, RawBatch
from pipelines.sources.declaration import Freshness, SourceDeclaration
from pipelines.sources.long_records import (
    LongRecords,
    conform_aggregated,
    raw_json,
    read_table,
)
from warehouse.catalog import Catalog

ADAPTER = "cpj"
SOURCE_ID = "cpj.killed"
INDICATOR = "media.journalists_killed"
SEX = {"female": "F", "male": "M"}


def entry_year(text: str) -> str | None:
    """Year of an M/D/YY entry date ("3/11/23" -> "2023", "1/1/94" -> "1994")."""
    try:
        return str(datetime.strptime(text.strip(), "%m/%d/%y").year)
    except ValueError:
        return None


def read_cpj_file(path: Path) -> RawBatch:
    data, _, lines = read_table(path)
    out = LongRecords(ADAPTER, path, data)
    header = [name.strip() for name in lines[0][1]]
    for line, fields in lines[1:]:
        row = dict(zip(header, fields, strict=False))
        year = entry_year(row.get("entry_date", ""))
        gender = row.get("gender", "").strip()
        raw = raw_json({"year": year, "country": row.get("country", ""), "gender": gender})
        if year is None:
            out.reject_row(
                line,
                raw,
                "entry_date: not an M/D/YY date (the uncertain-date text is not kept)",
                "entry_date.format",
            )
            continue
        sex = SEX.get(gender.lower())
        for record_sex in ("_T", sex) if sex else ("_T",):
            out.add(
                line,
                raw,
                source_id=SOURCE_ID,
                indicator=INDICATOR,
                place=row.get("country", ""),
                period=year,
                sex=record_sex,
                value="1",
            )
    return out.batch()


def conform_cpj(batch: RawBatch, catalog: Catalog) -> ConformedBatch:
    return conform_aggregated(batch, catalog, lambda r: r["indicator"])


SOURCE = SourceDeclaration(
    id=ADAPTER,
    description="CPJ journalists-killed CSV",
    read=read_cpj_file,
    conform=conform_cpj,
    source_id=SOURCE_ID,
    folders=("cpj_journalists_killed",),
    signatures=("journalist/media worker_name",),
    incident_level=True,
    freshness=Freshness(data_period="P1Y"),
)
