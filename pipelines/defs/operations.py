"""Run operations: a retry policy for reading sources, and a record of every failed run.

Failures are appended to WPPI_HOME/run_failures.jsonl (one JSON object per failed run) and,
when WPPI_FAILURE_WEBHOOK is set, posted there as the same JSON, so an engineer hears of a
failed ingestion without watching the Dagster UI.
"""

from __future__ import annotations

import urllib.request
from datetime import UTC, datetime
from pathlib import Path

import dagster as dg
import orjson

# Reading a source can fail for a moment (a network share, an API's rate limit, the build
# warehouse held by another writer): retry 3 times, 2 s then 4 s then 8 s apart, jittered so
# runs that failed together do not retry together.
SOURCE_RETRY = dg.RetryPolicy(
    max_retries=3, delay=2, backoff=dg.Backoff.EXPONENTIAL, jitter=dg.Jitter.PLUS_MINUS
)
FAILURE_LOG = "run_failures.jsonl"


class FailureNotifier(dg.ConfigurableResource):
    """Where failed runs are recorded: a file under WPPI_HOME and an optional webhook."""

    home: str
    webhook_url: str | None = None
    webhook_timeout: float = 10.0

    def record(self, failure: dict) -> None:
        path = Path(self.home) / FAILURE_LOG
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("ab") as handle:
            handle.write(orjson.dumps(failure) + b"\n")

    def post(self, failure: dict) -> None:
        request = urllib.request.Request(
            self.webhook_url,
            data=orjson.dumps(failure),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=self.webhook_timeout) as response:
            response.read()


def root_cause(error) -> str:
    """The user's exception, not Dagster's wrapper around it."""
    while error.cause is not None:
        error = error.cause
    return error.message.strip()


def describe_failure(context: dg.RunFailureSensorContext) -> dict:
    """What an engineer needs first: which run, which job, when, and which step said what."""
    steps = [
        {"step": event.step_key, "error": root_cause(event.step_failure_data.error)}
        for event in context.get_step_failure_events()
        if event.step_failure_data and event.step_failure_data.error
    ]
    return {
        "run_id": context.dagster_run.run_id,
        "job": context.dagster_run.job_name,
        "failed_at": datetime.now(UTC).isoformat(),
        "message": context.failure_event.message,
        "steps": steps,
        "tags": {k: v for k, v in context.dagster_run.tags.items() if k.startswith("wppi/")},
    }


@dg.run_failure_sensor(
    name="record_run_failures",
    description="Record every failed run under WPPI_HOME and post it to WPPI_FAILURE_WEBHOOK.",
    default_status=dg.DefaultSensorStatus.RUNNING,
)
def record_run_failures(context: dg.RunFailureSensorContext, failures: FailureNotifier):
    failure = describe_failure(context)
    failures.record(failure)
    if failures.webhook_url:
        try:
            failures.post(failure)
        except OSError as exc:  # the record on disk stands; the webhook is best effort
            context.log.warning(f"failure webhook {failures.webhook_url} failed: {exc}")
