"""Published sources read from their landing folders: one raw asset per adapter, each
feeding the shared conform -> validate -> load steps.

A file whose bytes were ingested before is skipped, as for partner files, so landing the
real-source folder twice changes nothing.
"""

from collections.abc import Callable
from pathlib import Path

import dagster as dg
import pyarrow as pa

from pipelines.batches import FileRejected, RawBatch
from pipelines.defs.partner import _inside, landed_sha256
from pipelines.defs.source_steps import Conform, source_steps
from pipelines.resources import WarehouseResource
from pipelines.sources import (
    cpj,
    freedom_house,
    giwps,
    insecurity_insight,
    owid,
    rsf,
    undp_hdr,
    unesco_uis,
    unhcr,
    vdem,
    wbl,
    worldbank,
)
from warehouse.connect import open_build
from warehouse.load import file_statuses

Reader = Callable[[Path], RawBatch]
# adapter -> (reader, conform). The adapter name is also its landing folder's name.
ADAPTERS: dict[str, tuple[Reader, Conform]] = {
    worldbank.ADAPTER: (worldbank.read_worldbank_file, worldbank.conform_worldbank),
    unhcr.ADAPTER: (unhcr.read_unhcr_file, unhcr.conform_unhcr),
    owid.ADAPTER: (owid.read_owid_file, owid.conform_owid),
    vdem.ADAPTER: (vdem.read_vdem_file, vdem.conform_vdem),
    wbl.ADAPTER: (wbl.read_wbl_file, wbl.conform_wbl),
    freedom_house.ADAPTER: (
        freedom_house.read_freedom_house_file,
        freedom_house.conform_freedom_house,
    ),
    giwps.ADAPTER: (giwps.read_giwps_file, giwps.conform_giwps),
    undp_hdr.ADAPTER: (undp_hdr.read_undp_hdr_file, undp_hdr.conform_undp_hdr),
    unesco_uis.ADAPTER: (unesco_uis.read_unesco_uis_file, unesco_uis.conform_unesco_uis),
    rsf.ADAPTER: (rsf.read_rsf_file, rsf.conform_rsf),
    insecurity_insight.ADAPTER: (
        insecurity_insight.read_insecurity_insight_file,
        insecurity_insight.conform_insecurity_insight,
    ),
    cpj.ADAPTER: (cpj.read_cpj_file, cpj.conform_cpj),
}


def _read(adapter: str, reader: Reader, folder: Path, name: str, sha: str | None) -> RawBatch:
    """Read one landed file; a file that cannot be taken becomes a batch carrying the reason."""
    path = folder / name
    try:
        if not _inside(folder, path):
            raise FileRejected(f"{name}: points outside the landing folder; refused")
        return reader(path)
    except (FileRejected, OSError, UnicodeDecodeError) as exc:
        message = str(exc) if isinstance(exc, FileRejected) else f"{name}: cannot be read ({exc})"
        empty = pa.table({"_line": pa.array([], pa.int64()), "_raw": pa.array([], pa.string())})
        return RawBatch(adapter, name, sha, empty, error=message)


def raw_asset(adapter: str, reader: Reader) -> dg.AssetsDefinition:
    @dg.asset(
        name=f"raw_{adapter}",
        group_name=adapter,
        tags={"source": adapter},
        description=f"Files in the {adapter} landing folder, read into one long record per "
        "source value (place, indicator, period and value as the source spells them).",
    )
    def raw(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> list[RawBatch]:
        folder = warehouse.layout.landing_for(adapter)
        folder.mkdir(parents=True, exist_ok=True)
        con = open_build(warehouse.layout.build_warehouse)
        try:
            seen = file_statuses(con)
        finally:
            con.close()
        batches = []
        for name in sorted(p.name for p in folder.iterdir() if not p.name.startswith(".")):
            sha = landed_sha256(folder, name)
            if sha in seen:
                context.log.info(f"{name}: content already ingested ({seen[sha]}); skipped")
                continue
            batches.append(_read(adapter, reader, folder, name, sha))
        context.add_output_metadata(
            {"files": len(batches), "rows_in": sum(b.rows_in for b in batches)}
        )
        return batches

    return raw


landing_source_assets = [
    asset
    for adapter, (reader, conform) in ADAPTERS.items()
    for asset in (raw_asset(adapter, reader), *source_steps(adapter, conform))
]
OBSERVATIONS = [f"{adapter}_observations" for adapter in ADAPTERS]
