"""The one Dagster `Definitions` for WPPI (named in pyproject.toml under [tool.dagster])."""

from __future__ import annotations

import dagster as dg

from pipelines.defs.extracts import extracts
from pipelines.defs.freshness import freshness_checks, freshness_job, freshness_schedule
from pipelines.defs.landing import landing_sensor
from pipelines.defs.landing_sources import SOURCE_JOBS, landing_source_assets
from pipelines.defs.live import LiveFetchResource, live_assets
from pipelines.defs.operations import FailureNotifier, record_run_failures
from pipelines.defs.publish import published_snapshot
from pipelines.defs.source_steps import WAREHOUSE_TAG
from pipelines.resources import WarehouseResource
from pipelines.settings import PipelineSettings
from pipelines.sources.registry import SOURCES
from pipelines.step_storage import RunScopedIOManager
from warehouse.layout import Layout

ALL_ASSETS = [*landing_source_assets, published_snapshot, extracts]

all_sources = dg.define_asset_job(
    "all_sources",
    selection=dg.AssetSelection.all(),
    description="Ingest every source once, then publish.",
    tags=WAREHOUSE_TAG,
)


def build_definitions(settings: PipelineSettings) -> dg.Definitions:
    return dg.Definitions(
        assets=[*ALL_ASSETS, *live_assets],
        asset_checks=freshness_checks,
        jobs=[all_sources, *SOURCE_JOBS, freshness_job],
        schedules=[
            dg.ScheduleDefinition(
                name="daily_sources",
                job=all_sources,
                cron_schedule=settings.ingest_cron,
                execution_timezone="UTC",
                description="Pull every source once a day and publish.",
                default_status=dg.DefaultScheduleStatus.RUNNING,
            ),
            freshness_schedule,
        ],
        sensors=[
            *(landing_sensor(source.id, settings.sensor_interval_seconds) for source in SOURCES),
            record_run_failures,
        ],
        resources={
            "warehouse": WarehouseResource.from_settings(settings),
            "failures": FailureNotifier(
                home=str(settings.home), webhook_url=settings.failure_webhook
            ),
            "live": LiveFetchResource.from_settings(settings),
            "io_manager": RunScopedIOManager(base_dir=str(Layout(settings.home).step_outputs)),
        },
    )


defs = build_definitions(PipelineSettings())
