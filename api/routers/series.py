"""Time series of one indicator for one or more places, in period order."""

from __future__ import annotations

from itertools import groupby
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from api.access import CallerDep
from api.deps import Snapshot
from api.problems import Problem
from api.responses import json_response
from warehouse.catalog import AGE_GROUP, SEX
from warehouse.periods import Period, format_period, parse_period
from warehouse.queries import fetch_geographies, fetch_indicators, fetch_series

router = APIRouter(prefix="/v1/series", tags=["series"])
PERIOD_HELP = "ISO 8601 period: 2022, 2022-Q1, 2022-03 or 2022-03-15."


def _period(text: str | None, parameter: str) -> Period | None:
    if text is None:
        return None
    try:
        return parse_period(text)
    except ValueError as exc:
        raise Problem(422, "Invalid parameter", f"{parameter}: {exc}", parameter) from None


def _vocabulary(value: str | None, allowed: dict, parameter: str) -> str | None:
    if value is not None and value not in allowed:
        detail = f"{parameter}: '{value}' is not one of {', '.join(allowed)}"
        raise Problem(422, "Invalid parameter", detail, parameter)
    return value


@router.get("", summary="One indicator's series for one or more places")
def get_series(
    snapshot: Snapshot,
    caller: CallerDep,
    indicator: Annotated[
        str,
        Query(description="Exact indicator code.", examples=["business.women_led_closures"],
              max_length=100),
    ],
    geo: Annotated[
        str | None,
        Query(description="Exact place codes, comma-separated; all places when omitted.",
              examples=["AF-KAB,AF-HER"], max_length=2000),
    ] = None,
    start: Annotated[str | None, Query(description=f"First period. {PERIOD_HELP}",
                                       examples=["2022-01"], max_length=10)] = None,
    end: Annotated[str | None, Query(description=f"Last period. {PERIOD_HELP}",
                                     examples=["2022-Q4"], max_length=10)] = None,
    sex: Annotated[str | None, Query(description="_T (total), F or M.", examples=["_T"],
                                     max_length=8)] = None,
    age_group: Annotated[str | None, Query(description="Age group code; _T for all ages.",
                                           examples=["_T"], max_length=16)] = None,
) -> Response:  # fmt: skip
    found = fetch_indicators(snapshot.cursor, indicator)
    if not found:
        detail = f"No indicator has the code '{indicator}'."
        raise Problem(404, "Unknown indicator", detail, "indicator")
    meta = found[0]
    # Unsuppressed values are restricted data whatever the indicator's own tier.
    tier = "restricted" if caller.unsuppressed else meta["tier"]
    caller.require(tier, f"Series of '{indicator}'", "indicator")
    geos = [code.strip() for code in geo.split(",") if code.strip()] if geo else None
    if geos:
        known = {g["code"] for g in fetch_geographies(snapshot.cursor, codes=geos)}
        unknown = [code for code in geos if code not in known]
        if unknown:
            detail = f"No place has the code(s) {', '.join(unknown)}."
            raise Problem(404, "Unknown place", detail, "geo")
    first, last = _period(start, "start"), _period(end, "end")
    rows = fetch_series(
        snapshot.cursor,
        indicator,
        geos=geos,
        start=first.start if first else None,
        end=last.end if last else None,
        sex=_vocabulary(sex, SEX, "sex"),
        age_group=_vocabulary(age_group, AGE_GROUP, "age_group"),
        unsuppressed=caller.unsuppressed,
    )
    series = [
        {
            "geo": geo_code,
            "sex": sex_code,
            "age_group": age_code,
            "points": [
                {
                    "period": format_period(r[3], r[4]),
                    "value": r[5],
                    "lower": r[6],
                    "upper": r[7],
                    "obs_status": r[8],
                    "source": r[9],
                }  # fmt: skip
                for r in points
            ],
        }
        for (geo_code, sex_code, age_code), points in groupby(rows, key=lambda r: r[:3])
    ]
    body = {"indicator": indicator, "unit": meta["unit"], "snapshot": snapshot.id,
            "access": tier, "series": series}  # fmt: skip
    response = json_response(body, snapshot.id)
    if tier != "public":
        response.headers["Cache-Control"] = "private, no-store"
    response.headers["Vary"] = "Authorization"
    return response
