"""The schema's patterns are exactly as strict as the server: every value a pattern allows is
parsed, and the values the parsers refuse are refused by the pattern already."""

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from api import params
from api.change_summary import SINCE_PATTERN, since_instant
from api.pagination import ChangeCursor, ObservationCursor, decode_cursor, encode_cursor
from warehouse.queries import CHANGE_SORT_KEY, SORT_KEY


def _cursor_pattern(parameter) -> str:
    [pattern] = [m.pattern for m in parameter.__metadata__[0].metadata if hasattr(m, "pattern")]
    return pattern


CURSORS = [(_cursor_pattern(ObservationCursor), SORT_KEY),
           (_cursor_pattern(ChangeCursor), CHANGE_SORT_KEY)]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.from_regex(params.PERIOD_PATTERN, fullmatch=True))
def test_every_period_the_pattern_allows_is_parsed(text):
    assert params.period(text, "start") is not None


@settings(max_examples=300, deadline=None)
@given(st.from_regex(params.INSTANT_PATTERN, fullmatch=True))
def test_every_instant_the_pattern_allows_is_parsed(text):
    assert params.instant(text, "as_of") is not None


@settings(max_examples=200, deadline=None)
@given(st.from_regex(SINCE_PATTERN, fullmatch=True))
def test_every_since_the_pattern_allows_is_parsed(text):
    assert since_instant(text) is not None


@pytest.mark.parametrize(("pattern", "columns"), CURSORS)
def test_every_cursor_the_pattern_allows_is_a_position(pattern, columns):
    @settings(max_examples=200, deadline=None)
    @given(st.from_regex(pattern, fullmatch=True))
    def check(text):
        key = decode_cursor(text, columns)
        assert len(key) == len(columns)

    check()


@pytest.mark.parametrize(("pattern", "columns"), CURSORS)
def test_a_returned_cursor_matches_its_pattern_and_round_trips(client, pattern, columns):
    path = "/v1/observations" if columns == SORT_KEY else "/v1/changes"
    query = {"limit": 2} if columns == SORT_KEY else {"limit": 2, "since": "2000-01-01"}
    cursor = client.get(path, params=query).json()["next"].split("cursor=")[1]
    assert re.fullmatch(pattern, cursor)
    assert encode_cursor(decode_cursor(cursor, columns)) == cursor


@pytest.mark.parametrize(
    ("pattern", "refused"),
    [
        (params.PERIOD_PATTERN, ["2022-13", "2022-00", "0000", "2023-02-29", "2022-04-31",
                                 "2022-Q5", "22-01"]),
        (params.INSTANT_PATTERN, ["2024-02-30", "2024-01-01T24:00", "2024-01-01T12:60",
                                  "2024-01-01T12:00:61", "2024-01-01T12:00+24:00", "0000-01-01"]),
    ],
)  # fmt: skip
def test_impossible_calendar_values_are_refused_by_the_pattern(pattern, refused):
    assert [text for text in refused if re.fullmatch(pattern, text)] == []
    assert re.fullmatch(pattern, "2024-02-29")  # a leap day is a day
    assert not re.fullmatch(pattern, "1900-02-29") and re.fullmatch(pattern, "2000-02-29")
