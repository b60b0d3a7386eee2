"""Statuses every operation can answer with, added to the OpenAPI document in one place so no
route can forget one: 405 (with `Allow`), 429 (with `Retry-After`; rate limits are on by
default) and 422 wherever a parameter is taken.

Route-specific statuses (401/403 where a key is read, 404 for unknown codes, 206/416 for
ranges) stay with their routes (api/docs.py).
"""

from __future__ import annotations

from fastapi import FastAPI

from api.docs import problem


def _with_header(response: dict, name: str, text: str) -> dict:
    return {**response, "headers": {name: {"description": text, "schema": {"type": "string"}}}}


NOT_ALLOWED = _with_header(problem("Method not allowed", 405, None), "Allow",
                           "The methods this path answers (GET, HEAD).")  # fmt: skip
TOO_MANY = _with_header(problem("Too many requests", 429, None), "Retry-After",
                        "Seconds to wait before the next request.")  # fmt: skip
INVALID = problem("Invalid parameter", 422, "parameter")


def install(app: FastAPI) -> None:
    build = app.openapi

    def openapi() -> dict:
        schema = build()  # FastAPI caches it; adding an entry twice changes nothing
        for operations in schema["paths"].values():
            for operation in operations.values():
                responses = operation["responses"]
                responses.setdefault("405", NOT_ALLOWED)
                responses.setdefault("429", TOO_MANY)
                if operation.get("parameters"):
                    responses.setdefault("422", INVALID)
        return schema

    app.openapi = openapi  # type: ignore[method-assign]  # FastAPI's documented override
