"""Freedom House Freedom in the World scores (lower-cased "All Data" columns), by edition."""

from __future__ import annotations

from pathlib import Path

from pipelines.batches import ConformedBatch, RawBatch
from pipelines.sources.declaration import SourceDeclaration
from pipelines.sources.long_records import LongRecords, conform_long, read_table, wide_records
from warehouse.catalog import Catalog

ADAPTER = "freedom_house"
SOURCE_ID = "freedomhouse.fiw"
# Status letters and the 1-7 ratings restate the scores; the other sub-questions and
# category sums are not indicators WPPI publishes.
NOT_MAPPED = ("status", "pr_rating", "cl_rating", "a1", "a2", "a3", "a", "b1", "b2", "b3", "b4",
              "b", "c1", "c2", "c3", "c", "d2", "d3", "d4", "d", "e2", "e3", "e", "f1", "f2",
              "f3", "f4", "f", "g2", "g3", "g4", "g")  # fmt: skip


def read_freedom_house_file(path: Path) -> RawBatch:
    data, _, lines = read_table(path)
    out = LongRecords(ADAPTER, path, data)
    wide_records(out, lines, source_id=SOURCE_ID, place="country", period="year",
                 skip=NOT_MAPPED)  # fmt: skip
    return out.batch()


def conform_freedom_house(batch: RawBatch, catalog: Catalog) -> ConformedBatch:
    return conform_long(batch, catalog, catalog.publisher_codes(ADAPTER))


SOURCE = SourceDeclaration(
    id=ADAPTER,
    description="Freedom in the World CSV (country,year,status,pr_rating,...)",
    read=read_freedom_house_file,
    conform=conform_freedom_house,
    source_id=SOURCE_ID,
    folders=("freedom_house_fiw",),
    signatures=("country,year,status,pr_rating",),
)
