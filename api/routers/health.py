"""Liveness, the snapshot being served, and any snapshot refused as damaged.

Async and free of DuckDB calls, so it answers in milliseconds however busy the query
threads are: the snapshot's facts were read once, when it was opened.
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response

from api import openapi, schemas
from api.deps import StoreDep, published
from api.responses import json_response

router = APIRouter(tags=["health"])


@router.get(
    "/healthz",
    summary="Service health and the snapshot being served",
    response_model=schemas.HealthBody,
    responses=openapi.HEALTH_RESPONSES,
)
async def healthz(store: StoreDep) -> Response:
    with published(retry_after=True):
        health = store.health()
    body: dict[str, object] = {
        "status": "degraded" if health.refused else "ok",
        "snapshot": health.snapshot,
        "published_at": health.published_at.replace(tzinfo=None).isoformat() + "Z",
        "observations": health.observations,
    }
    if health.refused:
        body["refused"] = {"snapshot": health.refused.snapshot, "reason": health.refused.reason}
    return json_response(body, health.snapshot)
