"""A base for ASGI middleware that edits a response's headers as they are sent."""

from __future__ import annotations

from typing import Generic, TypeVar

from starlette.types import ASGIApp, Message, Receive, Scope, Send

Started = TypeVar("Started")


class EditResponseHeaders(Generic[Started]):
    """Calls `edit(status, headers, started)` on every HTTP response's start message;
    `started` is what `start()` returned when the request arrived."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    def start(self) -> Started:
        raise NotImplementedError

    def edit(self, status: int, headers: list, started: Started) -> list:
        raise NotImplementedError

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = self.start()

        async def edited(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = self.edit(message["status"], list(message.get("headers", ())), started)
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, edited)
