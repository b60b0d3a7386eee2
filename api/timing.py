"""`Server-Timing: app;dur=<ms>` on answers: the time from the request reaching the app to
its response headers, so operators (and benchmarks) see server-side latency apart from the
network.

Only successful answers (2xx, 304) carry it: a refusal (401/403) must look the same whether
or not the data it guards exists (tests/api/test_access.py), and a varying header would not.
"""

from __future__ import annotations

import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send


class ServerTiming:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        began = time.perf_counter()

        async def timed(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] < 400:
                millis = (time.perf_counter() - began) * 1000
                header = (b"server-timing", f"app;dur={millis:.3f}".encode())
                message = {**message, "headers": [*message.get("headers", ()), header]}
            await send(message)

        await self.app(scope, receive, timed)
