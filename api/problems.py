"""Errors as RFC 9457 `application/problem+json`, always naming the offending parameter."""

from __future__ import annotations

import logging
import re

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.responses import dumps

PROBLEM_JSON = "application/problem+json"
log = logging.getLogger("wppi.api")


class Problem(Exception):
    """An error a client can act on: status, title, detail and the parameter at fault."""

    def __init__(
        self,
        status: int,
        title: str,
        detail: str,
        parameter: str | None = None,
        headers: dict[str, str] | None = None,
    ):
        super().__init__(detail)
        self.status, self.title, self.detail, self.parameter = status, title, detail, parameter
        self.headers = headers or {}


def problem_response(
    status: int,
    title: str,
    detail: str,
    parameter: str | None,
    instance: str,
    headers: dict[str, str] | None = None,
) -> Response:
    body = {
        "type": "about:blank",
        "title": title,
        "status": status,
        "detail": detail,
        "instance": instance,
    }
    if parameter:
        body["parameter"] = parameter
    return Response(dumps(body), status_code=status, media_type=PROBLEM_JSON, headers=headers)


def install(app: FastAPI) -> None:
    @app.exception_handler(Problem)
    async def on_problem(request: Request, exc: Problem) -> Response:
        return problem_response(
            exc.status, exc.title, exc.detail, exc.parameter, request.url.path, exc.headers
        )

    @app.exception_handler(RequestValidationError)
    async def on_invalid(request: Request, exc: RequestValidationError) -> Response:
        first = exc.errors()[0]
        parameter = str(first["loc"][-1]) if first.get("loc") else None
        detail = f"{parameter}: {first['msg']}" if parameter else first["msg"]
        return problem_response(422, "Invalid parameter", detail, parameter, request.url.path)

    @app.exception_handler(StarletteHTTPException)
    async def on_http(request: Request, exc: StarletteHTTPException) -> Response:
        headers = dict(exc.headers or {})
        if exc.status_code == 405:  # Allow names every method of the path, not of one route
            headers["Allow"] = _allowed(app, request.url.path) or headers.get("Allow", "")
        return problem_response(
            exc.status_code, str(exc.detail), str(exc.detail), None, request.url.path, headers
        )

    @app.exception_handler(Exception)
    async def on_unexpected(request: Request, exc: Exception) -> Response:
        """Anything else is our fault: problem+json too, never a plain-text 500. The detail
        names no internals (paths, SQL); the server's log has the traceback."""
        log.error("unhandled error on %s", request.url.path, exc_info=exc)
        detail = "The server failed to answer this request; it has been logged."
        return problem_response(500, "Internal error", detail, None, request.url.path)


def _allowed(app: FastAPI, path: str) -> str | None:
    """The methods the OpenAPI document gives the path (GET and HEAD of an extract file are
    two routes of one path, and Starlette's 405 names only the route it tried first)."""
    for template, operations in app.openapi()["paths"].items():
        if re.fullmatch(re.sub(r"\\{[^/]+?\\}", "[^/]+", re.escape(template)), path):
            return ", ".join(sorted(method.upper() for method in operations))
    return None
