"""The revisions feed: every public value added or revised since an instant."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from api import docs, params
from api.access import public_indicator
from api.formats import Table
from api.pagination import decode_cursor, page
from api.params import Cursor, Limit
from api.serving import TableRequest
from api.snapshot_store import OpenSnapshot
from warehouse.periods import format_period
from warehouse.queries import CHANGE_SORT_KEY, fetch_changes

router = APIRouter(prefix="/v1/changes", tags=["changes"])

Since = Annotated[
    str,
    Query(description=f"Changes recorded after this instant. {params.INSTANT_HELP}",
          examples=["2024-01-01"], max_length=32, pattern=params.INSTANT_PATTERN),
]  # fmt: skip
Indicators = Annotated[
    str | None,
    Query(description="Exact indicator codes, comma-separated; every public indicator when "
          "omitted.", examples=["business.women_led_closures"], max_length=2000),
]  # fmt: skip


@router.get(
    "",
    summary="Values added or revised since an instant, oldest first",
    response_model=None,
    responses=docs.responses(docs.CHANGES_EXAMPLE, model=docs.ChangesBody, indicators=True),
)
async def list_changes(
    request: TableRequest,
    since: Since,
    indicator: Indicators = None,
    limit: Limit = 1000,
    cursor: Cursor = None,
) -> Response:
    def build(snapshot: OpenSnapshot) -> Table:
        codes = params.code_list(indicator)
        for code in codes or ():
            public_indicator(snapshot.cursor, code, "indicator")
        after = decode_cursor(cursor, CHANGE_SORT_KEY)
        columns, rows = fetch_changes(snapshot.cursor, params.instant(since, "since"), codes,
                                      after, limit + 1)  # fmt: skip
        start, freq = columns.index("period_start"), columns.index("frequency")
        columns = ["period", *columns]
        rows = [(format_period(r[start], r[freq]), *r) for r in rows]
        key = tuple(columns.index(name) for name in CHANGE_SORT_KEY)
        rows, next_cursor = page(rows, limit, key)
        link = request.next_link(next_cursor) if next_cursor else None
        return Table(
            tuple(columns),
            rows,
            lambda: {"snapshot": snapshot.id, "next": link,
                     "data": [dict(zip(columns, r, strict=True)) for r in rows]},
            next=link,
        )  # fmt: skip

    return await request.respond(build)
