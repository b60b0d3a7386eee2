"""Flat observation rows in a stable order, a page at a time (cursor pagination)."""

from __future__ import annotations

from dataclasses import replace

from fastapi import APIRouter
from fastapi.responses import Response

from api import examples, labels, openapi, params, schemas
from api.observation_tables import SERVED_COLUMNS, FilterParams, observation_filter, served_row
from api.pagination import ObservationCursor, decode_cursor, paged_table
from api.params import IndicatorList, Latest, Limit
from api.serving import DataRequest
from api.snapshot_store import OpenSnapshot
from warehouse.observation import PUBLISHED_COLUMNS
from warehouse.queries import SORT_KEY, fetch_observations

router = APIRouter(prefix="/v1/observations", tags=["observations"])
_SOURCE = PUBLISHED_COLUMNS.index("source_id")


@router.get(
    "",
    summary="Observation rows, one per value, with cursor pagination",
    response_model=schemas.ObservationsBody,
    responses=openapi.responses(examples.OBSERVATIONS_EXAMPLE, data=True),
)
async def list_observations(
    request: DataRequest,
    query: FilterParams,
    indicator: IndicatorList = None,
    latest: Latest = None,
    limit: Limit = 1000,
    cursor: ObservationCursor = None,
) -> Response:
    codes = params.code_list(indicator)
    request.require_indicators(codes, "Observations of restricted indicators")

    def build(snapshot: OpenSnapshot):
        where, _ = observation_filter(snapshot, codes, query, request.unsuppressed)
        where = replace(where, latest=latest)
        after = decode_cursor(cursor, SORT_KEY)
        bound = snapshot.catalog.series.rows(where)
        demo = snapshot.catalog.demo
        rows = [
            served_row(r, demo(r[_SOURCE]))
            for r in fetch_observations(snapshot.cursor, where, after, limit + 1, bound)
        ]
        columns, rows = labels.with_names(SERVED_COLUMNS, rows, request.names_lang)
        return paged_table(columns, rows, limit, SORT_KEY, request.next_link, snapshot.id)

    return await request.respond(build)
