"""`wppi serve` on 127.0.0.1 and a free port, for end-to-end tests and benchmarks."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

WPPI = Path(sys.executable).with_name("wppi")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def serving(
    home: Path, timeout: float = 60.0, log: Path | None = None, env: dict | None = None
) -> Iterator[str]:
    """Run `wppi serve` over `home` until the block ends; yield its base URL.

    With `log`, the server's output goes to that file (for a failing test to show); `env`
    adds to the environment (settings).
    """
    port = free_port()
    env = {**os.environ, "WPPI_HOME": str(home), "DAGSTER_HOME": str(home / "dagster"),
           **(env or {})}  # fmt: skip
    output = log.open("wb") if log else subprocess.DEVNULL
    process = subprocess.Popen(
        [str(WPPI), "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=output,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"wppi serve did not start on {base}")
            time.sleep(0.2)
        yield base
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        if log:
            output.close()
