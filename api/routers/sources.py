"""The sources behind the figures: publisher, licence, URL and type."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response

from api import examples, openapi, schemas
from api.formats import records_table
from api.serving import TableRequest
from api.snapshot_store import OpenSnapshot
from warehouse.queries import fetch_sources

router = APIRouter(prefix="/v1/sources", tags=["sources"])


@router.get(
    "",
    summary="Every source in the catalog",
    response_model=schemas.SourcesBody,
    responses=openapi.responses(examples.SOURCES_EXAMPLE),
)
async def list_sources(request: TableRequest) -> Response:
    def build(snapshot: OpenSnapshot):
        return records_table(fetch_sources(snapshot.cursor))

    return await request.respond(build)
