"""The indicator catalog as published, with search and per-indicator coverage."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response

from api import examples, labels, openapi, schemas
from api.formats import records_table
from api.problems import Problem
from api.serving import CatalogRequest
from api.snapshot_store import OpenSnapshot
from warehouse.catalog import load_catalog
from warehouse.periods import format_period
from warehouse.queries import fetch_coverage, fetch_indicators
from warehouse.search import search

router = APIRouter(prefix="/v1/indicators", tags=["indicators"])
TOPICS = tuple(sorted({i.topic for i in load_catalog().indicators.values()}))
ALIASES = {i.code: i.alias_codes for i in load_catalog().indicators.values()}
COVERAGE_COLUMNS = ("places", "first_period", "last_period", "last_updated", "sources")

Topic = Annotated[
    Literal[TOPICS] | None,  # type: ignore[valid-type]
    Query(description="Exact topic.", examples=["media"]),
]
Search = Annotated[
    str | None,
    Query(
        description="Search: indicators matching every word. A word matches a word of the "
        "name, definition or topic in any spelling or form (labour/labor, "
        "enrolment/enrollment, school/schools/schooling; university finds tertiary), or an "
        "indicator code or publisher code (World Bank, SDG, UIS, V-Dem, HDR: "
        "SL.TLF.CACT.FE.ZS) exactly; never part of a word. ` OR ` between words finds "
        "indicators matching either side.",
        examples=["girls schooling OR enrolment OR labour"],
        min_length=1,
        max_length=200,
    ),
]
HasData = Annotated[
    bool | None,
    Query(
        description="true: only indicators with public data in this snapshot; false: only "
        "those without. Restricted indicators (has_data null) are in neither.",
        examples=[True],
    ),
]


def _labelled(indicator: dict, language: str) -> dict:
    name, name_lang = labels.indicator_name(indicator["code"], indicator["name"], language)
    status = labels.name_status("indicator", indicator["code"], name_lang)
    return {**indicator, "name": name, "name_lang": name_lang, "name_status": status}


def _coverage(snapshot: OpenSnapshot, indicator: dict) -> dict | None:
    """What the snapshot publicly holds; None for restricted indicators, so the public API
    never tells whether a restricted series has data."""
    if indicator["tier"] != "public":
        return None
    found = fetch_coverage(snapshot.cursor, indicator["code"])
    frequency = indicator["frequency"]
    first, last = found["first_period_start"], found["last_period_end"]
    return {
        "places": found["places"],
        "geos": found["geos"] or [],
        "first_period": format_period(first, frequency) if first else None,
        "last_period": format_period(last, frequency) if last else None,
        "last_updated": found["last_updated"],
        "sources": found["sources"] or [],
    }


@router.get(
    "",
    summary="Indicators in the catalog, by topic or search words",
    response_model=schemas.IndicatorsBody,
    responses=openapi.responses(examples.INDICATORS_EXAMPLE),
)
async def list_indicators(
    request: CatalogRequest, topic: Topic = None, q: Search = None, has_data: HasData = None
) -> Response:
    def build(snapshot: OpenSnapshot):
        found = fetch_indicators(snapshot.cursor, topic=topic)
        if q is not None:
            found = search(found, q, ALIASES)
        if has_data is not None:
            found = [i for i in found if i["has_data"] is has_data]
        return records_table([_labelled(i, request.names_lang) for i in found])

    return await request.respond(build)


@router.get(
    "/{code}",
    summary="One indicator by its exact code, with what the snapshot holds for it",
    response_model=schemas.IndicatorBody,
    responses=openapi.responses(examples.INDICATOR_EXAMPLE, not_found=True),
)
async def get_indicator(
    request: CatalogRequest,
    code: Annotated[
        str,
        Path(
            description="Exact indicator code.",
            examples=["business.women_led_closures"],
            max_length=100,
        ),
    ],
) -> Response:
    def build(snapshot: OpenSnapshot):
        found = fetch_indicators(snapshot.cursor, code)
        if not found:
            raise Problem(404, "Unknown indicator", f"No indicator has the code '{code}'.", "code")
        detail = {
            **_labelled(found[0], request.names_lang),
            "coverage": _coverage(snapshot, found[0]),
        }
        flat = {
            **detail,
            **{f"coverage_{k}": (detail["coverage"] or {}).get(k) for k in COVERAGE_COLUMNS},
        }
        del flat["coverage"]
        return records_table([flat], body=lambda: {"data": detail})

    return await request.respond(build)
