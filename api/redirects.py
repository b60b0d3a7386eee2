"""Redirects point at a path on this server, never at a URL built from the Host header.

Starlette's trailing-slash and static-folder redirects spell out `http://<Host>/path`, and
Host is whatever the client sent: a shared cache or a crafted link could then send a reader
to another site. A path-only Location (RFC 9110 allows a relative reference) needs no host.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.types import ASGIApp, Message, Receive, Scope, Send


class RelativeRedirects:
    """ASGI middleware: rewrite every redirect's Location to its path and query."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_relative(message: Message) -> None:
            if message["type"] == "http.response.start" and 300 <= message["status"] < 400:
                headers = [
                    (name, _path_only(value) if name == b"location" else value)
                    for name, value in message.get("headers", [])
                ]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_relative)


def _path_only(location: bytes) -> bytes:
    parts = urlsplit(location.decode("latin-1"))
    path = "/" + parts.path.lstrip("/")  # never `//host`, which would name a host again
    return (path + (f"?{parts.query}" if parts.query else "")).encode("latin-1")
