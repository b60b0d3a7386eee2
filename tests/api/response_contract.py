"""Check a served JSON body against the model its route declares (api/schemas.py).

Routes answer with orjson bytes, so FastAPI never validates them; tests/conftest.py runs
`check` on every response a TestClient gets from the app, and test_response_models.py on
the documented examples. The models refuse keys they do not name, so a key added, renamed
or dropped on one side only fails the test that met it. A route's model is found the way a
client finds it: named by the 200 JSON schema of the path's operation in the OpenAPI document.
"""

from __future__ import annotations

import re

import orjson
from fastapi import FastAPI
from pydantic import BaseModel, ValidationError

from api import schemas

PROBLEM_JSON = "application/problem+json"
_REF = "#/components/schemas/"


def json_models(app: FastAPI) -> dict[tuple[str, str], type[BaseModel]]:
    """(method, path template) -> the model of every operation that answers JSON."""
    found = {}
    for path, operations in app.openapi()["paths"].items():
        for method, operation in operations.items():
            content = operation["responses"].get("200", {}).get("content", {})
            if "application/json" in content:
                ref = content["application/json"].get("schema", {}).get("$ref", "")
                found[(method.upper(), path)] = getattr(schemas, ref.removeprefix(_REF), None)
    return found


def template_for(app: FastAPI, method: str, path: str) -> str | None:
    """The OpenAPI path template a request path falls under."""
    for verb, template in json_models(app):
        pattern = re.sub(r"\\{[^/]+?\\}", "[^/]+", re.escape(template))
        if verb == method and re.fullmatch(pattern, path):
            return template
    return None


def validate(model: type[BaseModel], body: object, where: str) -> None:
    """Strict: a number served as a string, or a string as a number, fails too."""
    try:
        model.model_validate(body, strict=True)
    except ValidationError as exc:
        raise AssertionError(f"{where}: body does not match {model.__name__}: {exc}") from None


def check(
    app: FastAPI, method: str, path: str, status: int, media_type: str, content: bytes
) -> type[BaseModel] | None:
    """Fail when a problem body, or a 200 JSON body, does not match its model; return the
    model checked against (None when the answer has no JSON model)."""
    if method != "GET" or not content:
        return None
    if media_type == PROBLEM_JSON:
        model = schemas.ProblemBody
    elif media_type == "application/json" and status == 200:
        template = template_for(app, method, path)
        model = json_models(app)[(method, template)] if template else None
    else:
        return None
    if model is not None:
        validate(model, orjson.loads(content), f"{method} {path} ({status})")
    return model
