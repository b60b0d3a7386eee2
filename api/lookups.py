"""Catalog look-ups that turn unknown codes into 404 problems naming the parameter.

A snapshot's indicators and places are a few hundred rows that never change, so they are
read once when the snapshot opens (`SnapshotCatalog`) rather than queried per request.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from api.problems import Problem
from warehouse.events import fetch_noted_indicators
from warehouse.queries import fetch_geographies, fetch_indicators, fetch_sources
from warehouse.series_index import SeriesIndex, load_series_index


@dataclass(frozen=True)
class SnapshotCatalog:
    indicators: dict[str, dict]  # code -> catalog entry as queries/indicators returns it
    places: frozenset[str]
    series: SeriesIndex
    noted: frozenset[str]  # indicators with point notes (basis, citation): only they look them up
    sources: dict[str, dict]  # id -> catalog entry as queries/sources returns it

    def demo(self, source_id: str) -> bool:
        """Whether a source's figures are invented demonstration data (catalog `demo`)."""
        return bool(self.sources.get(source_id, {}).get("demo"))

    def publisher(self, source_id: str) -> str:
        return self.sources.get(source_id, {}).get("publisher") or source_id


def read_catalog(cursor: duckdb.DuckDBPyConnection) -> SnapshotCatalog:
    return SnapshotCatalog(
        {entry["code"]: entry for entry in fetch_indicators(cursor)},
        frozenset(place["code"] for place in fetch_geographies(cursor)),
        load_series_index(cursor),
        fetch_noted_indicators(cursor),
        {entry["id"]: entry for entry in fetch_sources(cursor)},
    )


def known_source(catalog: SnapshotCatalog, code: str | None) -> str | None:
    """An exact source id; 404 naming `source` for one the catalog does not list."""
    if code is not None and code not in catalog.sources:
        raise Problem(404, "Unknown source", f"No source has the id '{code}'.", "source")
    return code


def known_indicator(catalog: SnapshotCatalog, code: str, parameter: str) -> dict:
    """The catalog entry of an indicator; 404 naming `parameter` for an unknown code.

    Tiers are checked before this, by `api.access.Caller.require`.
    """
    if code not in catalog.indicators:
        raise Problem(404, "Unknown indicator", f"No indicator has the code '{code}'.", parameter)
    return catalog.indicators[code]


def public_indicator(catalog: SnapshotCatalog, code: str, parameter: str) -> dict:
    """For public-only views (chart page, changes feed): 401 for a restricted indicator.

    The 401 is the same whatever else the request asks for, so it never tells whether a
    restricted series has data.
    """
    found = [known_indicator(catalog, code, parameter)]
    if found[0]["tier"] != "public":
        raise restricted_problem(code, parameter)
    return found[0]


def restricted_problem(code: str, parameter: str) -> Problem:
    """The 401 for a public-only view asked for a restricted indicator."""
    detail = f"Data of '{code}' are served to authorised keys only."
    return Problem(401, "API key required", detail, parameter)


def known_places(catalog: SnapshotCatalog, codes: list[str] | None) -> None:
    """404 naming `geo` when any of the exact place codes is unknown."""
    unknown = [code for code in codes or () if code not in catalog.places]
    if unknown:
        raise Problem(
            404, "Unknown place", f"No place has the code(s) {', '.join(unknown)}.", "geo"
        )
