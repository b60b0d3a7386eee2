"""The response models are the contract: every JSON route declares one, every documented
example and every body served matches it, and a key a model does not name fails.

The bodies are checked by tests/conftest.py's hook (every TestClient response of every test);
this module makes sure each JSON route is actually met, publicly and with a key.
"""

from __future__ import annotations

import shutil

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from api.routers import series
from api.schemas import ProblemBody
from api.settings import ApiSettings
from tests.api.response_contract import PROBLEM_JSON, check, json_models, template_for, validate
from warehouse.access import create_key

CLOSURES = "business.women_led_closures"
# At least one request per JSON route, in its variants: names in another language, latest=N,
# aggregation, a place without data, the change summary, unsuppressed values (with a key).
REQUESTS = [
    "/healthz",
    "/v1/indicators",
    "/v1/indicators?lang=fa-AF&has_data=true",
    f"/v1/indicators/{CLOSURES}",
    "/v1/indicators/civic.reprisals_whrd",
    "/v1/geographies?lang=ps",
    "/v1/sources",
    f"/v1/series?indicator={CLOSURES}&geo=AF-KAB,AF-HER,AF-ZAB&lang=fa-AF",
    f"/v1/series?indicator={CLOSURES}&geo=AF-KAB&frequency=A",
    f"/v1/series?indicator={CLOSURES}&latest=2",
    "/v1/observations?limit=5",
    "/v1/observations?indicator=displacement.afghan_refugees&lang=fa-AF&limit=3",
    "/v1/changes?since=2000-01-01&limit=5",
    "/v1/changes?since=2000-01-01&summary=true",
    "/v1/quality",
    "/v1/snapshots",
    "/v1/events",
    "/v1/events?geo=AF-HER&start=2022-01",
    "/v1/extracts",
]
KEYED = [
    f"/v1/series?indicator={CLOSURES}&geo=AF-KAB",
    "/v1/observations?limit=5",
    "/v1/quality",
]


@pytest.fixture(scope="module")
def app_and_token(sample_home, tmp_path_factory):
    """The sample snapshot in a home of this module's own, with a restricted-tier key."""
    home = tmp_path_factory.mktemp("models") / "wppi"
    shutil.copytree(sample_home / "snapshots", home / "snapshots")
    settings = ApiSettings(home=home)
    _, token = create_key(settings.layout.access, "monitor", ["public", "restricted"])
    return create_app(settings), token


def test_every_json_route_declares_a_model_from_api_schemas(app_and_token):
    app, _ = app_and_token
    models = json_models(app)
    assert len(models) >= 12
    for operation, model in models.items():
        assert model is not None, operation


def test_every_documented_example_matches_its_model(app_and_token):
    app, _ = app_and_token
    models, checked = json_models(app), 0
    for path, operations in app.openapi()["paths"].items():
        for method, operation in operations.items():
            for status, response in operation["responses"].items():
                for media, content in response.get("content", {}).items():
                    by_media = {PROBLEM_JSON: ProblemBody,
                                "application/json": models.get((method.upper(), path))}  # fmt: skip
                    model = by_media.get(media)
                    if model is not None:
                        validate(model, content["example"], f"{method} {path} {status} example")
                        checked += 1
    assert checked > 100  # every problem of every operation, and each resource's 200


def test_every_json_route_serves_bodies_that_match_its_model(app_and_token):
    app, token = app_and_token
    met = set()
    with TestClient(app) as client:
        for url, headers in [(u, {}) for u in REQUESTS] + [
            (u, {"Authorization": f"Bearer {token}"}) for u in KEYED
        ]:
            response = client.get(url, headers=headers)
            assert response.status_code == 200, (url, response.text)
            media_type = response.headers["content-type"].split(";")[0]
            path = response.request.url.path
            # The conftest hook has checked the body already; check it here too, so this test
            # holds without the hook, and note which route it met.
            if check(app, "GET", path, 200, media_type, response.content):
                met.add(template_for(app, "GET", path))
        assert client.get(f"/v1/series?indicator={CLOSURES}",
                          headers={"Authorization": f"Bearer {token}"}).json()["access"] == (
            "restricted")  # fmt: skip
    assert met == {path for _, path in json_models(app)}


def test_a_key_the_model_does_not_name_fails(app_and_token, monkeypatch):
    """A body with one key too many (here a misspelt `acess` beside `access`) or one too
    few fails whichever test meets it."""
    app, _ = app_and_token
    served = series._json

    def with_extra(*args, **kwargs):
        return {**served(*args, **kwargs), "acess": "public"}

    def without_access(*args, **kwargs):
        body = served(*args, **kwargs)
        del body["access"]
        return body

    cases = ((with_extra, "acess", "2022-05"), (without_access, "access", "2022-06"))
    with TestClient(app) as client:
        for wrong, message, start in cases:  # a query of its own: no cached answer replays
            monkeypatch.setattr(series, "_json", wrong)
            with pytest.raises(AssertionError, match=message):
                client.get(f"/v1/series?indicator={CLOSURES}&geo=AF-BAL&start={start}")
