"""Query parameters shared by several endpoints: one description and example each, and the
parsing that turns them into warehouse filters (errors name the parameter)."""

from __future__ import annotations

from datetime import UTC, datetime, time
from typing import Annotated, Literal

from fastapi import Query

from api.problems import Problem
from warehouse.catalog import AGE_GROUP, SEX
from warehouse.periods import Period, parse_period

PERIOD_HELP = "ISO 8601 period: 2022, 2022-Q1, 2022-03 or 2022-03-15."
INSTANT_HELP = (
    "ISO 8601 date or UTC date-time (2024-01-31 or 2024-01-31T12:00:00); a date means the end "
    "of that day."
)
MAX_LIMIT = 10_000
# The schema's patterns accept exactly what the parsers below accept (tests/api/
# test_patterns.py), so generated clients and fuzzers never send a value that looks right
# and is refused: years 0001-9999, real months, days that exist (29 February in leap years).
_YEAR = r"(?:[1-9][0-9]{3}|0[1-9][0-9]{2}|00[1-9][0-9]|000[1-9])"
_LEAP_YEAR = r"(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:0[48]|[2468][048]|[13579][26])00)"
_MONTH_DAY = (
    r"(?:(?:0[1-9]|1[0-2])-(?:0[1-9]|1[0-9]|2[0-8])|(?:0[13-9]|1[0-2])-(?:29|30)"
    r"|(?:0[13578]|1[02])-31)"
)
_DATE = rf"(?:{_YEAR}-{_MONTH_DAY}|{_LEAP_YEAR}-02-29)"
_CLOCK = r"(?:[01][0-9]|2[0-3]):[0-5][0-9]"
_TIME = rf"T{_CLOCK}(?::[0-5][0-9](?:\.[0-9]{{1,6}})?)?(?:Z|[+-]{_CLOCK})?"
PERIOD_PATTERN = rf"^(?:{_DATE}|{_YEAR}(?:-Q[1-4]|-(?:0[1-9]|1[0-2]))?)$"
INSTANT_PATTERN = rf"^{_DATE}(?:{_TIME})?$"

Indicator = Annotated[
    str,
    Query(
        description="Exact indicator code (no substring matching).",
        examples=["business.women_led_closures"],
        max_length=100,
    ),
]
IndicatorList = Annotated[
    str | None,
    Query(
        description="Exact indicator codes, comma-separated; every public indicator when omitted.",
        examples=["business.women_led_closures"],
        max_length=2000,
    ),
]
Geo = Annotated[
    str | None,
    Query(
        description="Exact place codes, comma-separated (ISO 3166-1 alpha-3 or 3166-2); all "
        "places when omitted.",
        examples=["AF-KAB,AF-HER"],
        max_length=2000,
    ),
]
Start = Annotated[
    str | None,
    Query(
        description=f"First period (inclusive). {PERIOD_HELP}",
        examples=["2022-01"],
        max_length=10,
        pattern=PERIOD_PATTERN,
    ),
]
End = Annotated[
    str | None,
    Query(
        description=f"Last period (inclusive). {PERIOD_HELP}",
        examples=["2022-Q4"],
        max_length=10,
        pattern=PERIOD_PATTERN,
    ),
]
Sex = Annotated[
    str | None,
    Query(
        description="Sex: _T (total), F or M; all when omitted.",
        examples=["_T"],
        max_length=8,
        pattern=f"^(?:{'|'.join(SEX)})$",
    ),
]
AgeGroup = Annotated[
    str | None,
    Query(
        description=f"Age group: {', '.join(AGE_GROUP)}; all when omitted.",
        examples=["_T"],
        max_length=16,
        pattern=f"^(?:{'|'.join(AGE_GROUP)})$",
    ),
]
AsOf = Annotated[
    str | None,
    Query(
        description="Serve the values as they were published at this instant (revisions "
        f"recorded later are ignored). {INSTANT_HELP}",
        examples=["2024-06-30"],
        max_length=32,
        pattern=INSTANT_PATTERN,
    ),
]
UpdatedAfter = Annotated[
    str | None,
    Query(
        description=f"Only values recorded after this instant. {INSTANT_HELP}",
        examples=["2024-01-01"],
        max_length=32,
        pattern=INSTANT_PATTERN,
    ),
]
Source = Annotated[
    str | None,
    Query(
        description="Exact source id (see /v1/sources): only that source's values. Where "
        "several sources give the same place and period, each is its own series.",
        examples=["unhcr.population"],
        max_length=100,
    ),
]
Limit = Annotated[
    int,
    Query(description=f"Rows per page, at most {MAX_LIMIT}.", examples=[1000], ge=1, le=MAX_LIMIT),
]
Latest = Annotated[
    int | None,
    Query(
        description="Only the N most recent periods that have a value, per series (World "
        "Bank's MRV): `latest=1` is the latest figure of every place. Suppressed and missing "
        "points are skipped. Applied after `start`, `end`, `as_of` and `frequency`.",
        examples=[1],
        ge=1,
        le=1000,
    ),
]
Frequency = Annotated[
    Literal["M", "Q", "A"] | None,
    Query(
        description="Aggregate to months, quarters or years. How values combine (sum for "
        "counts, mean or last for rates and levels) is fixed by the indicator's catalog entry; "
        "an aggregate with any suppressed part is itself suppressed. Native frequency when "
        "omitted.",
        examples=["Q"],
    ),
]


def invalid(parameter: str, detail: str) -> Problem:
    return Problem(422, "Invalid parameter", f"{parameter}: {detail}", parameter)


def period(text: str | None, parameter: str) -> Period | None:
    if text is None:
        return None
    try:
        return parse_period(text)
    except ValueError as exc:
        raise invalid(parameter, str(exc)) from None


def instant(text: str | None, parameter: str) -> datetime | None:
    """A naive UTC timestamp (as the warehouse stores them); a bare date is its last moment."""
    if text is None:
        return None
    try:
        if len(text) == 10:
            return datetime.combine(datetime.fromisoformat(text).date(), time.max)
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise invalid(parameter, f"'{text}' is not an ISO 8601 date or date-time") from None
    if moment.tzinfo is not None:
        try:
            moment = moment.astimezone(UTC).replace(tzinfo=None)
        except OverflowError:  # an offset that crosses year 1 or 9999: the calendar's edge
            return datetime.min if moment.year == 1 else datetime.max
    return moment


def vocabulary(value: str | None, allowed: dict, parameter: str) -> str | None:
    if value is not None and value not in allowed:
        raise invalid(parameter, f"'{value}' is not one of {', '.join(allowed)}")
    return value


def sex(value: str | None) -> str | None:
    return vocabulary(value, SEX, "sex")


def age_group(value: str | None) -> str | None:
    return vocabulary(value, AGE_GROUP, "age_group")


def code_list(text: str | None) -> list[str] | None:
    """Comma-separated exact codes; None when absent or empty."""
    codes = [code.strip() for code in (text or "").split(",") if code.strip()]
    return codes or None
