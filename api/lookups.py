"""Catalog look-ups that turn unknown codes into 404 problems naming the parameter."""

from __future__ import annotations

import duckdb

from api.problems import Problem
from warehouse.queries import fetch_geographies, fetch_indicators


def known_indicator(cursor: duckdb.DuckDBPyConnection, code: str, parameter: str) -> dict:
    """The catalog entry of an indicator; 404 naming `parameter` for an unknown code.

    Tiers are checked before this, by `api.access.Caller.require`.
    """
    found = fetch_indicators(cursor, code)
    if not found:
        raise Problem(404, "Unknown indicator", f"No indicator has the code '{code}'.", parameter)
    return found[0]


def public_indicator(cursor: duckdb.DuckDBPyConnection, code: str, parameter: str) -> dict:
    """For public-only views (chart page, changes feed): 401 for a restricted indicator.

    The 401 is the same whatever else the request asks for, so it never tells whether a
    restricted series has data.
    """
    found = [known_indicator(cursor, code, parameter)]
    if found[0]["tier"] != "public":
        detail = f"Data of '{code}' are served to authorised keys only."
        raise Problem(401, "API key required", detail, parameter)
    return found[0]


def known_places(cursor: duckdb.DuckDBPyConnection, codes: list[str] | None) -> None:
    """404 naming `geo` when any of the exact place codes is unknown."""
    if not codes:
        return
    known = {g["code"] for g in fetch_geographies(cursor, codes=codes)}
    unknown = [code for code in codes if code not in known]
    if unknown:
        raise Problem(
            404, "Unknown place", f"No place has the code(s) {', '.join(unknown)}.", "geo"
        )
