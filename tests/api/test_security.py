"""The API is read-only and takes SQL-injection strings and oversized input as plain values.

Every parameter of every endpoint (read from the app's own OpenAPI document, so a new one is
covered without editing this test) gets each injection string while the others keep their
documented examples.
"""

from __future__ import annotations

import hashlib
from urllib.parse import quote

import duckdb
import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from api.settings import ApiSettings
from warehouse.snapshots import current_snapshot

PROBLEM = "application/problem+json"
INJECTIONS = [
    "' OR '1'='1",
    "x'; DROP TABLE observations; --",
    "AF-KAB' --",
    "1) OR (1=1",
    "' UNION SELECT id, name, publisher, licence, url, type FROM sources --",
    '"; select * from quarantine; --',
    "%' OR geo_code LIKE '%",
    "$indicator",
    "?",
    "business.women_led_closures' OR 'a'='a",
]
# Filters that narrow a list answer with an empty list when nothing matches exactly.
# Filters and searches that answer an unknown value with an empty list, not an error.
LIST_FILTERS = {("/v1/geographies", "parent"), ("/v1/indicators", "q")}


@pytest.fixture(scope="module")
def client(sample_home):
    with TestClient(create_app(ApiSettings(home=sample_home))) as client:
        yield client


def _example(param: dict) -> str | None:
    examples = param.get("examples") or param.get("schema", {}).get("examples") or []
    if isinstance(examples, dict):
        examples = [e["value"] for e in examples.values()]
    return examples[0] if examples else None


def _requests(client):
    """(path template, parameter, location, base query) for every parameter of every GET."""
    for path, operations in client.app.openapi()["paths"].items():
        params = operations["get"].get("parameters", [])
        base = {p["name"]: _example(p) for p in params if p["in"] == "query" and p["required"]}
        path_values = {p["name"]: _example(p) for p in params if p["in"] == "path"}
        for param in params:
            yield path, param["name"], param["in"], base, path_values


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_every_endpoint_is_a_read(client):
    for route in client.app.routes:
        assert set(getattr(route, "methods", {"GET"})) <= {"GET", "HEAD"}, route.path


def test_snapshots_are_opened_read_only(client):
    with client.app.state.services.store.acquire() as snapshot:
        with pytest.raises(duckdb.Error, match="read-only"):
            snapshot.cursor.execute("create table written (a int)")
        with pytest.raises(duckdb.Error, match="read-only"):
            snapshot.cursor.execute("delete from public_observations")


def test_sql_injection_in_every_parameter_is_a_value(client, sample_home):
    snapshot = current_snapshot(sample_home / "snapshots")
    before = _digest(snapshot.path)
    series = {"indicator": "business.women_led_closures", "geo": "AF-KAB"}
    reference = client.get("/v1/series", params=series).json()
    tried = set()
    for path, name, where, base, path_values in _requests(client):
        tried.add((path, name))
        for attack in INJECTIONS:
            values = {**path_values, **({name: attack} if where == "path" else {})}
            url = path.format(**{k: quote(v, safe="") for k, v in values.items()})
            query = {k: v for k, v in base.items() if v is not None}
            if where == "query":
                query[name] = attack
            response = client.get(url, params=query)
            assert response.status_code < 500, (path, name, attack)
            if (path, name) in LIST_FILTERS and response.status_code == 200:
                assert response.json()["data"] == [], (path, name, attack)
                continue
            assert response.status_code in (404, 422), (path, name, attack, response.text)
            assert response.headers["content-type"] == PROBLEM
            assert response.json()["parameter"] == name, (path, name, attack)
    # Every endpoint with parameters was attacked; nothing was written or changed.
    assert {("/v1/series", "indicator"), ("/v1/series", "geo"), ("/v1/indicators/{code}", "code"),
            ("/v1/geographies", "level"), ("/v1/geographies", "parent")} <= tried  # fmt: skip
    assert _digest(snapshot.path) == before
    assert client.get("/v1/series", params=series).json() == reference


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/v1/series?indicator=business.women_led_closures&geo=" + "AF-KAB," * 800, 414),
        ("/v1/indicators?" + "x" * 5000, 414),
        ("/v1/indicators/" + "a" * 600, 414),
        ("/v1/series?indicator=" + "b" * 101, 422),
        ("/v1/series?indicator=business.women_led_closures&start=" + "2" * 11, 422),
    ],
)
def test_oversized_input_is_refused_with_a_problem(client, url, status):
    response = client.get(url)
    assert response.status_code == status
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["status"] == status


@pytest.mark.parametrize(
    ("path", "location"),
    [("/v1/indicators/", "/v1/indicators"), ("/v1/series/?indicator=x", "/v1/series?indicator=x"),
     ("/static", "/static/")],
)  # fmt: skip
def test_a_redirect_never_names_the_host_the_client_sent(client, path, location):
    for host in ("evil.example", "evil.example:8080"):
        answer = client.get(path, headers={"Host": host}, follow_redirects=False)
        assert answer.status_code in (301, 302, 307, 308)
        assert answer.headers["location"] == location
