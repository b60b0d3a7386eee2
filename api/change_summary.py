"""`since=` as an instant or as a duration back from now (`P7D`), and the summary of what
changed: counts of added, revised and withdrawn public values per indicator and source.

Only the public observation table is read, so restricted indicators never appear; asking
for one by code gets the same 401 as the detailed feed (api.lookups.public_indicator).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

import isodate
from fastapi import Query

from api import params
from api.formats import Table
from api.snapshot_store import OpenSnapshot
from warehouse.queries import fetch_change_summary

# One unit, so the schema's pattern is exactly what the server accepts (no P or PT alone).
DURATION_PATTERN = r"P[0-9]{1,4}[YMWD]|PT[0-9]{1,6}[HMS]"
SINCE_PATTERN = f"^(?:{params.INSTANT_PATTERN[1:-1]}|{DURATION_PATTERN})$"
SUMMARY_COLUMNS = ("indicator_code", "source_id", "added", "revised", "withdrawn")

Since = Annotated[
    str,
    Query(
        description="Changes recorded after this instant, or in this last stretch of time "
        f"(an ISO 8601 duration of one unit back from now: P7D, P2W, P1M, P1Y, PT12H). "
        f"{params.INSTANT_HELP}",
        examples=["P7D"],
        max_length=32,
        pattern=SINCE_PATTERN,
    ),
]
Summary = Annotated[
    bool,
    Query(
        description="true: instead of the rows, how many values were added, revised and "
        "withdrawn per indicator and source (one page).",
        examples=[True],
    ),
]


def is_duration(text: str) -> bool:
    return text.startswith("P")


def since_instant(text: str, now: datetime | None = None) -> datetime:
    """The naive UTC instant `since=` names; a duration counts back from `now`, to the
    beginning of the record when it reaches further back than the calendar does."""
    if not is_duration(text):
        since = params.instant(text, "since")
        assert since is not None  # instant() answers None only for no text
        return since
    now = now or datetime.now(UTC).replace(tzinfo=None, microsecond=0)
    try:
        return now - isodate.parse_duration(text)
    except (OverflowError, ValueError):  # isodate raises ValueError for years before 1
        return datetime.min


def summary_table(snapshot: OpenSnapshot, since: datetime, codes: list[str] | None) -> Table:
    found = fetch_change_summary(snapshot.cursor, since, indicators=codes)
    for entry in found:
        del entry["stretch"]
    rows = [tuple(entry[name] for name in SUMMARY_COLUMNS) for entry in found]
    return Table(
        SUMMARY_COLUMNS,
        rows,
        lambda: {"snapshot": snapshot.id, "since": since, "next": None, "data": found},
    )
