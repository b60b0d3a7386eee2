"""Expensive requests are bounded: a time budget per query and a cost-weighted rate limit."""

from __future__ import annotations

import time

from fastapi.testclient import TestClient

import api.routers.indicators as indicators
from api.main import create_app
from api.settings import ApiSettings


def test_a_query_over_its_time_budget_gets_503_with_retry_after(sample_home, monkeypatch):
    def endless(cursor, *args, **kwargs):
        cursor.execute("select count(*) from range(1000000000000) t(i) where i % 7 = 3").fetchall()
        raise AssertionError("the query should have been interrupted")

    monkeypatch.setattr(indicators, "fetch_indicators", endless)
    app = create_app(ApiSettings(home=sample_home, query_seconds=0.5))
    with TestClient(app, raise_server_exceptions=False) as client:
        started = time.monotonic()
        answer = client.get("/v1/indicators", params={"format": "csv"})
        elapsed = time.monotonic() - started
    assert answer.status_code == 503, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.headers["retry-after"] == "5"
    assert "longer than 0.5 s" in answer.json()["detail"]
    assert elapsed < 5


def test_the_rate_limit_weighs_expensive_requests(one_window):
    settings = ApiSettings(home=one_window, rate_limit_enabled=True,
                           rate_limit_per_address="12/minute")  # fmt: skip
    with TestClient(create_app(settings)) as client:
        for _ in range(2):
            assert client.get("/v1/indicators").status_code == 200
        # Parquet, a 5,000-row page and an as_of view: 11 ordinary requests' worth.
        expensive = {"indicator": "business.women_led_closures", "format": "parquet",
                     "limit": "5000", "as_of": "2026-01-01"}  # fmt: skip
        answer = client.get("/v1/observations", params=expensive)
    assert answer.status_code == 429 and "retry-after" in answer.headers
