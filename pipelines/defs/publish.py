"""Publishing: freeze the build warehouse into an immutable snapshot readers can use."""

import dagster as dg

from pipelines.defs.landing_sources import OBSERVATIONS
from pipelines.resources import WarehouseResource
from warehouse.mirror import upload_snapshot
from warehouse.snapshots import publish


@dg.asset(deps=OBSERVATIONS, group_name="publish")
def published_snapshot(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> str:
    """The snapshot the API and extracts serve: sorted by series key, small counts suppressed.

    Only reached when every load in the run succeeded, so a failed run never publishes.
    With an object store configured the snapshot is also put there, pointer last, for API
    replicas on other machines.
    """
    layout = warehouse.layout
    con = warehouse.open_build()
    try:
        result = publish(con, layout.snapshots, warehouse.snapshot_retention)
    finally:
        con.close()
    bucket = warehouse.bucket()
    if bucket is not None:
        upload_snapshot(bucket, result.snapshot, layout.snapshots)
    context.add_output_metadata(
        {
            "object_store": warehouse.object_store_url or "none",
            "snapshot_id": result.snapshot.id,
            "new_snapshot": result.created,
            "public_observations": result.observations,
            "suppressed_cells": result.suppressed,
        }
    )
    return result.snapshot.id
