"""Keyset pagination: a page ends at a sort key; the opaque cursor carries that key."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Annotated, Any

from fastapi import Query

from api.examples import STAMP
from api.formats import Table
from api.params import invalid
from warehouse.queries import CHANGE_SORT_KEY, SORT_KEY

_DATE_COLUMNS = {"period_start"}
_TIME_COLUMNS = {"recorded_at"}
_EPOCH = datetime(1970, 1, 1)
_MAX_TEXT_BYTES = 100
# One field per sort-key column, joined by dots: text as UTF-8 hex, a date as days and a
# time as microseconds since 1970-01-01. Every string the pattern allows decodes to a key,
# so the schema's pattern is exactly as strict as the server.
_FIELD = {
    "text": rf"(?:[0-9a-f]{{2}}){{0,{_MAX_TEXT_BYTES}}}",
    "date": r"[0-9]{1,6}",
    "time": r"[0-9]{1,17}",
}


def _kind(column: str) -> str:
    return "date" if column in _DATE_COLUMNS else "time" if column in _TIME_COLUMNS else "text"


def cursor_query(columns: tuple[str, ...], example: tuple) -> Any:
    """The `cursor` query parameter of a resource paged by the sort key `columns`."""
    pattern = r"\.".join(_FIELD[_kind(c)] for c in columns)
    longest = (
        sum({"text": 2 * _MAX_TEXT_BYTES, "date": 6, "time": 17}[_kind(c)] for c in columns)
        + len(columns)
        - 1
    )
    return Query(
        description="Opaque position returned in `next` by the previous page; omit for "
        "the first page.",
        examples=[encode_cursor(example)],
        max_length=longest,
        pattern=f"^{pattern}$",
    )


def _field(value: object) -> str:
    if isinstance(value, datetime):
        return str((value - _EPOCH) // timedelta(microseconds=1))
    if isinstance(value, date):
        return str((value - _EPOCH.date()).days)
    return str(value).encode("utf-8")[:_MAX_TEXT_BYTES].hex()


def encode_cursor(key: tuple) -> str:
    return ".".join(_field(value) for value in key)


def decode_cursor(text: str | None, columns: tuple[str, ...]) -> tuple | None:
    """The sort key a cursor names, typed as the columns are; a bad cursor names `cursor`."""
    if text is None:
        return None
    fields = text.split(".")
    if len(fields) != len(columns):
        raise invalid("cursor", "not a cursor this API returned")
    try:
        return tuple(
            _EPOCH.date() + timedelta(days=int(field))
            if _kind(name) == "date"
            else _EPOCH + timedelta(microseconds=int(field))
            if _kind(name) == "time"
            else bytes.fromhex(field).decode("utf-8", "replace")
            for name, field in zip(columns, fields, strict=True)
        )
    except (ValueError, OverflowError):
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
        lambda: {
            "snapshot": snapshot_id,
            "next": next_link,
            "data": [dict(zip(columns, r, strict=True)) for r in rows],
        },
        next=next_link,
    )


_KEY_EXAMPLE = {
    "indicator_code": "business.women_led_closures",
    "geo_code": "AF-KAB",
    "sex": "_T",
    "age_group": "_T",
    "period_start": date(2022, 1, 1),
    "frequency": "M",
    "source_id": "wppi.sample",
    "recorded_at": datetime.fromisoformat(STAMP.rstrip("Z")),
}
ObservationCursor = Annotated[
    str | None, cursor_query(SORT_KEY, tuple(_KEY_EXAMPLE[c] for c in SORT_KEY))
]
ChangeCursor = Annotated[
    str | None, cursor_query(CHANGE_SORT_KEY, tuple(_KEY_EXAMPLE[c] for c in CHANGE_SORT_KEY))
]
