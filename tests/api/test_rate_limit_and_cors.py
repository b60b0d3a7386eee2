"""Rate limits per client address and per key (429 + Retry-After), and CORS closed by default."""

import httpx
import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from api.rate_limit import RateLimit
from api.settings import ApiSettings
from tests.live_server import serving

PROBLEM = "application/problem+json"
ORIGIN = "https://dashboard.example.org"


def limited(home, **settings) -> ApiSettings:
    """Settings with the limiter on (tests/conftest.py turns it off for every other test)."""
    return ApiSettings(home=home, rate_limit_enabled=True, **settings)


def client(home, address="10.0.0.1", **settings) -> TestClient:
    return TestClient(create_app(limited(home, **settings)), client=(address, 40000))


def test_an_address_over_its_limit_gets_429_problem_with_retry_after(one_window):
    with client(one_window, rate_limit_per_address="3/minute") as api:
        assert [api.get("/v1/indicators").status_code for _ in range(3)] == [200] * 3
        refused = api.get("/v1/indicators")
    assert refused.status_code == 429
    assert refused.headers["content-type"] == PROBLEM
    assert 1 <= int(refused.headers["retry-after"]) <= 60
    body = refused.json()
    assert body["status"] == 429 and "client address" in body["detail"]
    assert body["instance"] == "/v1/indicators"


def test_addresses_are_counted_apart(one_window):
    app = create_app(limited(one_window, rate_limit_per_address="2/minute"))
    with TestClient(app, client=("10.0.0.1", 40000)) as first:
        second = TestClient(app, client=("10.0.0.2", 40000))  # same app, lifespan running
        assert [first.get("/healthz").status_code for _ in range(3)] == [200, 200, 429]
        assert second.get("/healthz").status_code == 200


def test_a_key_is_limited_across_addresses_and_a_forged_key_cannot_spend_its_allowance(
    one_window,
):
    app = create_app(
        limited(one_window, rate_limit_per_address="100/minute", rate_limit_per_key="2/minute")
    )
    key = {"Authorization": "Bearer wppi_0123456789ab_secret"}
    forged = {"Authorization": "Bearer wppi_0123456789ab_guess"}
    with TestClient(app):  # runs the lifespan; the clients below share the app
        api = [TestClient(app, client=(f"10.0.1.{i}", 40000)) for i in range(4)]
        # /healthz does not read the key, so the limiter alone decides the status.
        assert [api[0].get("/healthz", headers=forged).status_code for _ in range(2)] == [200] * 2
        assert api[1].get("/healthz", headers=key).status_code == 200
        assert api[2].get("/healthz", headers=key).status_code == 200
        refused = api[3].get("/healthz", headers=key)
        assert refused.status_code == 429 and "API key" in refused.json()["detail"]
        assert "retry-after" in refused.headers
        assert api[3].get("/healthz").status_code == 200  # the address itself is not spent


def test_the_limiter_can_be_switched_off_by_setting_and_by_environment(sample_home, monkeypatch):
    off = create_app(
        ApiSettings(home=sample_home, rate_limit_enabled=False, rate_limit_per_address="1/minute")
    )
    with TestClient(off) as api:
        assert {api.get("/healthz").status_code for _ in range(5)} == {200}
    assert not any(m.cls is RateLimit for m in off.user_middleware)
    monkeypatch.setenv("WPPI_RATE_LIMIT_ENABLED", "false")
    assert ApiSettings(home=sample_home).rate_limit_enabled is False
    monkeypatch.setenv("WPPI_RATE_LIMIT_ENABLED", "true")
    on = create_app(ApiSettings(home=sample_home))
    assert any(m.cls is RateLimit for m in on.user_middleware)


def test_a_malformed_limit_is_refused_when_settings_load(monkeypatch):
    monkeypatch.setenv("WPPI_RATE_LIMIT_PER_ADDRESS", "lots")
    with pytest.raises(ValueError, match="rate_limit_per_address"):
        ApiSettings()


def test_cors_is_closed_by_default(sample_home):
    with client(sample_home) as api:
        response = api.get("/v1/indicators", headers={"Origin": ORIGIN})
        preflight = api.options(
            "/v1/indicators",
            headers={"Origin": ORIGIN, "Access-Control-Request-Method": "GET"},
        )
    assert response.status_code == 200
    assert "access-control-allow-origin" not in response.headers
    assert "access-control-allow-origin" not in preflight.headers


def test_cors_allows_configured_origins_for_get_only(one_window, monkeypatch):
    monkeypatch.setenv("WPPI_CORS_ORIGINS", f'["{ORIGIN}"]')
    app = create_app(limited(one_window, rate_limit_per_address="1/minute"))
    with TestClient(app) as api:
        allowed = api.get("/v1/indicators", headers={"Origin": ORIGIN})
        other = api.get("/v1/indicators", headers={"Origin": "https://elsewhere.example"})
        get = api.options(
            "/v1/indicators", headers={"Origin": ORIGIN, "Access-Control-Request-Method": "GET"}
        )
        post = api.options(
            "/v1/indicators", headers={"Origin": ORIGIN, "Access-Control-Request-Method": "POST"}
        )
    assert allowed.headers["access-control-allow-origin"] == ORIGIN
    assert "access-control-allow-origin" not in other.headers
    assert other.status_code == 429  # the second request: CORS still wraps the limiter's reply
    assert get.status_code == 200 and "GET" in get.headers["access-control-allow-methods"]
    assert "POST" not in get.headers["access-control-allow-methods"]
    assert post.status_code == 400


def _spoofed(i: int) -> dict:
    return {"X-Forwarded-For": f"203.0.113.{i}", "X-Real-IP": f"203.0.113.{i}"}


def test_a_forwarded_header_changes_nothing_by_default(one_window):
    with client(one_window, rate_limit_per_address="2/minute") as api:
        codes = [api.get("/healthz", headers=_spoofed(i)).status_code for i in range(3)]
    assert codes == [200, 200, 429]  # every spoofed address counted as the connection's


def test_a_trusted_proxy_forwards_the_client_address(one_window):
    settings = {"rate_limit_per_address": "2/minute", "trusted_proxies": ["10.0.0.1"]}
    with client(one_window, **settings) as api:
        assert [api.get("/healthz", headers=_spoofed(i)).status_code for i in range(4)] == [200] * 4
        assert [api.get("/healthz", headers=_spoofed(9)).status_code for _ in range(3)] == [
            200, 200, 429,
        ]  # fmt: skip
    with client(one_window, address="10.0.0.2", **settings) as api:  # not the proxy
        codes = [api.get("/healthz", headers=_spoofed(i)).status_code for i in range(3)]
    assert codes == [200, 200, 429]


def test_wppi_serve_does_not_trust_forwarded_headers_from_loopback(sample_home):
    # uvicorn's own default trusts X-Forwarded-For from 127.0.0.1: a local client could
    # then pick any address and never be limited.
    env = {"WPPI_RATE_LIMIT_ENABLED": "true", "WPPI_RATE_LIMIT_PER_ADDRESS": "20/minute"}
    with serving(sample_home, env=env) as base:
        codes = [httpx.get(f"{base}/healthz", headers=_spoofed(i)).status_code
                 for i in range(25)]  # fmt: skip
    assert 429 in codes and codes[codes.index(429) :] == [429] * (25 - codes.index(429))
