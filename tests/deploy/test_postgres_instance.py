"""deploy/dagster.yaml for real: Dagster on PostgreSQL with a code server, daemon and queue.

Starts PostgreSQL (Debian's package) on 127.0.0.1, a gRPC code location server and
`dagster-daemon run` with DAGSTER_HOME holding the production config, queues two ingestion
runs with `dagster job launch`, and reads the outcome back from PostgreSQL itself.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import duckdb
import orjson
import pytest

from tests.conftest import row, write_partner_csv
from tests.deploy.servers import free_port, postgres_server, running, tail, wait_for

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
RUNS_TIMEOUT = 300  # both runs, one after the other (tag limit 1), on a busy 2-core machine
TICK_TIMEOUT = 150  # the every-minute schedule's first tick: < 60 s plus the daemon's interval


@pytest.fixture(scope="module")
def deployment(tmp_path_factory):
    """PostgreSQL + code server + daemon, all on loopback; yields what the tests inspect."""
    tmp = tmp_path_factory.mktemp("deploy")
    dagster_home = tmp / "dagster_home"
    dagster_home.mkdir()
    shutil.copyfile(ROOT / "deploy" / "dagster.yaml", dagster_home / "dagster.yaml")
    home = tmp / "wppi"
    landing = home / "landing" / "partner"
    landing.mkdir(parents=True)
    write_partner_csv(landing / "kabul.csv", [
        row("civic.women_led_protests", "AF-KAB", "2022-01", "12"),
        row("civic.women_led_protests", "AF-KAB", "2022-02", "many"),  # quarantined
    ])  # fmt: skip
    write_partner_csv(landing / "herat.csv", [
        row("civic.women_led_protests", "AF-HER", "2022-01", "8"),
    ])  # fmt: skip
    code_port = free_port()
    workspace = tmp / "workspace.yaml"
    workspace.write_text(
        "load_from:\n  - grpc_server:\n      host: 127.0.0.1\n"
        f"      port: {code_port}\n      location_name: wppi\n"
    )
    with postgres_server() as pg:
        env = {**os.environ, **pg.env(), "DAGSTER_HOME": str(dagster_home),
               "WPPI_HOME": str(home), "WPPI_INGEST_CRON": "* * * * *"}  # fmt: skip

        def dagster(*commands: list[str]) -> None:
            """Run `dagster` CLI commands against the workspace, side by side (each takes seconds
            of start-up); every one must succeed."""
            procs = [subprocess.Popen([str(BIN / "dagster"), *args, "-w", str(workspace)],
                                      env=env, cwd=ROOT, stdout=subprocess.PIPE,
                                      stderr=subprocess.STDOUT, text=True)
                     for args in commands]  # fmt: skip
            for proc in procs:
                output, _ = proc.communicate(timeout=180)
                assert proc.returncode == 0, output

        code_log, daemon_log = tmp / "code_server.log", tmp / "daemon.log"
        code_server = [str(BIN / "dagster"), "code-server", "start", "-h", "127.0.0.1",
                       "-p", str(code_port), "-m", "pipelines.definitions"]  # fmt: skip
        with running(code_server, code_log, env, cwd=ROOT):
            # Its own "started" line: cheaper than polling with a `dagster` health-check process.
            started = re.compile(rf"Started Dagster code (proxy )?server .* on port {code_port} ")
            wait_for(lambda: started.search(code_log.read_text()), 180, "the code server",
                     code_log, every=0.5)  # fmt: skip
            # This test drives runs itself: the landing sensor would queue more for the same
            # files. Runs queue in PostgreSQL before the daemon is up; it then starts them.
            run_ids = {name: str(uuid.uuid4()) for name in ("kabul.csv", "herat.csv")}
            launches = []
            for name, run_id in run_ids.items():
                # One process per run (not one per step): the same code path, less start-up.
                config = {"ops": {"raw_partner": {"config": {"files": [name]}}},
                          "execution": {"config": {"in_process": {}}}}  # fmt: skip
                launches.append(["job", "launch", "-j", "partner_ingest", "--run-id", run_id,
                                 "--config-json", orjson.dumps(config).decode()])  # fmt: skip
            dagster(["sensor", "stop", "partner_landing_sensor"], *launches)
            daemon = [str(BIN / "dagster-daemon"), "run", "-w", str(workspace)]
            with running(daemon, daemon_log, env, cwd=ROOT):
                con = pg.connect()
                con.autocommit = True
                try:
                    yield pg, con, home, run_ids, (daemon_log, code_log)
                finally:
                    con.close()


def query(con, sql: str, params=()) -> list[tuple]:
    with con.cursor() as cur:
        cur.execute(sql, params)
        return cur.fetchall()


@pytest.fixture(scope="module")
def finished(deployment):
    """The deployment once both queued runs have ended (any failure ends the wait at once)."""
    _, con, _, run_ids, logs = deployment
    ids = list(run_ids.values())

    def done():
        rows = query(con, "select run_id, status from runs where run_id = any(%s)", (ids,))
        if any(status in ("FAILURE", "CANCELED") for _, status in rows):
            raise AssertionError(f"a run failed: {rows}\n{tail(logs[1])}")
        return len(rows) == 2 and all(status == "SUCCESS" for _, status in rows)

    wait_for(done, RUNS_TIMEOUT, "both runs", logs[0], every=1)
    return deployment


def test_both_queued_runs_complete_one_at_a_time(finished):
    _, con, home, run_ids, _ = finished
    ids = list(run_ids.values())
    spans = query(con, "select start_time, end_time from runs where run_id = any(%s) "
                       "order by start_time", (ids,))  # fmt: skip
    assert spans[0][1] <= spans[1][0], "runs writing the warehouse must not overlap"
    tags = query(con, "select run_id, value from run_tags where key = 'wppi/warehouse' "
                      "and run_id = any(%s)", (ids,))  # fmt: skip
    assert {run_id for run_id, _ in tags} == set(ids)
    build = duckdb.connect(str(home / "warehouse" / "build.duckdb"), read_only=True)
    try:
        loaded = build.execute(
            "select run_id, geo_code, value from observations order by geo_code"
        ).fetchall()
    finally:
        build.close()
    assert loaded == [(run_ids["herat.csv"], "AF-HER", 8.0), (run_ids["kabul.csv"], "AF-KAB", 12.0)]


def test_asset_check_results_are_stored_in_postgres(finished):
    _, con, _, run_ids, _ = finished
    kabul = run_ids["kabul.csv"]
    checks = dict(query(con, "select check_name, execution_status from asset_check_executions "
                             "where run_id = %s", (kabul,)))  # fmt: skip
    assert checks == {"files_readable": "SUCCEEDED", "rows_pass_rules": "FAILED",
                      "counts_add_up": "SUCCEEDED",
                      "quarantine_within_policy": "SUCCEEDED"}  # fmt: skip
    events = query(con, "select count(*) from event_logs where run_id = %s "
                        "and dagster_event_type = 'ASSET_CHECK_EVALUATION'", (kabul,))  # fmt: skip
    assert events == [(4,)]


def test_a_schedule_tick_is_recorded(deployment):
    _, con, _, _, logs = deployment

    def ticks():
        return query(con, "select status from job_ticks where type = 'SCHEDULE' "
                          "and status = 'SUCCESS'")  # fmt: skip

    wait_for(ticks, TICK_TIMEOUT, "a successful schedule tick", logs[0], every=2)
    # The tick asked for a run of the scheduled job, and that run is in the queue's history.
    scheduled = query(con, "select count(*) from run_tags where key = 'dagster/schedule_name' "
                           "and value = 'daily_sources'")  # fmt: skip
    assert scheduled[0][0] >= 1
