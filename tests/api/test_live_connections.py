"""`wppi serve` keeps an idle connection open longer than clients keep theirs.

Otherwise a client can send a request on a keep-alive connection in the very moment the
server closes it, and that request is reset instead of answered: the load test
(tests/reliability) met this once, with uvicorn's 5 s default against httpx's 5 s expiry.
"""

import http.client
import time
from urllib.parse import urlsplit

import pytest

from tests.live_server import serving

CLIENT_IDLE_EXPIRY = 5.0  # httpx's default keepalive_expiry, the shortest of common clients


@pytest.fixture(scope="module")
def live(sample_home):
    with serving(sample_home) as base:
        yield urlsplit(base)


def _get(connection: http.client.HTTPConnection, path: str) -> int:
    connection.request("GET", path)
    response = connection.getresponse()
    response.read()
    return response.status


def test_an_idle_connection_outlives_the_clients_own_expiry(live):
    connection = http.client.HTTPConnection(live.hostname, live.port, timeout=10)
    try:
        assert _get(connection, "/healthz") == 200
        opened = connection.sock
        time.sleep(CLIENT_IDLE_EXPIRY + 1.5)
        # http.client reuses the open socket; had the server closed it, this would fail
        # (RemoteDisconnected / reset) rather than reconnect.
        assert _get(connection, "/healthz") == 200
        assert connection.sock is opened
    finally:
        connection.close()
