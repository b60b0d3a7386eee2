"""`GET /`: a small page where a monitor picks an indicator and places and sees the series."""

from __future__ import annotations

from html import escape
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from api import chart
from api.lookups import SnapshotCatalog, known_places, public_indicator
from api.problems import Problem
from api.snapshot_store import NoSnapshot
from warehouse.observation import PUBLISHED_COLUMNS
from warehouse.periods import format_period
from warehouse.queries import (
    ObservationFilter,
    fetch_coverage,
    fetch_geographies,
    fetch_indicators,
    fetch_observations,
)

router = APIRouter(include_in_schema=False)
_COL = {name: index for index, name in enumerate(PUBLISHED_COLUMNS)}
_DEFAULT_PLACES = 2


def _options(items: list[tuple[str, str]], chosen: set[str]) -> str:
    return "".join(
        f'<option value="{escape(value)}"{" selected" if value in chosen else ""}>'
        f"{escape(text)}</option>"
        for value, text in items
    )


def _first_with_data(public: list[dict], catalog: SnapshotCatalog) -> str:
    """The page opens on the first public indicator that has data (else the first one)."""
    with_data = (i["code"] for i in public if catalog.series.blocks.get(("public", i["code"])))
    return next(with_data, public[0]["code"])


def _demo_notice(sources: list[str]) -> str:
    """A visible warning whenever the chart draws any invented (demo) point."""
    if not sources:
        return ""
    return (
        '<p class="demo-notice" role="alert"><strong>Invented demonstration data.</strong> '
        f'Lines marked "invented demo data" ({escape(", ".join(sources))}) are made-up '
        "figures for demonstrations and tests, not measurements: do not cite them.</p>\n"
    )


@router.get("/", response_class=HTMLResponse)
def chart_page(
    request: Request,
    indicator: Annotated[str | None, Query(max_length=100)] = None,
    geo: Annotated[list[str] | None, Query(max_length=16)] = None,
) -> HTMLResponse:
    try:
        with request.app.state.store.acquire() as snapshot:
            cursor = snapshot.cursor
            public = [i for i in fetch_indicators(cursor) if i["tier"] == "public"]
            code = indicator or _first_with_data(public, snapshot.catalog)
            meta = public_indicator(snapshot.catalog, code, "indicator")
            with_data = fetch_coverage(cursor, code)["geos"] or []
            geos = geo or with_data[:_DEFAULT_PLACES]
            known_places(snapshot.catalog, geos)
            names = {g["code"]: g["name"] for g in fetch_geographies(cursor, codes=with_data)}
            where = ObservationFilter(indicators=[code], geos=geos, sex="_T", age_group="_T")
            bound = snapshot.catalog.series.rows(where)
            rows = fetch_observations(cursor, where, rows=bound) if geos else []
            snapshot_id = snapshot.id
    except NoSnapshot:
        raise Problem(503, "No data published", "No snapshot has been published yet.") from None
    catalog = snapshot.catalog
    demo = sorted({r[_COL["source_id"]] for r in rows if catalog.demo(r[_COL["source_id"]])})

    def label(geo: str, source: str) -> str:
        mark = " (invented demo data)" if catalog.demo(source) else ""
        return f"{names.get(geo, geo)} ({geo}) · {catalog.publisher(source)}{mark}"

    points = [
        (r[_COL["geo_code"]], r[_COL["source_id"]],
         format_period(r[_COL["period_start"]], r[_COL["frequency"]]), r[_COL["value"]],
         r[_COL["obs_status"]])
        for r in rows
    ]  # fmt: skip
    drawing = chart.svg(chart.group_points(points, label))
    indicator_options = _options([(i["code"], i["name"]) for i in public], {code})
    place_options = _options([(g, f"{names.get(g, g)} ({g})") for g in with_data], set(geos))
    html = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>WPPI — {escape(meta["name"])}</title>
<link rel="stylesheet" href="/static/chart.css">
<script src="/static/chart.js" defer></script>
</head><body>
<h1>{escape(meta["name"])}</h1>
<p>{escape(meta["definition"])} Unit: {escape(meta["unit"])}.</p>
<form class="choose" method="get" action="/">
<label>Indicator <select name="indicator">{indicator_options}</select></label>
<label>Places <select name="geo" multiple size="6">{place_options}</select></label>
<button type="submit">Show</button>
</form>
{_demo_notice(demo)}{drawing}
<p class="note">Hollow dashed squares below the axis are values suppressed to protect people
(S); grey squares are values not collected or not observable (M, U). Neither is zero.
Snapshot {escape(snapshot_id)}. Data: <a href="/v1/series?indicator={escape(code)}">JSON</a>.</p>
</body></html>"""
    return HTMLResponse(html)
