"""Two `wppi serve` replicas reading one published location switch to a new snapshot
within a bounded time after publish, while serving requests without a single failure.

Two locations: an S3-compatible bucket (each replica keeps its own local cache) and one
folder both replicas read (a shared volume).
"""

from __future__ import annotations

import os
import sys
import threading
import time
from contextlib import ExitStack
from pathlib import Path

import httpx
import pytest

from tests.deploy.conftest import URL, kabul, publish_to_bucket
from tests.deploy.servers import free_port, running, wait_for

WPPI = Path(sys.executable).with_name("wppi")
SWITCH_BOUND = 10.0  # seconds from the end of publish until both replicas serve the new id
LOAD_LIMIT = 60.0  # no client loop runs longer than this, whatever happens
SERIES = {"indicator": "civic.women_led_protests", "geo": "AF-KAB"}


class Client(threading.Thread):
    """Asks one replica for a series back to back; records (time, status, snapshot id)."""

    def __init__(self, base: str, stop: threading.Event):
        super().__init__(daemon=True)
        self.base, self.stop = base, stop
        self.seen: list[tuple[float, int, str]] = []
        self.errors: list[str] = []

    def run(self) -> None:
        deadline = time.monotonic() + LOAD_LIMIT
        with httpx.Client(base_url=self.base, timeout=10) as http:
            while not self.stop.is_set() and time.monotonic() < deadline:
                try:
                    reply = http.get("/v1/series", params=SERIES)
                except httpx.HTTPError as exc:
                    self.errors.append(repr(exc))
                    continue
                snapshot_id = reply.headers.get("x-wppi-snapshot", "")
                self.seen.append((time.monotonic(), reply.status_code, snapshot_id))

    def first_seen(self, snapshot_id: str) -> float | None:
        return next((t for t, _, sid in self.seen if sid == snapshot_id), None)


@pytest.mark.parametrize("location", ["bucket", "shared folder"])
def test_replicas_switch_together_without_failed_requests(location, tmp_path, request):
    home = tmp_path / "pipelines"
    endpoint = request.getfixturevalue("s3") if location == "bucket" else None
    first = publish_to_bucket(home, endpoint, "first.csv", kabul("12"))
    replicas = []
    for name in ("a", "b"):
        port = free_port()
        env = {**os.environ, "WPPI_HOME": str(home)}
        if endpoint:
            env.update(WPPI_HOME=str(tmp_path / f"cache-{name}"), WPPI_OBJECT_STORE_URL=URL,
                       WPPI_OBJECT_STORE_ENDPOINT=endpoint,
                       WPPI_OBJECT_STORE_POLL_SECONDS="0.5")  # fmt: skip
        env.pop("DAGSTER_HOME", None)
        args = [str(WPPI), "serve", "--host", "127.0.0.1", "--port", str(port)]
        replicas.append((f"http://127.0.0.1:{port}", args, env, tmp_path / f"serve-{name}.log"))

    with ExitStack() as servers:
        for _, args, env, log in replicas:
            servers.enter_context(running(args, log, env))
        for base, _, _, log in replicas:
            wait_for(lambda base=base: httpx.get(f"{base}/healthz").json()["snapshot"] == first,
                     60, f"replica {base} serving {first}", log)  # fmt: skip
        stop = threading.Event()
        clients = [Client(base, stop) for base, *_ in replicas]
        for client in clients:
            client.start()
        try:
            time.sleep(0.5)
            second = publish_to_bucket(home, endpoint, "revision.csv", kabul("14"))
            published = time.monotonic()
            assert second != first
            wait_for(lambda: all(c.first_seen(second) for c in clients), SWITCH_BOUND + 5,
                     "both replicas on the new snapshot")  # fmt: skip
            time.sleep(0.5)  # and they stay there
        finally:
            stop.set()
            for client in clients:
                client.join(timeout=15)

    for client in clients:
        assert client.errors == []
        statuses = {status for _, status, _ in client.seen}
        assert statuses == {200}
        ids = [sid for _, _, sid in client.seen]
        switch = ids.index(second)
        # Old data up to one moment, new data from then on: never back and forth.
        assert set(ids[:switch]) == {first} and set(ids[switch:]) == {second}
        lag = client.first_seen(second) - published
        print(
            f"{location}: {client.base} switched {lag:.2f} s after publish, "
            f"{len(ids)} requests, none failed"
        )
        assert lag < SWITCH_BOUND
