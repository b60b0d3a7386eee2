"""Observation rows as served: the filter a request names, and rows in the served columns."""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends

from api import params
from api.lookups import known_indicator, known_places, known_source
from api.params import AgeGroup, AsOf, End, Geo, Sex, Source, Start, UpdatedAfter
from api.snapshot_store import OpenSnapshot
from warehouse.observation import PUBLISHED_COLUMNS
from warehouse.periods import format_period
from warehouse.queries import ObservationFilter

_COL = {name: index for index, name in enumerate(PUBLISHED_COLUMNS)}
_START = _COL["period_start"]
# Flat observation columns, in the order every format serves them: the published columns
# with the period label before the period's dates and the demo flag last.
SERVED_COLUMNS = (*PUBLISHED_COLUMNS[:_START], "period", *PUBLISHED_COLUMNS[_START:], "demo")


def served_row(row: tuple, demo: bool) -> tuple:
    """A warehouse row (PUBLISHED_COLUMNS) as SERVED_COLUMNS (adds the period label and
    whether the value is invented demonstration data)."""
    period = format_period(row[_START], row[_COL["frequency"]])
    return (*row[:_START], period, *row[_START:], demo)


@dataclass(frozen=True)
class FilterQuery:
    """The query parameters that choose observations besides the indicator, which
    /v1/series and /v1/observations share: declared once, as one dependency."""

    geo: Geo = None
    start: Start = None
    end: End = None
    sex: Sex = None
    age_group: AgeGroup = None
    as_of: AsOf = None
    updated_after: UpdatedAfter = None
    source: Source = None


async def filter_query(**params: Any) -> FilterQuery:
    """The FilterQuery of a request, made on the event loop: FastAPI calls a class
    dependency (`Depends()` on the dataclass) in a worker thread, a hand-off there and back
    on every series request (docs/benchmarks.md)."""
    return FilterQuery(**params)


# The dataclass's fields are the query parameters, declared once.
filter_query.__signature__ = inspect.signature(FilterQuery)  # type: ignore[attr-defined]
FilterParams = Annotated[FilterQuery, Depends(filter_query)]


def observation_filter(
    snapshot: OpenSnapshot, indicators: list[str] | None, query: FilterQuery, unsuppressed: bool
) -> tuple[ObservationFilter, dict[str, dict]]:
    """Check every parameter against the catalog (errors name it); the filter and the
    catalog entries of the indicators it names. Tiers were checked by the caller."""
    metas = {
        code: known_indicator(snapshot.catalog, code, "indicator") for code in indicators or ()
    }
    geos = params.code_list(query.geo)
    known_places(snapshot.catalog, geos)
    first, last = params.period(query.start, "start"), params.period(query.end, "end")
    where = ObservationFilter(
        indicators=indicators,
        geos=geos,
        start=first.start if first else None,
        end=last.end if last else None,
        sex=params.sex(query.sex),
        age_group=params.age_group(query.age_group),
        as_of=params.instant(query.as_of, "as_of"),
        updated_after=params.instant(query.updated_after, "updated_after"),
        source=known_source(snapshot.catalog, query.source),
        unsuppressed=unsuppressed,
    )
    return where, metas
