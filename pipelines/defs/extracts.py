"""Researchers' extracts: each published snapshot as Parquet files with a Data Package manifest."""

import dagster as dg

from pipelines.resources import WarehouseResource
from warehouse.extract_store import prune_extracts
from warehouse.extracts import ensure_extract
from warehouse.mirror import upload_folder
from warehouse.snapshots import Snapshot, current_snapshot


@dg.asset(group_name="publish")
def extracts(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource, published_snapshot: str
) -> str:
    """Public observations of the current snapshot as zstd Parquet, one file per indicator,
    the catalog tables and datapackage.json with every file's sha256; written once per
    snapshot and never changed. Older snapshots' extracts beyond the retention are deleted.
    """
    layout = warehouse.layout
    snapshot = Snapshot(published_snapshot, layout.snapshots / f"{published_snapshot}.duckdb")
    result = ensure_extract(snapshot, layout.extracts)
    bucket = warehouse.bucket()
    if bucket is not None and result.created:
        upload_folder(bucket, result.folder, f"extracts/{snapshot.id}")
    current = current_snapshot(layout.snapshots)
    removed = prune_extracts(
        layout.extracts, warehouse.extract_retention, current.id if current else snapshot.id
    )
    context.add_output_metadata(
        {
            "snapshot_id": snapshot.id,
            "path": str(result.folder),
            "new_extract": result.created,
            "files": result.files,
            "observations": result.observations,
            "pruned": removed,
        }
    )
    return snapshot.id
