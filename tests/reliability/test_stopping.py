"""SIGTERM stops `wppi ingest` and `wppi run` within seconds, even mid-step (issue 20).

The run is kept busy for minutes by 5 million empty rows (the row limit raised so the file
is read, not refused); the signal is sent once the read step has started, as an operator's
`kill` would, to the process only.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from pipelines.sources.partner import HEADER
from tests.reliability.test_crashes import _step_events
from tests.test_end_to_end import WPPI

STOP_WITHIN = 10.0


def _busy_file(path: Path) -> Path:
    with path.open("w") as out:
        out.write(",".join(HEADER) + "\n")
        block = ("," * (len(HEADER) - 1) + "\n") * 100_000
        for _ in range(50):
            out.write(block)
    return path


@pytest.mark.parametrize("command", ["ingest", "run"])
def test_sigterm_stops_a_busy_run_within_seconds(tmp_path, command):
    home = tmp_path / "wppi"
    busy = _busy_file(tmp_path / "busy.csv")
    if command == "run":
        landing = home / "landing" / "partner"
        landing.mkdir(parents=True)
        busy = busy.rename(landing / busy.name)
    args = [str(WPPI), command, "--json", *([str(busy)] if command == "ingest" else [])]
    env = {**os.environ, "WPPI_HOME": str(home), "WPPI_MAX_ROWS_PER_FILE": "10000000"}
    env.pop("DAGSTER_HOME", None)
    process = subprocess.Popen(args, env=env, start_new_session=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        deadline = time.monotonic() + 180
        while "STEP_START" not in _step_events(home / "dagster", "raw_partner"):
            assert process.poll() is None, "the run ended before it was busy"
            assert time.monotonic() < deadline, "the run never started reading"
            time.sleep(0.05)
        time.sleep(1.0)  # well inside the read
        assert process.poll() is None
        sent = time.monotonic()
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=STOP_WITHIN)
        except subprocess.TimeoutExpired:
            pytest.fail(f"wppi {command} still running {STOP_WITHIN:.0f} s after SIGTERM")
        assert time.monotonic() - sent < STOP_WITHIN
        assert process.returncode != 0
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
