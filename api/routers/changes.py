"""The revisions feed: every public value added or revised since an instant."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response

from api import examples, openapi, params, schemas
from api.change_summary import Since, Summary, is_duration, since_instant, summary_table
from api.lookups import known_source, public_indicator, restricted_problem
from api.pagination import ChangeCursor, decode_cursor, paged_table
from api.params import Limit
from api.serving import TableRequest
from api.snapshot_store import OpenSnapshot
from warehouse.catalog import load_catalog
from warehouse.periods import format_period
from warehouse.queries import CHANGE_SORT_KEY, fetch_changes

router = APIRouter(prefix="/v1/changes", tags=["changes"])


@router.get(
    "",
    summary="Values added or revised since an instant or duration (P7D), or their counts",
    response_model=schemas.ChangesAnswer,
    responses=openapi.responses(examples.CHANGES_EXAMPLE, indicators=True),
)
async def list_changes(
    request: TableRequest,
    since: Since,
    indicator: params.IndicatorList = None,
    summary: Summary = False,
    source: params.Source = None,
    limit: Limit = 1000,
    cursor: ChangeCursor = None,
) -> Response:
    codes = params.code_list(indicator)
    # Refuse a restricted indicator before conditional-request handling: a 304 to
    # `If-None-Match: *` would answer without asking for a key.
    catalog = load_catalog().indicators
    for code in codes or ():
        if code in catalog and catalog[code].tier != "public":
            raise restricted_problem(code, "indicator")
    moment = since_instant(since)
    if is_duration(since):
        request.resolved = moment.isoformat()

    def build(snapshot: OpenSnapshot):
        for code in codes or ():
            public_indicator(snapshot.catalog, code, "indicator")
        chosen = known_source(snapshot.catalog, source)
        if summary:
            return summary_table(snapshot, moment, codes)
        after = decode_cursor(cursor, CHANGE_SORT_KEY)
        columns, rows = fetch_changes(snapshot.cursor, moment, codes, after, limit + 1, chosen)
        start, freq = columns.index("period_start"), columns.index("frequency")
        origin, demo = columns.index("source_id"), snapshot.catalog.demo
        columns = ["period", *columns, "demo"]
        rows = [(format_period(r[start], r[freq]), *r, demo(r[origin])) for r in rows]
        return paged_table(
            tuple(columns), rows, limit, CHANGE_SORT_KEY, request.next_link, snapshot.id
        )

    return await request.respond(build)
