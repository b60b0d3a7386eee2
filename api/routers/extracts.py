"""Researchers' extracts: list them and download their files (ranges, ETags, no traversal)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import FileResponse, Response

from api.deps import ExtractsDep, StoreDep
from api.examples import EXTRACTS_EXAMPLE
from api.openapi import problem
from api.problems import Problem
from api.responses import json_response
from api.schemas import ExtractsBody
from api.snapshot_store import SnapshotStore
from warehouse.extract_store import extract_file, list_extracts
from warehouse.snapshots import current_snapshot

router = APIRouter(prefix="/v1/extracts", tags=["extracts"])
LATEST = "latest"
MEDIA_TYPES = {".parquet": "application/vnd.apache.parquet", ".json": "application/json"}
_NOT_FOUND = problem("Unknown snapshot or file", 404, "file")


def _current_id(store: SnapshotStore) -> str | None:
    snapshot = current_snapshot(store.folder)
    return snapshot.id if snapshot else None


@router.get(
    "",
    summary="Every extract on offer, newest first, with its files and checksums",
    response_model=ExtractsBody,
    responses={
        200: {
            "description": "The extracts kept, newest first.",
            "content": {"application/json": {"example": EXTRACTS_EXAMPLE}},
        }
    },
)
def get_extracts(store: StoreDep, extracts: ExtractsDep) -> Response:
    current = _current_id(store)
    data = [
        {
            "snapshot": extract.snapshot_id,
            "current": extract.snapshot_id == current,
            "created": extract.created,
            "schema_version": extract.schema_version,
            "files": [
                {
                    "name": f.name,
                    "bytes": f.bytes,
                    "sha256": f.sha256,
                    "rows": f.rows,
                    "url": f"{router.prefix}/{extract.snapshot_id}/{f.name}",
                }
                for f in extract.files
            ],
        }
        for extract in reversed(list_extracts(extracts))
    ]
    return json_response({"latest": current, "data": data}, current)


# GET and HEAD are two routes of one function: one route with both methods would give both
# OpenAPI operations the same operationId, which client generators reject.
_FILE_ROUTE: dict[str, Any] = dict(
    summary="Download one file of an extract (supports Range requests)",
    response_class=FileResponse,
    responses={
        200: {
            "description": "The whole file (Parquet, or the JSON manifest).",
            "content": {
                "application/vnd.apache.parquet": {"schema": {"type": "string", "format": "binary"}}
            },
        },
        206: {"description": "The requested byte range of the file."},
        304: {"description": "Not modified: If-None-Match matched the file's sha256 ETag."},
        404: _NOT_FOUND,
        416: {"description": "The requested range lies outside the file."},
        422: problem("Invalid parameter", 422, "file"),
    },
)


@router.get("/{snapshot}/{file}", **_FILE_ROUTE)
@router.head("/{snapshot}/{file}", name="head_extract_file", **_FILE_ROUTE)
def get_extract_file(
    request: Request,
    store: StoreDep,
    extracts: ExtractsDep,
    snapshot: Annotated[
        str,
        Path(
            description="Snapshot id, or `latest` for the current snapshot.",
            examples=["latest"],
            max_length=40,
        ),
    ],
    file: Annotated[
        str,
        Path(
            description="A file named in the extract's datapackage.json, or the manifest.",
            examples=["observations.parquet"],
            max_length=200,
        ),
    ],
) -> Response:
    snapshot_id = _current_id(store) if snapshot == LATEST else snapshot
    if snapshot_id is None:
        raise Problem(404, "No extract", "No snapshot has been published yet.", "snapshot")
    if snapshot_id not in {e.snapshot_id for e in list_extracts(extracts)}:
        detail = f"No extract is kept for snapshot '{snapshot}' (see /v1/extracts)."
        raise Problem(404, "Unknown extract", detail, "snapshot")
    found = extract_file(extracts, snapshot_id, file)
    if found is None:
        detail = f"Extract '{snapshot}' has no file '{file}' (see /v1/extracts)."
        raise Problem(404, "Unknown extract file", detail, "file")
    path, entry = found
    etag = f'"{entry.sha256}"'
    # A snapshot's files never change; `latest` moves, so it must be revalidated.
    cache = "no-cache" if snapshot == LATEST else "public, max-age=31536000, immutable"
    headers = {"ETag": etag, "Cache-Control": cache, "X-WPPI-Snapshot": snapshot_id}
    if etag in {tag.strip() for tag in request.headers.get("if-none-match", "").split(",")}:
        return Response(status_code=304, headers=headers)
    return FileResponse(
        path,
        media_type=MEDIA_TYPES.get(path.suffix, "application/octet-stream"),
        headers=headers,
        filename=f"wppi-{snapshot_id}-{file}",
    )
