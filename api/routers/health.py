"""Liveness, the snapshot being served, and any snapshot refused as damaged.

Async and free of DuckDB calls, so it answers in milliseconds however busy the query
threads are: the snapshot's facts were read once, when it was opened.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from api import docs
from api.problems import problem_response
from api.responses import json_response
from api.snapshot_store import NoSnapshot

router = APIRouter(tags=["health"])


@router.get(
    "/healthz",
    summary="Service health and the snapshot being served",
    response_model=None,
    responses=docs.HEALTH_RESPONSES,
)
async def healthz(request: Request) -> Response:
    try:
        health = request.app.state.store.health()
    except NoSnapshot as exc:
        detail = f"No good snapshot to serve: {exc}" if exc.args[0] else (
            "No snapshot has been published yet.")  # fmt: skip
        return problem_response(503, "No data published", detail, None, "/healthz",
                                {"Retry-After": "30"})  # fmt: skip
    body = {"status": "degraded" if health.refused else "ok", "snapshot": health.snapshot,
            "published_at": health.published_at.replace(tzinfo=None).isoformat() + "Z",
            "observations": health.observations}  # fmt: skip
    if health.refused:
        body["refused"] = {"snapshot": health.refused.snapshot, "reason": health.refused.reason}
    return json_response(body, health.snapshot)
