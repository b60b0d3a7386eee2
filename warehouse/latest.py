"""The most recent N periods with a value of each series (World Bank's `MRV`), on rows that
are already in memory: a series aggregated to quarters or years is cut after aggregating.

Flat observation pages cut in SQL instead (`$latest` in queries/observations.sql, so a page
never loads a whole table); tests/warehouse/test_latest.py holds that both cut alike.
"""

from __future__ import annotations

from itertools import groupby

from warehouse.observation import PUBLISHED_COLUMNS

_COL = {name: index for index, name in enumerate(PUBLISHED_COLUMNS)}
_KEY = slice(_COL["indicator_code"], _COL["age_group"] + 1)
_START, _VALUE, _SOURCE = _COL["period_start"], _COL["value"], _COL["source_id"]


def latest_rows(rows: list[tuple], n: int) -> list[tuple]:
    """Rows (PUBLISHED_COLUMNS, in series order) of the last `n` periods that have a value
    in each series (indicator, place, sex, age group, source); rows without a value are
    dropped."""
    kept: list[tuple] = []
    for _, series in groupby(rows, key=lambda r: (r[_KEY], r[_SOURCE])):
        valued = [r for r in series if r[_VALUE] is not None]
        recent = set(sorted({r[_START] for r in valued})[-n:])
        kept += [r for r in valued if r[_START] in recent]
    return kept
