"""Liveness and the snapshot being served."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from api import docs
from api.problems import problem_response
from api.responses import json_response
from api.snapshot_store import NoSnapshot
from warehouse.queries import fetch_snapshot_info

router = APIRouter(tags=["health"])


@router.get(
    "/healthz",
    summary="Service health and the snapshot being served",
    response_model=None,
    responses=docs.HEALTH_RESPONSES,
)
def healthz(request: Request) -> Response:
    try:
        with request.app.state.store.acquire() as snapshot:
            info = fetch_snapshot_info(snapshot.cursor)
            body = {"status": "ok", "snapshot": snapshot.id,
                    "published_at": info["published_at"].isoformat() + "Z",
                    "observations": info["observations"]}  # fmt: skip
            return json_response(body, snapshot.id)
    except NoSnapshot:
        return problem_response(
            503, "No data published", "No snapshot has been published yet.", None, "/healthz"
        )
