"""Whole answers served before routing: an anonymous GET that was answered before, on the
same snapshot, gets the same bytes without FastAPI's parameter and dependency machinery.

The route still decides what may be cached (Negotiated.respond stores only public JSON and
Parquet answers to requests without a key); this layer only replays them. It sits inside
the rate-limit and CORS middleware, so every replayed request still counts and still gets
CORS headers. The key is everything such an answer depends on (the headers named in Vary
and the raw query), so two requests that could get different answers never share a key.
"""

from __future__ import annotations

from dataclasses import dataclass

from starlette.types import ASGIApp, Receive, Scope, Send

from api.cache import SnapshotLRU
from api.snapshot_store import NoSnapshot

_MAX_BYTES = 32 * 2**20  # bodies held at once (API RSS target 500 MB); the rest rebuild
_MAX_BODY = 2**20
# Requests carrying these are never replayed: a key changes what may be read (and is
# audited), and conditional requests get their 304 from the route.
_BYPASS = {b"authorization", b"if-none-match", b"if-modified-since"}
_VARY = (b"accept", b"accept-language")


@dataclass(frozen=True)
class Answer:
    headers: list[tuple[bytes, bytes]]
    body: bytes


def request_key(scope: Scope) -> bytes | None:
    """The replay key of an anonymous, unconditional GET; None for any other request."""
    if scope["type"] != "http" or scope["method"] != "GET":
        return None
    vary: dict[bytes, bytes] = {}
    for name, value in scope["headers"]:
        if name in _BYPASS:
            return None
        if name in _VARY:
            vary.setdefault(name, value)  # the first one, as Starlette's headers.get reads it
    parts = (scope["path"].encode(), scope["query_string"], *(vary.get(h, b"") for h in _VARY))
    return b"\0".join(parts)


class AnswerCache(SnapshotLRU):
    """Answers of the current snapshot within a byte budget; none over _MAX_BODY bytes."""

    def __init__(self, max_bytes: int = _MAX_BYTES) -> None:
        super().__init__(max_bytes, lambda a: len(a.body), lambda a: len(a.body) <= _MAX_BODY)


class ReplayAnswers:
    """ASGI middleware: replay a cached answer when CURRENT still names its snapshot."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        key = request_key(scope)
        if key is not None:
            services = scope["app"].state.services  # api/deps.py; middleware has no Depends
            try:
                snapshot_id, _ = services.store.current()
            except NoSnapshot:
                snapshot_id = None
            answer = services.answers.get(snapshot_id, key) if snapshot_id else None
            if answer is not None:
                await send(
                    {"type": "http.response.start", "status": 200, "headers": answer.headers}
                )
                await send({"type": "http.response.body", "body": answer.body})
                return
        await self.app(scope, receive, send)
