"""UNESCO UIS education data (NATMON bulk CSV with an HDX HXL row) -> gross enrolment by sex.

NATMON_LABEL.csv (indicator labels) is a companion file without observations.
"""

from __future__ import annotations

from pathlib import Path

from pipelines.batches import RawBatch
from pipelines.sources.declaration import Freshness, SourceDeclaration
from pipelines.sources.hxl import hxl_records
from pipelines.sources.long_records import LongRecords, read_table

ADAPTER = "unesco_uis"
SOURCE_ID = "unesco.uis"
COMPANIONS = ("NATMON_LABEL",)


def read_unesco_uis_file(path: Path) -> RawBatch:
    data, _, lines = read_table(path)
    out = LongRecords(ADAPTER, path, data)
    if not path.name.startswith(COMPANIONS):
        hxl_records(out, lines, SOURCE_ID)
    return out.batch()


SOURCE = SourceDeclaration(
    id=ADAPTER,
    description="UNESCO UIS NATMON CSV with HXL row",
    read=read_unesco_uis_file,
    source_id=SOURCE_ID,
    signatures=("indicator_id,country_id,year,value", "INDICATOR_ID,INDICATOR_LABEL_EN"),
    freshness=Freshness(data_period="P3Y"),
)
