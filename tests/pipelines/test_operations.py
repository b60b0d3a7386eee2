"""Run operations: source reads retried with backoff, failed runs recorded and posted."""

from __future__ import annotations

import shutil
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import dagster as dg
import orjson
import pytest

from pipelines.definitions import build_definitions
from pipelines.defs.landing_sources import landing_source_assets
from pipelines.defs.operations import FAILURE_LOG, SOURCE_RETRY, record_run_failures
from pipelines.settings import PipelineSettings
from pipelines.sources.registry import SOURCES
from tests.conftest import land, row, run_sources

PROJECT_DAGSTER_YAML = Path(__file__).resolve().parents[2] / "dagster.yaml"


def test_source_reads_retry_with_exponential_backoff(home, monkeypatch):
    raw_partner = next(a for a in landing_source_assets if a.op.name == "raw_partner")
    assert raw_partner.op.retry_policy == SOURCE_RETRY
    assert SOURCE_RETRY.backoff == dg.Backoff.EXPONENTIAL and SOURCE_RETRY.max_retries >= 3
    from pipelines.defs import landing

    real, calls = landing.ingested_files, []

    def flaky(warehouse):
        calls.append(1)
        if len(calls) == 1:
            raise OSError("landing share briefly unavailable")
        return real(warehouse)

    monkeypatch.setattr(landing, "ingested_files", flaky)
    land(home, "a.csv", [row()])
    result = run_sources(home)
    # Every source's raw asset reads the folder once; the one that met the outage, twice.
    assert result.success and len(calls) == len(SOURCES) + 1
    retried = [e for e in result.all_events if e.event_type_value == "STEP_UP_FOR_RETRY"]
    assert len(retried) == 1 and retried[0].step_key.startswith("raw_")
    [outcome] = result.output_for_node("partner_observations")
    assert outcome["rows_loaded"] == 1


class _Hook(BaseHTTPRequestHandler):
    received: list[dict] = []

    def do_POST(self):  # noqa: N802 (http.server's naming)
        body = self.rfile.read(int(self.headers["Content-Length"]))
        _Hook.received.append(orjson.loads(body))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def webhook():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Hook)
    _Hook.received = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hook", _Hook.received
    server.shutdown()
    server.server_close()


def _failed_run(home: Path, settings: PipelineSettings, monkeypatch):
    """A real partner_ingest run whose load fails, and a failure-sensor context for it."""

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("pipelines.defs.source_steps.load_batches", broken)
    land(home, "a.csv", [row()])
    defs = build_definitions(settings)
    instance = dg.DagsterInstance.ephemeral()
    result = defs.resolve_job_def("partner_ingest").execute_in_process(
        instance=instance, raise_on_error=False, tags={"wppi/file": "a.csv"}
    )
    assert not result.success
    return dg.build_run_status_sensor_context(
        sensor_name="record_run_failures",
        dagster_event=result.get_run_failure_event(),
        dagster_instance=instance,
        dagster_run=result.dagster_run,
        resources={"failures": defs.resources["failures"]},
    ).for_run_failure(), result.run_id


def test_failed_runs_are_recorded_and_posted_to_the_webhook(home, webhook, monkeypatch):
    url, received = webhook
    settings = PipelineSettings(home=home, failure_webhook=url)
    context, run_id = _failed_run(home, settings, monkeypatch)
    record_run_failures(context)
    [recorded] = [orjson.loads(x) for x in (home / FAILURE_LOG).read_bytes().splitlines()]
    assert recorded["run_id"] == run_id and recorded["job"] == "partner_ingest"
    assert recorded["tags"] == {"wppi/file": "a.csv", "wppi/warehouse": "build"}
    assert any(s["step"] == "partner_observations" and "disk full" in s["error"]
               for s in recorded["steps"])  # fmt: skip
    assert received == [recorded]


def test_an_unreachable_webhook_still_leaves_the_record(home, monkeypatch):
    with ThreadingHTTPServer(("127.0.0.1", 0), _Hook) as closed:
        dead = f"http://127.0.0.1:{closed.server_address[1]}/hook"  # closed when the block ends
    context, run_id = _failed_run(home, PipelineSettings(home=home, failure_webhook=dead),
                                  monkeypatch)  # fmt: skip
    record_run_failures(context)
    [recorded] = [orjson.loads(x) for x in (home / FAILURE_LOG).read_bytes().splitlines()]
    assert recorded["run_id"] == run_id


def test_dagster_yaml_is_a_valid_instance_config(tmp_path):
    shutil.copyfile(PROJECT_DAGSTER_YAML, tmp_path / "dagster.yaml")
    with dg.DagsterInstance.from_config(str(tmp_path)) as instance:
        queue = instance.run_coordinator.get_run_queue_config()
        assert queue.max_concurrent_runs == 4
        assert queue.tag_concurrency_limits == [{"key": "wppi/warehouse", "limit": 1}]
        assert instance.run_monitoring_settings["enabled"]
        assert instance.run_retries_enabled and instance.run_retries_max_retries == 1
        assert not instance.run_retries_retry_on_asset_or_op_failure
    lines = PROJECT_DAGSTER_YAML.read_text().splitlines()
    for index, line in enumerate(lines):
        if line[:1].isalpha():  # a top-level key: the line above must explain it
            assert lines[index - 1].startswith("#"), f"dagster.yaml: {line} is undocumented"
