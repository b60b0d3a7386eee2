"""Data quality: the latest run of each source, its row counts and failed checks."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response

from api import examples, openapi, schemas
from api.access import CallerDep
from api.formats import records_table
from api.serving import TableRequest
from api.snapshot_store import OpenSnapshot
from warehouse.queries import fetch_quality

router = APIRouter(prefix="/v1/quality", tags=["quality"])


def _flat(check_list: list[dict]) -> str:
    """Failed checks as one CSV cell: `rule=rows|rule=rows`."""
    return "|".join(f"{c['check']}={c['rows']}" for c in check_list)


@router.get(
    "",
    summary="Latest run per source: rows in, loaded and quarantined, and the failed checks",
    response_model=schemas.QualityBody,
    responses=openapi.responses(examples.QUALITY_EXAMPLE),
)
async def get_quality(request: TableRequest, caller: CallerDep) -> Response:
    # Batches with restricted-tier rows are reported to restricted keys only (and audited):
    # their arrival is itself restricted information. The caller keys the cache entry.
    request.caller = caller
    if caller.unsuppressed:
        caller.require("restricted", "Quality of restricted data")

    def build(snapshot: OpenSnapshot):
        rows = fetch_quality(snapshot.cursor, all_tiers=caller.unsuppressed)
        return records_table(rows, flatten={"failed_checks": _flat})

    return await request.respond(build)
