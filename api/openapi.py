"""The OpenAPI document's responses: what each route documents (200 in every format it
offers, 304, its problems) and the statuses every operation can answer with, added in one
place so no route can forget one: 405 (with `Allow`), 414, 429 (with `Retry-After`; rate
limits are on by default) and 422 wherever a parameter is taken.

Route-specific statuses (401/403 where a key is read, 404 for unknown codes, 206/416 for
ranges) stay with their routes.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.routing import iter_route_contexts

from api.examples import HEALTH_EXAMPLE
from api.formats import MEDIA_TYPES
from api.schemas import ProblemBody

_HEADERS = {
    "ETag": "Snapshot id and a digest of the normalised query; send it back as If-None-Match.",
    "Last-Modified": "When the snapshot was published.",
    "Cache-Control": "How long a client or proxy may reuse the response.",
    "X-WPPI-Snapshot": "The id of the snapshot the response came from.",
}


def problem(description: str, status: int, parameter: str | None) -> dict:
    example = {
        "type": "about:blank",
        "title": description,
        "status": status,
        "detail": f"{parameter}: ..." if parameter else "...",
        "instance": "/v1/...",
        "parameter": parameter,
    }
    return {
        "description": description,
        "content": {
            "application/problem+json": {
                "schema": ProblemBody.model_json_schema(),
                "example": example,
            }
        },
    }


def responses(
    example: Any, data: bool = False, not_found: bool = False, indicators: bool = False
) -> dict[int | str, dict]:
    """The documented responses of a resource: 200 in each format it offers, 304, problems.
    The JSON body's schema is the route's `response_model`.

    `data`: observation data (SDMX-CSV too); `indicators`: takes indicator codes (404, 401).
    """
    content: dict[str, dict] = {
        "application/json": {"example": example},
        MEDIA_TYPES["csv"]: {"schema": {"type": "string"}, "example": "code,name\n"},
        MEDIA_TYPES["parquet"]: {"schema": {"type": "string", "format": "binary"}},
    }
    if data:
        content[MEDIA_TYPES["sdmx-csv"]] = {
            "schema": {"type": "string"},
            "example": "STRUCTURE,STRUCTURE_ID,ACTION,INDICATOR,REF_AREA,SEX,AGE,TIME_PERIOD,"
            "OBS_VALUE,OBS_STATUS\n",
        }
    headers = {
        name: {"description": text, "schema": {"type": "string"}} for name, text in _HEADERS.items()
    }
    documented: dict[int | str, dict] = {
        200: {
            "description": "The resource, in the negotiated format.",
            "content": content,
            "headers": headers,
        },
        304: {"description": "Not modified: If-None-Match matched the ETag.", "headers": headers},
        400: problem("Unknown or repeated parameter", 400, "parameter"),
        422: problem("Invalid parameter", 422, "start"),
        503: problem("No data published", 503, None),
    }
    if data or not_found or indicators:
        documented[404] = problem("Unknown code", 404, "indicator")
    if data or indicators:
        documented[401] = problem("API key required (restricted indicator)", 401, "indicator")
    if data:  # these read the Authorization header: a key may lack the tier asked for
        documented[403] = problem("Key without the needed tier", 403, "indicator")
    return documented


HEALTH_RESPONSES: dict[int | str, dict] = {
    200: {
        "description": "Serving; the snapshot in use.",
        "content": {"application/json": {"example": HEALTH_EXAMPLE}},
    },
    503: problem("No data published", 503, None),
}


def _with_header(response: dict, name: str, text: str) -> dict:
    return {**response, "headers": {name: {"description": text, "schema": {"type": "string"}}}}


NOT_ALLOWED = _with_header(
    problem("Method not allowed", 405, None), "Allow", "The methods this path answers (GET, HEAD)."
)
TOO_LONG = problem("URI too long", 414, None)  # api/url_limit.py
TOO_MANY = _with_header(
    problem("Too many requests", 429, None),
    "Retry-After",
    "Seconds to wait before the next request.",
)
INVALID = problem("Invalid parameter", 422, "parameter")


def _keep_nulls(app: FastAPI, schema: dict) -> None:
    """Put each route's examples back as written: FastAPI drops every null from the document,
    which would show a suppressed point without its `value` key."""
    for route in iter_route_contexts(app.routes):
        for status, response in (getattr(route, "responses", None) or {}).items():
            for media, content in response.get("content", {}).items():
                if "example" not in content:
                    continue
                for method in route.methods or ():
                    documented = schema["paths"][route.path].get(method.lower())
                    if documented is not None:
                        documented["responses"][str(status)]["content"][media]["example"] = content[
                            "example"
                        ]


def install(app: FastAPI) -> None:
    """Add the statuses every operation can answer with to the app's OpenAPI document."""
    build = app.openapi

    def openapi() -> dict:
        schema = build()  # FastAPI caches it; adding an entry twice changes nothing
        _keep_nulls(app, schema)
        for operations in schema["paths"].values():
            for operation in operations.values():
                answers = operation["responses"]
                answers.setdefault("414", TOO_LONG)
                answers.setdefault("405", NOT_ALLOWED)
                answers.setdefault("429", TOO_MANY)
                if operation.get("parameters"):
                    answers.setdefault("422", INVALID)
        return schema

    app.openapi = openapi  # type: ignore[method-assign]  # FastAPI's documented override
