"""`make dagster` started from a script (SIGINT inherited ignored) stops within seconds, its
webserver and daemon included, on SIGTERM sent to make (`kill`) and on SIGINT sent to its
process group (Ctrl-C in the terminal) (issues 19, 20)."""

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


@pytest.mark.parametrize("how", ["sigterm_to_make", "ctrl_c_to_group"])
def test_make_dagster_stops_on_kill_and_ctrl_c(tmp_path, how):
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
        if how == "sigterm_to_make":
            process.send_signal(signal.SIGTERM)
        else:  # a terminal's Ctrl-C goes to every process of the foreground group
            os.killpg(process.pid, signal.SIGINT)
        stopped = time.monotonic() + STOP_WITHIN
        while (process.poll() is None or _group_alive(process.pid)) and time.monotonic() < stopped:
            time.sleep(0.2)
        if process.poll() is None or _group_alive(process.pid):
            pytest.fail(f"make dagster still running {STOP_WITHIN:.0f} s after {how}")
    finally:
        if _group_alive(process.pid):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
