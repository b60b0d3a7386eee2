"""Refuse oversized URLs before routing: a path or query string longer than any real one."""

from __future__ import annotations

from fastapi import FastAPI, Request

from api.problems import problem_response

# The longest legitimate query (every Afghan province in `geo`) is well under 1 KiB.
MAX_QUERY_BYTES = 4096
MAX_PATH_BYTES = 512


def install(app: FastAPI) -> None:
    @app.middleware("http")
    async def limit_url(request: Request, call_next):
        for part, key, limit in (("query string", "query_string", MAX_QUERY_BYTES),
                                 ("path", "raw_path", MAX_PATH_BYTES)):  # fmt: skip
            size = len(request.scope.get(key) or b"")
            if size > limit:
                detail = f"The {part} has {size} bytes; at most {limit} are accepted."
                instance = request.url.path[:MAX_PATH_BYTES]
                return problem_response(414, "URI too long", detail, None, instance)
        return await call_next(request)
