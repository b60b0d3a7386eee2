"""Row ranges of series blocks in a snapshot, so a lookup scans one block, not the table.

Publish sorts the observation tables by series key and records, per (indicator, place),
the first and last row number of its block (`series_rows`). A query bounded by that range
reads one or two row groups instead of all of them (DuckDB's string zone maps cannot tell
codes with a common 8-byte prefix apart). The range is only a bound: the query keeps its
own filters, so a range that is too wide costs time, never correctness.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb

from warehouse.queries import ObservationFilter
from warehouse.sql import sql

_NO_ROWS = (0, -1)


@dataclass(frozen=True)
class SeriesIndex:
    # (view, indicator) -> place -> (first row, last row); view is public or unsuppressed
    blocks: dict[tuple[str, str], dict[str, tuple[int, int]]] = field(default_factory=dict)

    def rows(self, where: ObservationFilter) -> tuple[int, int] | None:
        """The row range holding every block `where` asks for; None when it cannot be
        bounded (no indicator named, or a snapshot published before the index existed)."""
        if not where.indicators or not self.blocks:
            return None
        view = "unsuppressed" if where.unsuppressed else "public"
        found: list[tuple[int, int]] = []
        for code in where.indicators:
            places = self.blocks.get((view, code), {})
            found += (
                [places[g] for g in where.geos if g in places] if where.geos else places.values()
            )
        if not found:
            return _NO_ROWS
        return min(first for first, _ in found), max(last for _, last in found)


def load_series_index(cursor: duckdb.DuckDBPyConnection) -> SeriesIndex:
    """The snapshot's index; empty for snapshots published without one."""
    try:
        rows = cursor.execute(sql("queries/series_rows")).fetchall()
    except duckdb.CatalogException:
        return SeriesIndex()
    blocks: dict[tuple[str, str], dict[str, tuple[int, int]]] = {}
    for view, indicator, geo, first, last in rows:
        blocks.setdefault((view, indicator), {})[geo] = (first, last)
    return SeriesIndex(blocks)
