"""`GET /`: a small page where a monitor picks an indicator and places and sees the series."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from api import chart_page, labels
from api.chart import Point
from api.deps import StoreDep, open_snapshot
from api.lookups import SnapshotCatalog, known_places, public_indicator
from api.routers.events import DOMAINS, NATIONAL
from api.serving import Lang
from warehouse.events import fetch_events
from warehouse.observation import PUBLISHED_COLUMNS
from warehouse.periods import format_period
from warehouse.queries import (
    ObservationFilter,
    fetch_coverage,
    fetch_indicators,
    fetch_observations,
)

router = APIRouter(include_in_schema=False)
_COL = {name: index for index, name in enumerate(PUBLISHED_COLUMNS)}
_DEFAULT_PLACES = 2
_DECREE_CHOICES = ("topic", "all", "none", *DOMAINS)
Decrees = Annotated[
    str,
    Query(
        description="Which decrees to mark: the indicator's topic (when it is a decree "
        "domain), all, none or one domain.",
        pattern=f"^(?:{'|'.join(_DECREE_CHOICES)})$",
    ),
]


def _first_with_data(public: list[dict], catalog: SnapshotCatalog) -> str:
    """The page opens on the first public indicator that has data (else the first one)."""
    with_data = (i["code"] for i in public if catalog.series.blocks.get(("public", i["code"])))
    return next(with_data, public[0]["code"])


def _series(rows: list[tuple], catalog: SnapshotCatalog) -> list[chart_page.Series]:
    """One chart line per (place, source): a line never holds two values of one period."""
    grouped: dict[tuple[str, str], list[Point]] = {}
    for r in rows:
        start, frequency = r[_COL["period_start"]], r[_COL["frequency"]]
        point = Point(
            start, format_period(start, frequency), r[_COL["value"]], r[_COL["obs_status"]]
        )
        grouped.setdefault((r[_COL["geo_code"]], r[_COL["source_id"]]), []).append(point)
    return [
        chart_page.Series(
            geo,
            source,
            catalog.publisher(source),
            catalog.demo(source),
            sorted(points, key=lambda p: p.day),
        )
        for (geo, source), points in sorted(grouped.items())
    ]


def _decree_filter(choice: str, topic: str) -> tuple[bool, str | None]:
    """(whether to mark decrees, the one domain to mark or None for every domain)."""
    if choice == "topic":
        return topic in DOMAINS, topic
    if choice == "none":
        return False, None
    return True, None if choice == "all" else choice


@router.get("/", response_class=HTMLResponse)
def chart_page_view(
    request: Request,
    store: StoreDep,
    indicator: Annotated[str | None, Query(max_length=100)] = None,
    geo: Annotated[list[str] | None, Query(max_length=16)] = None,
    lang: Lang = None,
    decrees: Decrees = "topic",
) -> HTMLResponse:
    language = labels.negotiate(lang, request.headers.get("accept-language"))
    with open_snapshot(store) as snapshot:
        cursor, catalog = snapshot.cursor, snapshot.catalog
        public = [i for i in fetch_indicators(cursor) if i["tier"] == "public"]
        code = indicator or _first_with_data(public, catalog)
        meta = public_indicator(catalog, code, "indicator")
        with_data = fetch_coverage(cursor, code)["geos"] or []
        geos = geo or with_data[:_DEFAULT_PLACES]
        known_places(catalog, geos)
        where = ObservationFilter(indicators=[code], geos=geos, sex="_T", age_group="_T")
        bound = catalog.series.rows(where)
        rows = fetch_observations(cursor, where, rows=bound) if geos else []
        marked, domain = _decree_filter(decrees, meta["topic"])
        events = []
        if rows and marked:
            # Decrees that took effect within the charted periods, where they apply.
            first = min(r[_COL["period_start"]] for r in rows)
            last = max(r[_COL["period_end"]] for r in rows)
            scopes = sorted(set(geos) | {NATIONAL})
            events = fetch_events(cursor, domain, scopes, first, last)
        snapshot_id = snapshot.id
    page = chart_page.Page(
        language,
        meta,
        public,
        with_data,
        geos,
        decrees,
        DOMAINS,
        _series(rows, catalog),
        catalog.sources,
        [chart_page.Decree.from_event(e) for e in events],
        snapshot_id,
    )
    headers = {"Content-Language": language, "Vary": "Accept-Language"}
    return HTMLResponse(chart_page.render(page), headers=headers)
