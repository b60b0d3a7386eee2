"""Freshness: a published source that has brought nothing new for longer than its catalog
`update_every` fails its `source_fresh` check in Dagster.

Dagster's own freshness APIs judge an asset by when it was last materialised; our source
assets are materialised by every daily run whether or not the source published anything, so
they would always look fresh. The check therefore asks the warehouse when new content from
the source last arrived, and compares that with the source's declared interval.
"""

from datetime import UTC, datetime

import dagster as dg
import isodate

from pipelines.resources import WarehouseResource
from pipelines.sources.registry import SOURCES
from warehouse.catalog import load_catalog
from warehouse.load import last_new_data


def freshness_check(adapter: str, source_id: str, update_every: str) -> dg.AssetChecksDefinition:
    @dg.asset_check(
        asset=f"{adapter}_observations",
        name="source_fresh",
        description=f"New data from {source_id} arrived within the last {update_every}.",
    )
    def check(warehouse: WarehouseResource) -> dg.AssetCheckResult:
        con = warehouse.open_build()
        try:
            last = last_new_data(con, adapter)
        finally:
            con.close()
        now = datetime.now(UTC)
        due = last + isodate.parse_duration(update_every) if last else None
        return dg.AssetCheckResult(
            passed=due is not None and due >= now,
            severity=dg.AssetCheckSeverity.ERROR,
            metadata={
                "update_every": update_every,
                "last_new_data": last.isoformat() if last else "never",
                "due": due.isoformat() if due else "now",
                "overdue_days": max(0, (now - due).days) if due else -1,
            },
            description=(
                f"{source_id}: nothing loaded yet"
                if last is None
                else f"{source_id}: last new data {last:%Y-%m-%d}, due by {due:%Y-%m-%d}"
            ),  # fmt: skip
        )

    return check


def _checks() -> list[dg.AssetChecksDefinition]:
    sources = load_catalog().sources
    return [
        freshness_check(s.id, s.source_id, sources[s.source_id].update_every)
        for s in SOURCES
        if s.source_id and sources[s.source_id].update_every
    ]


freshness_checks = _checks()
# The checks also run on their own each day, so a source shows overdue even when its
# ingestion run has stopped running.
freshness_job = dg.define_asset_job(
    "source_freshness",
    selection=dg.AssetSelection.checks(*freshness_checks),
    description="Evaluate every source's freshness check.",
)
freshness_schedule = dg.ScheduleDefinition(
    name="daily_freshness",
    job=freshness_job,
    cron_schedule="0 6 * * *",
    execution_timezone="UTC",
    default_status=dg.DefaultScheduleStatus.RUNNING,
)
