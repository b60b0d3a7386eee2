"""Request limits per client address and per API key: 429 problem+json with Retry-After.

Counters live in this process's memory (`limits` sliding-window counters): each API worker
counts on its own, so N workers allow up to N times the limit (docs/protection.md).
"""

from __future__ import annotations

import hashlib
import math
import time

from limits import RateLimitItem, parse_many
from limits.storage import MemoryStorage
from limits.strategies import SlidingWindowCounterRateLimiter
from starlette.types import ASGIApp, Receive, Scope, Send

from api.problems import problem_response
from api.request_cost import request_cost


class RateLimit:
    """ASGI middleware: every request counts against its address, and also against its key
    when it carries one. A forged key only opens a bucket of its own (it is counted by a
    digest of the whole token), so it cannot use up a real key's allowance; the address
    limit still applies to it."""

    def __init__(self, app: ASGIApp, per_address: str, per_key: str) -> None:
        self.app = app
        self.per_address: list[RateLimitItem] = parse_many(per_address)
        self.per_key: list[RateLimitItem] = parse_many(per_key)
        self.limiter = SlidingWindowCounterRateLimiter(MemoryStorage())

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        address = scope["client"][0] if scope.get("client") else "unknown"
        cost = request_cost(scope)
        exceeded = self._exceeded(self.per_address, cost, "address", address)
        token = _bearer(scope)
        if exceeded is None and token:
            digest = hashlib.sha256(token).hexdigest()
            exceeded = self._exceeded(self.per_key, cost, "key", digest)
        if exceeded is None:
            await self.app(scope, receive, send)
            return
        limit, ids = exceeded
        reset = self.limiter.get_window_stats(limit, *ids).reset_time
        retry_after = max(1, math.ceil(reset - time.time()))
        who = "client address" if ids[0] == "address" else "API key"
        response = problem_response(
            429,
            "Too many requests",
            f"More than {limit} for this {who}; retry after {retry_after} s.",
            None,
            scope["path"],
            headers={"Retry-After": str(retry_after)},
        )
        await response(scope, receive, send)

    def _exceeded(self, limits: list[RateLimitItem], cost: int, *ids: str):
        for limit in limits:
            if not self.limiter.hit(limit, *ids, cost=cost):
                return limit, ids
        return None


def _bearer(scope: Scope) -> bytes | None:
    for name, value in scope["headers"]:
        if name == b"authorization":
            return value
    return None
