"""V-Dem country-year extract (V-Dem's own variable names as columns) -> women's rights and
media indicators. Columns listed in NOT_MAPPED are V-Dem variables WPPI does not publish."""

from __future__ import annotations

from pathlib import Path

from pipelines.batches import ConformedBatch, RawBatch
from pipelines.sources.declaration import SourceDeclaration
from pipelines.sources.long_records import LongRecords, conform_long, read_table, wide_records
from warehouse.catalog import Catalog

ADAPTER = "vdem"
SOURCE_ID = "vdem.v14"
# Identifier and coding-period columns, of v14 and of older releases.
IDENTIFIERS = ("country_name", "country_id", "historical_date", "COWcode", "project",
               "historical", "histname", "codingstart", "codingend", "codingstart_contemp",
               "codingend_contemp", "codingstart_hist", "codingend_hist", "gapstart1",
               "gapstart2", "gapstart3", "gapend1", "gapend2", "gapend3", "gap_index")  # fmt: skip
NOT_MAPPED = ("v2xpe_exlgender", "v2cldmovem", "v2cldiscm", "v2clslavef", "v2csgender",
              "v2pepwrgen", "v2clgencl", "v2peapsgen", "v2peasbgen", "v2peasjgen",
              "v2x_freexp_altinf", "v2mecenefm", "v2meslfcen", "v2merange",
              "v2x_frassoc_thick", "v2csreprss", "v2cseeorgs", "v2caassemb", "v2x_civlib",
              "v2x_clpriv", "v2xcl_dmove", "v2peedueq", "v2x_polyarchy", "v2x_libdem",
              "v2x_regime")  # fmt: skip
# The variable names and labels table ships beside the data; it holds no observations.
COMPANIONS = ("vdemlite_lookup_table",)


def read_vdem_file(path: Path) -> RawBatch:
    data, _, lines = read_table(path)
    out = LongRecords(ADAPTER, path, data)
    if not path.name.startswith(COMPANIONS):
        wide_records(out, lines, source_id=SOURCE_ID, place="country_text_id", period="year",
                     skip=(*IDENTIFIERS, *NOT_MAPPED))  # fmt: skip
    return out.batch()


def conform_vdem(batch: RawBatch, catalog: Catalog) -> ConformedBatch:
    return conform_long(batch, catalog, catalog.publisher_codes(ADAPTER))


SOURCE = SourceDeclaration(
    id=ADAPTER,
    description="V-Dem country-year CSV (country_text_id,...)",
    read=read_vdem_file,
    conform=conform_vdem,
    source_id=SOURCE_ID,
    signatures=("country_text_id", "tag,name,level,part,big_5"),
)
