"""Liveness, the snapshot being served, and any newer snapshot refused as damaged."""

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
    store = request.app.state.store
    try:
        with store.acquire() as snapshot:
            info = fetch_snapshot_info(snapshot.cursor)
            body = {"status": "degraded" if store.refused else "ok", "snapshot": snapshot.id,
                    "published_at": info["published_at"].isoformat() + "Z",
                    "observations": info["observations"]}  # fmt: skip
            if store.refused:
                body["refused"] = {"snapshot": store.refused.snapshot,
                                   "reason": store.refused.reason}  # fmt: skip
            return json_response(body, snapshot.id)
    except NoSnapshot as exc:
        detail = f"No good snapshot to serve: {exc}" if exc.args[0] else (
            "No snapshot has been published yet.")  # fmt: skip
        return problem_response(503, "No data published", detail, None, "/healthz")
