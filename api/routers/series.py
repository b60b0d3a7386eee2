"""Time series of one indicator for one or more places, in period order, optionally
aggregated to quarters or years by the catalog's rule.

A series is one (place, sex, age group, source): where two sources give the same place and
period, they are two series, each naming its publisher, so no series holds two values for
one period. A place asked for that has no data gets an empty series and a `note` naming the
places that have some.
"""

from __future__ import annotations

from itertools import groupby
from operator import itemgetter

from fastapi import APIRouter
from fastapi.responses import Response

from api import examples, labels, openapi, params, schemas
from api.formats import Table
from api.lookups import SnapshotCatalog
from api.observation_tables import FilterParams, observation_filter
from api.params import Frequency, Indicator, Latest
from api.serving import DataRequest
from api.snapshot_store import OpenSnapshot
from warehouse.aggregation import FREQUENCY_ORDER, aggregate_rows
from warehouse.events import fetch_point_notes
from warehouse.latest import latest_rows
from warehouse.observation import KEY as CELL_KEY
from warehouse.observation import PUBLISHED_COLUMNS
from warehouse.periods import format_period
from warehouse.queries import ObservationFilter

router = APIRouter(prefix="/v1/series", tags=["series"])
_COL = {name: index for index, name in enumerate(PUBLISHED_COLUMNS)}
# Flat columns for CSV, Parquet and SDMX-CSV (one row per point): two runs of
# PUBLISHED_COLUMNS with the period label between them and the demo flag after
# (tests/api/test_series_rows.py); tuple slices are the cheapest way to build each row.
KEY = slice(_COL["indicator_code"], _COL["age_group"] + 1)
POINT = slice(_COL["value"], _COL["source_id"] + 1)
COLUMNS = (*PUBLISHED_COLUMNS[KEY], "period", *PUBLISHED_COLUMNS[POINT], "demo")
_START, _FREQUENCY, _SOURCE = _COL["period_start"], _COL["frequency"], _COL["source_id"]
# What tells series apart, in warehouse rows and in flat rows (COLUMNS).
_SERIES = ("geo_code", "sex", "age_group", "source_id")
_SERIES_KEY = itemgetter(*(_COL[name] for name in _SERIES))
_FLAT_SERIES = itemgetter(*(COLUMNS.index(name) for name in _SERIES))
# Where a point came from, after COLUMNS: the decrees behind a derived point (`basis`) or
# the cited page of a reported figure (warehouse/events.py). Empty for other points.
NOTE_COLUMNS = ("basis", "citation_url", "citation_publisher", "citation_title",
                "citation_date", "evidence")  # fmt: skip
_NO_NOTE = (None,) * len(NOTE_COLUMNS)
# A point note is keyed by the cell key without the indicator (one indicator per request).
_note_key = itemgetter(*(_COL[name] for name in CELL_KEY if name != "indicator_code"))


# Every flat column: COLUMNS, the point note and the names (api/labels.py).
FLAT_COLUMNS = (*COLUMNS, *NOTE_COLUMNS, *labels.NAME_COLUMNS)
# What the columns after the point (demo flag, names) depend on.
_TAIL_KEY = itemgetter(_COL["indicator_code"], _COL["geo_code"], _SOURCE)


def flat_row(row: tuple, tail: tuple) -> tuple:
    """A warehouse row (PUBLISHED_COLUMNS) as FLAT_COLUMNS in one step, `tail` being its
    demo flag and what follows COLUMNS: a cold request does this for every point."""
    return row[KEY] + (format_period(row[_START], row[_FREQUENCY]),) + row[POINT] + tail


def series_order(rows: list[tuple]) -> list[tuple]:
    """Rows grouped by series (place, sex, age group, source), each in period order: the
    query returns them by period first, and the sort is stable."""
    return sorted(rows, key=_SERIES_KEY)


def _note(indicator: str, where: ObservationFilter, catalog: SnapshotCatalog,
          found: set[str]) -> str | None:  # fmt: skip
    """Why a place asked for has no points, and which places have data for the indicator."""
    empty = [geo for geo in where.geos or () if geo not in found]
    if not empty:
        return None
    view = "unsuppressed" if where.unsuppressed else "public"
    with_data = sorted(catalog.series.blocks.get((view, indicator), {}))
    known = ", ".join(with_data) if with_data else "none in this snapshot"
    return (f"No data for {', '.join(empty)} with the filters given. Places with data for "
            f"'{indicator}': {known}.")  # fmt: skip


def _point(r: tuple) -> dict:
    """A flat row as a JSON point; `basis` and `citation` only on points that have them."""
    point = {"period": r[4], "value": r[5], "lower": r[6], "upper": r[7], "obs_status": r[8],
             "source": r[9], "demo": r[10]}  # fmt: skip
    if r[11] is not None:
        point["basis"] = r[11]
    if r[12] is not None:
        point["citation"] = {"url": r[12], "publisher": r[13], "title": r[14], "date": r[15],
                             "evidence": r[16]}  # fmt: skip
    return point


def _json(indicator: str, unit: str, snapshot_id: str, access: str, rows: list[tuple],
          where: ObservationFilter, catalog: SnapshotCatalog) -> dict:  # fmt: skip
    series = [
        {
            "geo": geo_code,
            "sex": sex_code,
            "age_group": age_code,
            "source": source_id,
            "publisher": catalog.publisher(source_id),
            "demo": catalog.demo(source_id),
            "points": [_point(r) for r in points],
        }  # fmt: skip
        for (geo_code, sex_code, age_code, source_id), points in groupby(rows, key=_FLAT_SERIES)
    ]
    found = {s["geo"] for s in series}
    series += [
        {"geo": geo, "sex": where.sex or "_T", "age_group": where.age_group or "_T",
         "source": where.source, "publisher": None, "demo": False, "points": []}
        for geo in where.geos or () if geo not in found
    ]  # fmt: skip
    return {"indicator": indicator, "unit": unit, "snapshot": snapshot_id, "access": access,
            "note": _note(indicator, where, catalog, found), "series": series}  # fmt: skip


@router.get(
    "",
    summary="One indicator's series for one or more places",
    response_model=schemas.SeriesBody,
    responses=openapi.responses(examples.SERIES_EXAMPLE, data=True),
)
async def get_series(
    request: DataRequest,
    indicator: Indicator,
    query: FilterParams,
    frequency: Frequency = None,
    latest: Latest = None,
) -> Response:
    request.require_indicators([indicator], f"Series of '{indicator}'")

    access = "restricted" if request.unsuppressed else "public"

    def build(snapshot: OpenSnapshot) -> Table:
        where, metas = observation_filter(snapshot, [indicator], query, request.unsuppressed)
        meta = metas[indicator]
        rows = snapshot.fetch_series(where)
        notes = {}  # a note belongs to a native point, never to an aggregate
        if frequency is not None:
            if FREQUENCY_ORDER[meta["frequency"]] > FREQUENCY_ORDER[frequency]:
                detail = f"'{indicator}' is published at frequency {meta['frequency']}; it "
                raise params.invalid("frequency", detail + f"cannot be split into {frequency}.")
            rows = aggregate_rows(rows, frequency, meta["aggregation"])
        elif indicator in snapshot.catalog.noted:
            notes = fetch_point_notes(snapshot.cursor, indicator, where.geos, where.start,
                                      where.end)  # fmt: skip
        rows = series_order(rows)
        if latest is not None:
            rows = latest_rows(rows, latest)
        catalog, lang = snapshot.catalog, request.names_lang
        # A row's demo flag and names, made once per (indicator, place, source) in the answer.
        tails = {
            (code, geo, source): ((catalog.demo(source),), labels.row_names(code, geo, lang))
            for code, geo, source in set(map(_TAIL_KEY, rows))
        }
        if notes:
            flat = []
            for r in rows:
                demo, names = tails[_TAIL_KEY(r)]
                flat.append(flat_row(r, demo + notes.get(_note_key(r), _NO_NOTE) + names))
        else:
            plain = {key: demo + _NO_NOTE + names for key, (demo, names) in tails.items()}
            flat = [flat_row(r, plain[_TAIL_KEY(r)]) for r in rows]

        def body() -> dict:
            json = _json(indicator, meta["unit"], snapshot.id, access, flat, where, catalog)
            return labels.label_series(json, request.names_lang)

        return Table(FLAT_COLUMNS, flat, body)

    # A series read from its blocks builds on the event loop (no SQL, no thread hand-off).
    return await request.respond(build, inline=True)
