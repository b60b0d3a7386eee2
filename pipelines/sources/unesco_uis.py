"""UNESCO UIS education data (NATMON bulk CSV with an HDX HXL row) -> gross enrolment by sex.

NATMON_LABEL.csv (indicator labels) is a companion file without observations.
"""

from __future__ import annotations

from pathlib import Path

from pipelines.batches import ConformedBatch, RawBatch
from pipelines.sources.declaration import SourceDeclaration
from pipelines.sources.hxl import hxl_records
from pipelines.sources.long_records import LongRecords, conform_long, read_table
from warehouse.catalog import Catalog

ADAPTER = "unesco_uis"
SOURCE_ID = "unesco.uis"
# UIS indicator id -> (catalog code, sex).
INDICATORS = {
    "GER.1": ("education.gross_enrolment_primary", "_T"),
    "GER.1.F": ("education.gross_enrolment_primary", "F"),
    "GER.1.M": ("education.gross_enrolment_primary", "M"),
    "GER.2t3": ("education.gross_enrolment_secondary", "_T"),
    "GER.2t3.F": ("education.gross_enrolment_secondary", "F"),
    "GER.2t3.M": ("education.gross_enrolment_secondary", "M"),
    "GER.5t8": ("education.gross_enrolment_tertiary", "_T"),
    "GER.5t8.F": ("education.gross_enrolment_tertiary", "F"),
    "GER.5t8.M": ("education.gross_enrolment_tertiary", "M"),
}
COMPANIONS = ("NATMON_LABEL",)


def read_unesco_uis_file(path: Path) -> RawBatch:
    data, _, lines = read_table(path)
    out = LongRecords(ADAPTER, path, data)
    if not path.name.startswith(COMPANIONS):
        hxl_records(out, lines, SOURCE_ID)
    return out.batch()


def conform_unesco_uis(batch: RawBatch, catalog: Catalog) -> ConformedBatch:
    return conform_long(batch, catalog, INDICATORS)


SOURCE = SourceDeclaration(
    id=ADAPTER,
    description="UNESCO UIS NATMON CSV with HXL row",
    read=read_unesco_uis_file,
    conform=conform_unesco_uis,
    source_id=SOURCE_ID,
    signatures=("indicator_id,country_id,year,value", "INDICATOR_ID,INDICATOR_LABEL_EN"),
)
