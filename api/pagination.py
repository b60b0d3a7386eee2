"""Keyset pagination: a page ends at a sort key; the opaque cursor carries that key."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from datetime import date, datetime

import orjson

from api.formats import Table
from api.params import invalid

_DATE_COLUMNS = {"period_start"}
_TIME_COLUMNS = {"recorded_at"}


def encode_cursor(key: tuple) -> str:
    raw = orjson.dumps([v.isoformat() if isinstance(v, date) else v for v in key])
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def decode_cursor(text: str | None, columns: tuple[str, ...]) -> tuple | None:
    """The sort key a cursor names, typed as the columns are; a bad cursor names `cursor`."""
    if text is None:
        return None
    try:
        values = orjson.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
        if not isinstance(values, list) or len(values) != len(columns):
            raise ValueError
        return tuple(
            date.fromisoformat(v) if name in _DATE_COLUMNS
            else datetime.fromisoformat(v) if name in _TIME_COLUMNS
            else str(v)
            for name, v in zip(columns, values, strict=True)
        )  # fmt: skip
    except (ValueError, TypeError, binascii.Error, orjson.JSONDecodeError):
        raise invalid("cursor", "not a cursor this API returned") from None


def paged_table(
    columns: tuple[str, ...],
    rows: list[tuple],
    limit: int,
    key: tuple[str, ...],
    link: Callable[[str], str],
    snapshot_id: str,
) -> Table:
    """A page of `limit` rows (the query fetched one more to know whether a next page exists),
    with the link to the next page; `key` names the sort-key columns the cursor carries."""
    next_link = None
    if len(rows) > limit:
        rows = rows[:limit]
        last = rows[-1]
        next_link = link(encode_cursor(tuple(last[columns.index(name)] for name in key)))
    return Table(
        columns,
        rows,
        lambda: {"snapshot": snapshot_id, "next": next_link,
                 "data": [dict(zip(columns, r, strict=True)) for r in rows]},
        next=next_link,
    )  # fmt: skip
