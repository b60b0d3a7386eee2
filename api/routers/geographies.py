"""Places: countries (ISO 3166-1 alpha-3) and Afghan provinces (ISO 3166-2:AF)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response

from api import docs, labels
from api.formats import records_table
from api.serving import CatalogRequest
from api.snapshot_store import OpenSnapshot
from warehouse.queries import fetch_geographies

router = APIRouter(prefix="/v1/geographies", tags=["geographies"])


@router.get(
    "",
    summary="Places, optionally by level and parent",
    response_model=None,
    responses=docs.responses(docs.GEOGRAPHIES_EXAMPLE, model=docs.GeographiesBody),
)
async def list_geographies(
    request: CatalogRequest,
    level: Annotated[
        Literal["country", "province"] | None,
        Query(description="Administrative level.", examples=["province"]),
    ] = None,
    parent: Annotated[
        str | None,
        Query(description="Exact code of the parent place.", examples=["AFG"], max_length=16),
    ] = None,
) -> Response:
    def build(snapshot: OpenSnapshot):
        places = fetch_geographies(snapshot.cursor, level=level, parent=parent)
        for place in places:
            place["name"], place["name_lang"] = labels.place_name(
                place["code"], place["name"], place["level"], request.names_lang
            )
            place["name_status"] = labels.name_status(
                place["level"], place["code"], place["name_lang"]
            )
        columns = ("code", "name", "name_lang", "level", "parent", "name_status")
        return records_table(places, columns=columns)

    return await request.respond(build)
