"""Our World in Data CSVs: grapher files (Entity,Code,Year,<indicator>...) with their
.metadata.json companion, and dataset files (Entity,Year,<indicator>...) without a Code.

A value column maps through the catalog's `owid` aliases by its name, its slug, or the
publisher code at the end of its title ("... - SG_GEN_LOCGELS"), so a re-titled column
still maps; failing those, by the code of the publisher OWID republishes (V-Dem, World
Bank). Grapher rows are placed by Code: regions and aggregates (`OWID_*`, empty code) are not
countries and quarantine as unknown places. Dataset files are placed by Entity
name through the place resolver.
"""

from __future__ import annotations

import re
from pathlib import Path

from pipelines.batches import ConformedBatch, RawBatch
from pipelines.sources.declaration import Freshness, SourceDeclaration
from pipelines.sources.long_records import LongRecords, conform_long, read_table, wide_records
from warehouse.catalog import Catalog

ADAPTER = "owid"
SOURCE_ID = "owid.grapher"
# Text columns OWID adds beside the figures (a country's region, chart annotations).
ANNOTATIONS = ("World region according to OWID", "owid_region")
# Publishers whose own codes OWID columns carry when it republishes their data.
REPUBLISHED = ("vdem", "worldbank")


def _code(column: str) -> str | None:
    match = re.search(r"- ([A-Z][A-Z0-9_]+)$", column.strip())
    return match.group(1) if match else None


def slug(column: str) -> str:
    """OWID's snake_case short name of a column title ("Share of X (%)" -> share_of_x)."""
    return re.sub(r"[^a-z0-9]+", "_", column.strip().lower()).strip("_")


def read_owid_file(path: Path) -> RawBatch:
    data = path.read_bytes()
    out = LongRecords(ADAPTER, path, data)
    if path.suffix == ".json":  # chart metadata: no observations
        return out.batch()
    _, _, lines = read_table(path)
    header = [name.strip() for name in lines[0][1]]
    place, skip = ("Code", ("Entity",)) if "Code" in header else ("Entity", ())
    notes = tuple(name for name in header if name in ANNOTATIONS or name.endswith("annotations"))
    wide_records(out, lines, source_id=SOURCE_ID, place=place, period="Year", skip=(*skip, *notes))
    return out.batch()


def conform_owid(batch: RawBatch, catalog: Catalog) -> ConformedBatch:
    """A column maps by OWID's own aliases first, then by the code of the publisher OWID
    republishes (a V-Dem variable, a World Bank id written `sg_gen_parl_zs`)."""
    maps = [catalog.publisher_codes(p) for p in (ADAPTER, *REPUBLISHED)]

    def target(record: dict):
        column = record["indicator"]
        short = slug(column)
        spellings = (column, short, _code(column), short.upper().replace("_", "."))
        return next((m[s] for m in maps for s in spellings if s and s in m), None)

    return conform_long(batch, catalog, target)


SOURCE = SourceDeclaration(
    id=ADAPTER,
    description="Our World in Data grapher CSV (Entity,Code,Year,...), dataset CSV "
    "(Entity,Year,...)",
    read=read_owid_file,
    conform=conform_owid,
    source_id=SOURCE_ID,
    folders=("owid_grapher",),
    signatures=("Entity,Code,Year", "Entity,Year,", '"originalChartUrl"'),
    freshness=Freshness(data_period="P3Y"),
)
