"""Places: countries (ISO 3166-1 alpha-3) and Afghan provinces (ISO 3166-2:AF)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response

from api.deps import Snapshot
from api.responses import json_response
from warehouse.queries import fetch_geographies

router = APIRouter(prefix="/v1/geographies", tags=["geographies"])


@router.get("", summary="Places, optionally by level and parent")
def list_geographies(
    snapshot: Snapshot,
    level: Annotated[
        Literal["country", "province"] | None,
        Query(description="Administrative level.", examples=["province"]),
    ] = None,
    parent: Annotated[
        str | None,
        Query(description="Exact code of the parent place.", examples=["AFG"], max_length=16),
    ] = None,
) -> Response:
    return json_response(
        {"data": fetch_geographies(snapshot.cursor, level=level, parent=parent)}, snapshot.id
    )
