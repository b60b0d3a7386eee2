"""Every declared source in Dagster: a raw asset reading its landing folder, the shared
conform -> validate -> load steps, a job and a landing-folder sensor, all derived from
pipelines.sources.registry.

A file whose bytes were ingested before is skipped, so landing a folder twice changes nothing.
"""

import dagster as dg

from pipelines.batches import RawBatch
from pipelines.defs import landing
from pipelines.defs.landing import LandingFilesConfig
from pipelines.defs.operations import SOURCE_RETRY
from pipelines.defs.source_steps import WAREHOUSE_TAG, source_steps
from pipelines.reading import landed_names
from pipelines.resources import WarehouseResource
from pipelines.sources.declaration import SourceDeclaration
from pipelines.sources.intake import landed_sha256, read_landed_file
from pipelines.sources.registry import SOURCES
from warehouse.personal_data import file_label


def raw_asset(source: SourceDeclaration) -> dg.AssetsDefinition:
    @dg.asset(
        name=f"raw_{source.id}",
        group_name=source.id,
        tags={"source": source.id},
        retry_policy=SOURCE_RETRY,
        # Live mode lands new API pages first (a no-op unless WPPI_LIVE_FETCH is on).
        deps=[f"live_{source.id}"] if source.live else None,
        description=f"Files in the {source.id} landing folder ({source.description}), read "
        "into text records with their line numbers; nothing interpreted yet.",
    )
    def raw(
        context: dg.AssetExecutionContext, config: LandingFilesConfig, warehouse: WarehouseResource
    ) -> list[RawBatch]:
        folder = warehouse.layout.landing_for(source.id)
        folder.mkdir(parents=True, exist_ok=True)
        seen = landing.ingested_files(warehouse)
        # Files are known by label past this point: a name may hold personal data.
        landed = {file_label(name): name for name in landed_names(folder)}
        labels = config.files or sorted(landed, key=landed.get)
        if config.landed_from or config.landed_until:
            labels = [x for x in labels if x in landed and config.landed_within(folder / landed[x])]
        batches = []
        for label in labels:
            name = landed.get(label, label)
            sha = landed_sha256(folder, name)
            # A file chosen by a backfill is retried unless it loaded (a rejected submission
            # may be fixed and sent again under its name); otherwise anything seen is skipped.
            if sha and (seen.get(sha) == "loaded" or (not config.backfill and sha in seen)):
                context.log.info(f"{label}: content already ingested ({seen[sha]}); skipped")
                continue
            batches.append(
                read_landed_file(source, folder, name, sha, warehouse.read_limits).labelled()
            )
        context.add_output_metadata(
            {"files": len(batches), "rows_in": sum(b.rows_in for b in batches)}
        )
        return batches

    return raw


landing_source_assets = [
    asset for source in SOURCES for asset in (raw_asset(source), *source_steps(source))
]
OBSERVATIONS = [f"{source.id}_observations" for source in SOURCES]

# One job per source (and one landing-folder sensor, pipelines/definitions.py): a file
# dropped in landing/<source>/ is ingested and published without waiting for the daily run.
SOURCE_JOBS = [
    dg.define_asset_job(
        f"{source.id}_ingest",
        selection=dg.AssetSelection.groups(source.id, "publish"),
        description=f"Ingest new files from landing/{source.id}/, then publish.",
        tags=WAREHOUSE_TAG,
    )
    for source in SOURCES
]
