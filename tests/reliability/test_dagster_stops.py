"""`make dagster` started from a script (SIGINT inherited ignored) stops on SIGTERM sent to
make within seconds, its webserver and daemon included (issue 20)."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import httpx
import pytest

from tests.live_server import free_port

ROOT = Path(__file__).resolve().parents[2]
STOP_WITHIN = 10.0


def _ignore_sigint() -> None:
    """What a script's `cmd &` does to its children (POSIX shells without job control)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def test_sigterm_to_make_dagster_stops_it(tmp_path):
    port = free_port()
    env = {**os.environ, "WPPI_HOME": str(tmp_path / "wppi"),
           "DAGSTER_HOME": str(tmp_path / "wppi" / "dagster")}  # fmt: skip
    process = subprocess.Popen(
        ["make", "--no-print-directory", "dagster", f"DAGSTER_PORT={port}"], cwd=ROOT, env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        preexec_fn=_ignore_sigint,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 240
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/server_info", timeout=2).is_success:
                    break
            except httpx.TransportError:
                pass
            assert process.poll() is None, "make dagster ended before serving"
            assert time.monotonic() < deadline, "dagster dev did not start"
            time.sleep(0.5)
        process.send_signal(signal.SIGTERM)
        stopped = time.monotonic() + STOP_WITHIN
        while (process.poll() is None or _group_alive(process.pid)) and time.monotonic() < stopped:
            time.sleep(0.2)
        if process.poll() is None or _group_alive(process.pid):
            pytest.fail(f"make dagster still running {STOP_WITHIN:.0f} s after SIGTERM")
    finally:
        if _group_alive(process.pid):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
