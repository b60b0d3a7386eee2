"""The published snapshots still kept, newest first, and which one is being served."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter
from fastapi.responses import Response

from api import examples, openapi, schemas
from api.deps import StoreDep
from api.formats import records_table
from api.serving import TableRequest
from api.snapshot_store import OpenSnapshot
from warehouse.snapshots import list_snapshots

router = APIRouter(prefix="/v1/snapshots", tags=["snapshots"])


@router.get(
    "",
    summary="Published snapshots kept on this server, newest first",
    response_model=schemas.SnapshotsBody,
    responses=openapi.responses(examples.SNAPSHOTS_EXAMPLE),
)
async def list_published(request: TableRequest, store: StoreDep) -> Response:
    folder = store.folder

    def build(snapshot: OpenSnapshot):
        records = [
            {
                "id": snap.id,
                # The id starts with the UTC publication time (warehouse/snapshots.py).
                "published_at": datetime.strptime(snap.id[:19], "%Y%m%dT%H%M%S.%f"),
                "current": snap.id == snapshot.id,
            }
            for snap in reversed(list_snapshots(folder))
        ]
        return records_table(records, columns=("id", "published_at", "current"))

    return await request.respond(build)
