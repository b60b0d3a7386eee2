"""The indicator catalog as published."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from fastapi.responses import Response

from api.deps import Snapshot
from api.problems import Problem
from api.responses import json_response
from warehouse.queries import fetch_indicators

router = APIRouter(prefix="/v1/indicators", tags=["indicators"])


@router.get("", summary="Every indicator in the catalog")
def list_indicators(snapshot: Snapshot) -> Response:
    return json_response({"data": fetch_indicators(snapshot.cursor)}, snapshot.id)


@router.get("/{code}", summary="One indicator by its exact code")
def get_indicator(
    snapshot: Snapshot,
    code: Annotated[
        str,
        Path(description="Exact indicator code.", examples=["business.women_led_closures"]),
    ],
) -> Response:
    found = fetch_indicators(snapshot.cursor, code)
    if not found:
        raise Problem(404, "Unknown indicator", f"No indicator has the code '{code}'.", "code")
    return json_response({"data": found[0]}, snapshot.id)
