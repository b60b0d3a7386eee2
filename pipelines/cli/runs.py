"""Running a Dagster job from the CLI: in this process, recorded in the instance at
DAGSTER_HOME, a failure recorded as the daemon's sensor records it."""

from __future__ import annotations

from pipelines.cli.homes import dagster_home
from pipelines.cli.report import err
from pipelines.settings import PipelineSettings
from warehouse.layout import Layout


def execute(
    settings: PipelineSettings,
    job_name: str,
    run_config: dict | None = None,
    groups: list[str] | None = None,
):
    """Run a job (only the assets of `groups` when given); return its id and file outcomes."""
    import dagster as dg

    from pipelines.definitions import build_definitions

    job = build_definitions(settings).resolve_job_def(job_name)
    nodes = job.graph.node_names()
    selection = None
    if groups:
        selection = sorted(dg.AssetSelection.groups(*groups).resolve(job.asset_layer.asset_graph))
        nodes = [key.to_user_string() for key in selection]
    instance_home = dagster_home(Layout(settings.home.resolve()))
    with dg.DagsterInstance.from_config(str(instance_home)) as instance:
        # The run's full event log is in the Dagster UI; the terminal gets warnings only.
        quiet = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}
        result = job.execute_in_process(
            run_config={**quiet, **(run_config or {})},
            instance=instance,
            raise_on_error=False,
            asset_selection=selection,
        )
    if not result.success:
        raise _failed(settings, job_name, result)
    outcomes = []
    for node in nodes:
        if node.endswith("_observations"):
            outcomes.extend(result.output_for_node(node))
    return result.run_id, outcomes


class RunFailed(Exception):
    """A run that failed; its message names the run and the first failing step's error."""


def _failed(settings: PipelineSettings, job_name: str, result) -> RunFailed:
    """Remove the run's step outputs, record it in run_failures.jsonl (and the webhook) as
    the daemon's sensor does for its runs, and say what failed."""
    from datetime import UTC, datetime

    from pipelines.defs.operations import FailureNotifier, root_cause
    from pipelines.step_storage import remove_run

    remove_run(Layout(settings.home).step_outputs, result.run_id)

    steps = [
        {"step": event.step_key, "error": root_cause(event.step_failure_data.error)}
        for event in result.all_events
        if event.is_step_failure and event.step_failure_data.error
    ]
    detail = steps[0]["error"] if steps else "see the Dagster UI"
    message = f"run {result.run_id} failed: {detail}"
    failure = {
        "run_id": result.run_id,
        "job": job_name,
        "failed_at": datetime.now(UTC).isoformat(),
        "message": message,
        "steps": steps,
        "tags": {"wppi/via": "cli"},
    }
    notifier = FailureNotifier(home=str(settings.home), webhook_url=settings.failure_webhook)
    notifier.record(failure)
    if notifier.webhook_url:
        try:
            notifier.post(failure)
        except OSError as exc:  # the record on disk stands; the webhook is best effort
            err.print(f"wppi: failure webhook failed: {exc}", markup=False)
    return RunFailed(message)
