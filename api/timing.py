"""`Server-Timing: app;dur=<ms>` on answers: the time from the request reaching the app to
its response headers, so operators (and benchmarks) see server-side latency apart from the
network.

Only successful answers (2xx, 304) carry it: a refusal (401/403) must look the same whether
or not the data it guards exists (tests/api/test_access.py), and a varying header would not.
"""

from __future__ import annotations

import time

from api.response_headers import EditResponseHeaders


class ServerTiming(EditResponseHeaders[float]):
    def start(self) -> float:
        return time.perf_counter()

    def edit(self, status: int, headers: list, started: float) -> list:
        if status >= 400:
            return headers
        millis = (time.perf_counter() - started) * 1000
        return [*headers, (b"server-timing", f"app;dur={millis:.3f}".encode())]
