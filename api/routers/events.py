"""Policy events: decrees and orders restricting women, each with its citation.

Events are public record about the authorities (DESIGN.md), not data about people, so they
are served whole. A national decree (scope AFG) applies in every province: `geo=AF-HER`
lists Herat's own decrees and the national ones.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from api import examples, openapi, params, schemas
from api.formats import records_table
from api.lookups import known_places
from api.serving import TableRequest
from api.snapshot_store import OpenSnapshot
from warehouse.events import fetch_events

router = APIRouter(prefix="/v1/events", tags=["events"])
NATIONAL = "AFG"
# Flat columns for CSV and Parquet; JSON nests the citation (_nested).
COLUMNS = (
    "id",
    "date_announced",
    "date_effective",
    "issuer",
    "domain",
    "scope",
    "summary",
    "citation_url",
    "citation_publisher",
    "citation_title",
    "citation_date",
    "evidence",
)
CITATION = {
    "citation_url": "url",
    "citation_publisher": "publisher",
    "citation_title": "title",
    "citation_date": "date",
}

# The policy tracker's domains (pipelines/sources/policy_tracker.py DOMAINS); the pattern
# makes the schema as strict as the server, so a listed domain is never refused.
DOMAINS = (
    "business",
    "dress",
    "education",
    "employment",
    "justice",
    "media",
    "movement",
    "other",
    "public_space",
)
Domain = Annotated[
    str | None,
    Query(
        description=f"Exact domain: {', '.join(DOMAINS)}; all when omitted.",
        examples=["movement"],
        max_length=32,
        pattern=f"^(?:{'|'.join(DOMAINS)})$",
    ),
]
EventGeo = Annotated[
    str | None,
    Query(
        description="Exact place codes, comma-separated. A province lists its own decrees "
        "and the national ones (scope AFG), which apply there too; AFG lists national "
        "decrees only. All events when omitted.",
        examples=["AF-HER"],
        max_length=2000,
    ),
]
EventStart = Annotated[
    str | None,
    Query(
        description="Events that took effect (date_effective, else date_announced) in or "
        f"after this period. {params.PERIOD_HELP}",
        examples=["2022-01"],
        max_length=10,
        pattern=params.PERIOD_PATTERN,
    ),
]
EventEnd = Annotated[
    str | None,
    Query(
        description="Events that took effect in or before this period. A month-only date "
        f"(2022-05) counts as that month. {params.PERIOD_HELP}",
        examples=["2022-12"],
        max_length=10,
        pattern=params.PERIOD_PATTERN,
    ),
]


def _scopes(geos: list[str] | None) -> list[str] | None:
    """The scopes whose decrees apply in the places asked for."""
    if geos is None:
        return None
    provinces = any(code.startswith("AF-") for code in geos)
    return sorted(set(geos) | ({NATIONAL} if provinces else set()))


def _nested(record: dict) -> dict:
    """An event as served in JSON: the citation as one object."""
    event = {k: v for k, v in record.items() if k not in CITATION and k != "evidence"}
    citation = {name: record[column] for column, name in CITATION.items()}
    return {**event, "citation": citation, "evidence": record["evidence"]}


@router.get(
    "",
    summary="Decrees and orders restricting women, with their citations",
    response_model=schemas.EventsBody,
    responses=openapi.responses(examples.EVENTS_EXAMPLE, not_found=True),
)
async def list_events(
    request: TableRequest,
    domain: Domain = None,
    geo: EventGeo = None,
    start: EventStart = None,
    end: EventEnd = None,
) -> Response:
    def build(snapshot: OpenSnapshot):
        geos = params.code_list(geo)
        known_places(snapshot.catalog, geos)
        first, last = params.period(start, "start"), params.period(end, "end")
        bounds = (first.start if first else None, last.end if last else None)
        records = fetch_events(snapshot.cursor, domain, _scopes(geos), *bounds)
        body = {"snapshot": snapshot.id, "data": [_nested(r) for r in records]}
        return records_table(records, COLUMNS, body=lambda: body)

    return await request.respond(build)
