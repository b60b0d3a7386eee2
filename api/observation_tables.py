"""Observation rows as served: the filter a request names, and rows in the served columns."""

from __future__ import annotations

from api import params
from api.lookups import known_indicator, known_places, known_source
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


def observation_filter(
    snapshot: OpenSnapshot,
    indicators: list[str] | None,
    geo: str | None,
    start: str | None,
    end: str | None,
    sex: str | None,
    age_group: str | None,
    as_of: str | None,
    updated_after: str | None,
    unsuppressed: bool,
    source: str | None = None,
) -> tuple[ObservationFilter, dict[str, dict]]:
    """Check every parameter against the catalog (errors name it); the filter and the
    catalog entries of the indicators it names. Tiers were checked by the caller."""
    metas = {
        code: known_indicator(snapshot.catalog, code, "indicator") for code in indicators or ()
    }
    geos = params.code_list(geo)
    known_places(snapshot.catalog, geos)
    first, last = params.period(start, "start"), params.period(end, "end")
    where = ObservationFilter(
        indicators=indicators,
        geos=geos,
        start=first.start if first else None,
        end=last.end if last else None,
        sex=params.sex(sex),
        age_group=params.age_group(age_group),
        as_of=params.instant(as_of, "as_of"),
        updated_after=params.instant(updated_after, "updated_after"),
        source=known_source(snapshot.catalog, source),
        unsuppressed=unsuppressed,
    )
    return where, metas
