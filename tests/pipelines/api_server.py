"""A scripted HTTP server on 127.0.0.1 and a free port, standing in for the World Bank and
UNHCR APIs in live-mode tests. It serves bodies with an ETag and Last-Modified, answers a
matching conditional request with 304, and can be told to fail: a status, a sleep past the
client's read timeout, or a body shorter than its Content-Length."""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx

LAST_MODIFIED = "Tue, 01 Oct 2024 00:00:00 GMT"


@dataclass
class Fault:
    status: int = 500
    sleep: float = 0.0  # seconds before answering (a timeout when past the read timeout)
    truncate: bool = False  # announce the whole body, send half of it, close


@dataclass
class ApiServer:
    # path (without query) -> {page number -> body}
    bodies: dict[str, dict[int, bytes]] = field(default_factory=dict)
    faults: list[Fault] = field(default_factory=list)  # used up one per request, first
    requests: list[dict] = field(default_factory=list)  # path, page, headers, time
    base_url: str = ""

    def etag(self, body: bytes) -> str:
        return f'"{hashlib.sha256(body).hexdigest()[:16]}"'

    def handle(self, handler: BaseHTTPRequestHandler) -> None:
        url = httpx.URL(handler.path)
        page = int(url.params.get("page", "1"))
        headers = {k.lower(): v for k, v in handler.headers.items()}
        self.requests.append({"path": url.path, "page": page, "headers": headers,
                              "at": time.monotonic()})  # fmt: skip
        body = self.bodies.get(url.path, {}).get(page)
        fault = self.faults.pop(0) if self.faults else None
        if fault and fault.sleep:
            time.sleep(fault.sleep)
        if fault and not fault.truncate:
            self._send(handler, fault.status, b"server error")
            return
        if body is None:
            self._send(handler, 404, b"not found")
            return
        if headers.get("if-none-match") == self.etag(body):
            handler.send_response(304)
            handler.send_header("ETag", self.etag(body))
            handler.end_headers()
            return
        extra = {"ETag": self.etag(body), "Last-Modified": LAST_MODIFIED}
        if fault and fault.truncate:
            self._send(handler, 200, body, extra, sent=body[: len(body) // 2])
            handler.close_connection = True
            return
        self._send(handler, 200, body, extra)

    @staticmethod
    def _send(handler, status: int, body: bytes, extra=None, sent: bytes | None = None) -> None:
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(body)))
        for name, value in (extra or {}).items():
            handler.send_header(name, value)
        handler.end_headers()
        handler.wfile.write(body if sent is None else sent)


@contextmanager
def api_server(server: ApiServer) -> Iterator[ApiServer]:
    """Serve `server` until the block ends (bound to 127.0.0.1, port chosen by the OS)."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (the name http.server calls)
            server.handle(self)

        def log_message(self, *args):  # keep test output quiet
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    server.base_url = f"http://127.0.0.1:{httpd.server_address[1]}"
    try:
        yield server
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)
