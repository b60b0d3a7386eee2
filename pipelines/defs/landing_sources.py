"""Published sources read from their landing folders: one raw asset per adapter, each
feeding the shared conform -> validate -> load steps, with its own job and landing sensor.

A file whose bytes were ingested before is skipped, as for partner files, so landing the
real-source folder twice changes nothing.
"""

from collections.abc import Callable
from pathlib import Path

import dagster as dg
import pyarrow as pa

from pipelines.batches import FileRejected, RawBatch
from pipelines.defs.landing import ingested_files, inside_folder, landed_sha256, landing_sensor
from pipelines.defs.live import LIVE_ADAPTERS
from pipelines.defs.operations import SOURCE_RETRY
from pipelines.defs.source_steps import WAREHOUSE_TAG, Conform, source_steps
from pipelines.resources import WarehouseResource
from pipelines.sources import (
    cpj,
    freedom_house,
    giwps,
    insecurity_insight,
    owid,
    policy_tracker,
    rsf,
    undp_hdr,
    unesco_uis,
    unhcr,
    vdem,
    wbl,
    worldbank,
)
from warehouse.personal_data import file_label

Reader = Callable[[Path], RawBatch]
MODULES = (worldbank, unhcr, owid, vdem, wbl, freedom_house, giwps, undp_hdr, unesco_uis, rsf,
           insecurity_insight, cpj, policy_tracker)  # fmt: skip
# adapter -> (reader, conform). Every module names them read_<adapter>_file and
# conform_<adapter>; the adapter name is also its landing folder's name.
ADAPTERS: dict[str, tuple[Reader, Conform]] = {
    m.ADAPTER: (getattr(m, f"read_{m.ADAPTER}_file"), getattr(m, f"conform_{m.ADAPTER}"))
    for m in MODULES
}


def _read(adapter: str, reader: Reader, folder: Path, name: str, sha: str | None) -> RawBatch:
    """Read one landed file; a file that cannot be taken becomes a batch carrying the reason."""
    path = folder / name
    try:
        if not inside_folder(folder, path):
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
        retry_policy=SOURCE_RETRY,
        # Live mode lands new API pages first (a no-op unless WPPI_LIVE_FETCH is on).
        deps=[f"live_{adapter}"] if adapter in LIVE_ADAPTERS else None,
        description=f"Files in the {adapter} landing folder, read into one long record per "
        "source value (place, indicator, period and value as the source spells them).",
    )
    def raw(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> list[RawBatch]:
        folder = warehouse.layout.landing_for(adapter)
        folder.mkdir(parents=True, exist_ok=True)
        seen = ingested_files(warehouse)
        batches = []
        for name in sorted(p.name for p in folder.iterdir() if not p.name.startswith(".")):
            sha = landed_sha256(folder, name)
            if sha in seen:
                label = file_label(name)
                context.log.info(f"{label}: content already ingested ({seen[sha]}); skipped")
                continue
            batches.append(_read(adapter, reader, folder, name, sha).labelled())
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

# One job and one landing-folder sensor per source: a file dropped in landing/<adapter>/ is
# ingested and published without waiting for the daily run.
SOURCE_JOBS = [
    dg.define_asset_job(
        f"{adapter}_ingest",
        selection=dg.AssetSelection.groups(adapter, "publish"),
        description=f"Ingest new files from landing/{adapter}/, then publish.",
        tags=WAREHOUSE_TAG,
    )
    for adapter in ADAPTERS
]
SOURCE_SENSORS = [landing_sensor(adapter, f"{adapter}_ingest") for adapter in ADAPTERS]
