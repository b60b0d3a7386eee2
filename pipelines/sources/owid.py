"""Our World in Data grapher CSV (Entity,Code,Year,<indicator>) with its .metadata.json.

The value column is mapped by the OWID indicator code at the end of its title (e.g.
SG_GEN_LOCGELS), so a re-titled column still maps; the metadata JSON is a companion file.
"""

from __future__ import annotations

import re
from pathlib import Path

from pipelines.batches import ConformedBatch, RawBatch
from pipelines.sources.declaration import SourceDeclaration
from pipelines.sources.long_records import LongRecords, conform_long, read_table, wide_records
from warehouse.catalog import Catalog

ADAPTER = "owid"
SOURCE_ID = "owid.grapher"
INDICATORS = {"SG_GEN_LOCGELS": "politics.women_local_government_share"}


def _code(column: str) -> str:
    match = re.search(r"- ([A-Z][A-Z0-9_]+)$", column.strip())
    return match.group(1) if match else column


def read_owid_file(path: Path) -> RawBatch:
    data = path.read_bytes()
    out = LongRecords(ADAPTER, path, data)
    if path.suffix == ".json":  # chart metadata: no observations
        return out.batch()
    _, _, lines = read_table(path)
    wide_records(out, lines, source_id=SOURCE_ID, place="Code", period="Year", skip=("Entity",))
    return out.batch()


def conform_owid(batch: RawBatch, catalog: Catalog) -> ConformedBatch:
    return conform_long(batch, catalog, lambda record: INDICATORS.get(_code(record["indicator"])))


SOURCE = SourceDeclaration(
    id=ADAPTER,
    description="Our World in Data grapher CSV (Entity,Code,Year,...)",
    read=read_owid_file,
    conform=conform_owid,
    source_id=SOURCE_ID,
    folders=("owid_grapher",),
    signatures=("Entity,Code,Year", '"originalChartUrl"'),
)
