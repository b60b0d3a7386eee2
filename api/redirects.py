"""Redirects point at a path on this server, never at a URL built from the Host header.

Starlette's trailing-slash and static-folder redirects spell out `http://<Host>/path`, and
Host is whatever the client sent: a shared cache or a crafted link could then send a reader
to another site. A path-only Location (RFC 9110 allows a relative reference) needs no host.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from api.response_headers import EditResponseHeaders


class RelativeRedirects(EditResponseHeaders[None]):
    """Rewrite every redirect's Location to its path and query."""

    def start(self) -> None:
        return None

    def edit(self, status: int, headers: list, started: None) -> list:
        if not 300 <= status < 400:
            return headers
        return [
            (name, _path_only(value) if name == b"location" else value) for name, value in headers
        ]


def _path_only(location: bytes) -> bytes:
    parts = urlsplit(location.decode("latin-1"))
    path = "/" + parts.path.lstrip("/")  # never `//host`, which would name a host again
    return (path + (f"?{parts.query}" if parts.query else "")).encode("latin-1")
