"""JSON responses pre-serialised with orjson (~10x the throughput of plain dicts, DESIGN.md)."""

from __future__ import annotations

from typing import Any

import orjson
from fastapi.responses import Response

# The warehouse keeps naive UTC timestamps; serve them marked as UTC ("...Z").
_OPTIONS = orjson.OPT_NON_STR_KEYS | orjson.OPT_NAIVE_UTC | orjson.OPT_UTC_Z


def dumps(body: Any) -> bytes:
    return orjson.dumps(body, option=_OPTIONS)


def json_response(body: Any, snapshot_id: str | None = None) -> Response:
    """A JSON response stamped with the snapshot it came from (its id is the ETag)."""
    headers = {"ETag": f'"{snapshot_id}"', "X-WPPI-Snapshot": snapshot_id} if snapshot_id else {}
    return Response(dumps(body), media_type="application/json", headers=headers)
