"""Refuse oversized URLs before routing: a path or query string longer than any real one."""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

from api.problems import problem_response

# The longest legitimate query (every Afghan province in `geo`) is well under 1 KiB.
MAX_QUERY_BYTES = 4096
MAX_PATH_BYTES = 512


class UrlLimit:
    """Plain ASGI middleware (not `@app.middleware`, whose per-request task and streams cost
    a third of a cached answer's time): 414 problem+json for an oversized path or query."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            for part, key, limit in (
                ("query string", "query_string", MAX_QUERY_BYTES),
                ("path", "raw_path", MAX_PATH_BYTES),
            ):
                size = len(scope.get(key) or b"")
                if size > limit:
                    detail = f"The {part} has {size} bytes; at most {limit} are accepted."
                    instance = scope["path"][:MAX_PATH_BYTES]
                    response = problem_response(414, "URI too long", detail, None, instance)
                    await response(scope, receive, send)
                    return
        await self.app(scope, receive, send)
