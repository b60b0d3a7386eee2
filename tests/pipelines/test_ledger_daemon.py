"""The Dagster daemon started after `wppi run` queues no run for content the CLI already
ingested; a file dropped afterwards starts exactly one (issue 19: the first-start run storm)."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import dagster as dg
import pytest
from dagster._core.scheduler.instigation import InstigatorType, TickStatus

from pipelines.sources.registry import BY_ID
from tests.pipelines.sources.conftest import EXCERPTS

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
NEW_FILE = EXCERPTS / "freedom_house_fiw" / "freedom-world_afg_extract.csv"
SENSOR_TAG = "dagster/sensor_name"
SENSOR_INTERVAL = 5


def _reset_signals() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _sensor_ticks(instance: dg.DagsterInstance) -> dict[str, list]:
    """Finished ticks of every landing sensor, newest first, by sensor name."""
    ticks = {}
    for state in instance.all_instigator_state(instigator_type=InstigatorType.SENSOR):
        if state.name.endswith("_landing_sensor"):
            found = instance.get_ticks(state.instigator_origin_id, state.selector_id, limit=20)
            ticks[state.name] = [t for t in found if t.status != TickStatus.STARTED]
    return ticks


def _wait(condition, seconds: float, what: str, daemon: subprocess.Popen):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert daemon.poll() is None, "dagster-daemon ended on its own"
        found = condition()
        if found:
            return found
        time.sleep(1)
    pytest.fail(f"timed out after {seconds:.0f} s waiting for {what}")


def test_daemon_after_wppi_run_queues_nothing_already_ingested_then_one_run_per_new_file(
    tmp_path, bundle_home
):
    home = tmp_path / "wppi"
    shutil.copytree(bundle_home, home)  # as `wppi run` left it, its runs in home/dagster
    dagster_home = home / "dagster"
    # Sensors look every 5 s instead of 30: the same ticks, a sixth of the waiting.
    env = {**os.environ, "WPPI_HOME": str(home), "DAGSTER_HOME": str(dagster_home),
           "WPPI_SENSOR_INTERVAL_SECONDS": str(SENSOR_INTERVAL)}  # fmt: skip
    landed = sum(1 for p in (home / "landing").rglob("*") if p.is_file())
    assert landed > 20  # the bundle's files, every one of them in the ledger now

    daemon = subprocess.Popen(
        [str(BIN / "dagster-daemon"), "run", "-m", "pipelines.definitions"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True, preexec_fn=_reset_signals,
    )  # fmt: skip
    try:
        with dg.DagsterInstance.from_config(str(dagster_home)) as instance:

            def sensor_runs() -> list:
                return [r for r in instance.get_runs() if SENSOR_TAG in r.tags]

            # Every landing sensor has looked at its folder at least once: nothing queued.
            every = {f"{source}_landing_sensor" for source in BY_ID}
            ticks = _wait(lambda: (t := _sensor_ticks(instance)) and
                          all(t.get(name) for name in every) and t,
                          240, "a tick of every landing sensor", daemon)  # fmt: skip
            assert {t.status for found in ticks.values() for t in found} == {TickStatus.SKIPPED}
            assert sensor_runs() == []

            # A new file: exactly one run, for that file, whatever the sensor ticks after.
            folder = home / "landing" / "freedom_house"
            folder.mkdir(parents=True, exist_ok=True)
            (folder / NEW_FILE.name).write_bytes(NEW_FILE.read_bytes())
            dropped = time.time()
            [run] = _wait(sensor_runs, 120, "the new file's run", daemon)
            assert run.job_name == "freedom_house_ingest"
            assert run.tags["wppi/source"] == "freedom_house"

            def ticked_twice_since_drop() -> bool:
                found = _sensor_ticks(instance).get("freedom_house_landing_sensor", [])
                return sum(t.timestamp > dropped for t in found) >= 2

            _wait(ticked_twice_since_drop, 150, "another freedom_house sensor tick", daemon)
            assert [r.run_id for r in sensor_runs()] == [run.run_id]
    finally:
        try:
            os.killpg(daemon.pid, signal.SIGTERM)
            daemon.wait(timeout=20)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            pass
        with contextlib.suppress(ProcessLookupError):
            os.killpg(daemon.pid, signal.SIGKILL)
        daemon.wait()
