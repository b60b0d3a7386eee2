"""Answers replayed before routing: same bytes, but never across callers, formats or
snapshots, never for keyed or conditional requests, and still counted by rate limits."""

from dataclasses import replace

import pytest
from fastapi.testclient import TestClient

from api.answers import Answer, AnswerCache
from api.cache import TableCache
from api.main import create_app
from api.settings import ApiSettings
from api.snapshot_store import OpenSnapshot

SERIES = "/v1/series?indicator=business.women_led_closures&geo=AF-KAB,AF-HER"


def _without_timing(response) -> list:
    return sorted((k, v) for k, v in response.headers.items() if k != "server-timing")


@pytest.fixture
def api(sample_home):
    with TestClient(create_app(ApiSettings(home=sample_home))) as client:
        yield client


def test_a_repeated_anonymous_get_is_replayed_byte_for_byte(api, monkeypatch):
    first = api.get(SERIES)
    assert first.status_code == 200
    # No built tables: only a replayed answer can answer.
    api.app.state.services = replace(api.app.state.services, tables=TableCache())
    monkeypatch.setattr(OpenSnapshot, "fetch_series", None)  # and the route would crash
    again = api.get(SERIES)
    assert again.status_code == 200
    assert again.content == first.content
    assert _without_timing(again) == _without_timing(first)


def test_keyed_conditional_and_other_format_requests_reach_the_route(api):
    first = api.get(SERIES)
    csv = api.get(SERIES, headers={"Accept": "text/csv"})
    assert csv.headers["content-type"].startswith("text/csv")
    assert api.get(SERIES, headers={"Accept": "text/csv"}).content == csv.content
    assert api.get(SERIES, headers={"Authorization": "Bearer junk"}).status_code == 401
    conditional = api.get(SERIES, headers={"If-None-Match": first.headers["etag"]})
    assert conditional.status_code == 304
    assert api.get(SERIES + "&bogus=1").status_code == 400


def test_replayed_requests_still_count_against_rate_limits(one_window):
    settings = ApiSettings(home=one_window, rate_limit_enabled=True,
                           rate_limit_per_address="3/minute")  # fmt: skip
    with TestClient(create_app(settings)) as client:
        assert [client.get(SERIES).status_code for _ in range(4)] == [200, 200, 200, 429]


def test_answers_never_outlive_their_snapshot():
    cache = AnswerCache(max_bytes=10)
    cache.put("20260101T000000.000Z-aaaaaaaa", b"k", Answer([], b"12345"))
    assert cache.get("20260101T000000.000Z-aaaaaaaa", b"k").body == b"12345"
    assert cache.get("20260201T000000.000Z-bbbbbbbb", b"k") is None
    cache.put("20260201T000000.000Z-bbbbbbbb", b"j", Answer([], b"678"))
    assert cache.get("20260101T000000.000Z-aaaaaaaa", b"k") is None  # dropped on the new id
    cache.put("20260201T000000.000Z-bbbbbbbb", b"m", Answer([], b"90123456"))
    assert cache.get("20260201T000000.000Z-bbbbbbbb", b"j") is None  # over the byte budget


def test_answers_carry_server_timing_and_refusals_do_not(api):
    timing = api.get(SERIES).headers["server-timing"]
    assert timing.startswith("app;dur=") and float(timing.split("=")[1]) >= 0
    refused = api.get("/v1/series?indicator=civic.reprisals_whrd")
    assert refused.status_code == 401 and "server-timing" not in refused.headers
