"""Freshness, two ways, each its own check on `<source>_observations` in Dagster:

- `source_fresh`: new content from the source arrived within its declared delivery interval
  (the declaration's `freshness.delivery`, by default the catalog source's `update_every`);
- `data_period_fresh`: the latest period its current observations cover ends within the
  declaration's `freshness.data_period` of today. A publisher that re-sends old years (UNESCO
  UIS's Afghan series end in 2018) is fresh by the first and stale by the second.

Dagster's own freshness APIs judge an asset by when it was last materialised; our source
assets are materialised by every daily run whether or not the source published anything, so
they would always look fresh. The checks therefore ask the warehouse.
"""

from datetime import UTC, datetime

import dagster as dg
import isodate

from pipelines.resources import WarehouseResource
from pipelines.sources.declaration import SourceDeclaration
from pipelines.sources.registry import SOURCES
from warehouse.catalog import load_catalog
from warehouse.load import last_new_data, latest_period


def _ask(warehouse: WarehouseResource, question, adapter: str):
    """One answer about `adapter` from the build warehouse (`question(con, adapter)`)."""
    con = warehouse.open_build()
    try:
        return question(con, adapter)
    finally:
        con.close()


def delivery_check(adapter: str, source_id: str, update_every: str) -> dg.AssetChecksDefinition:
    @dg.asset_check(
        asset=f"{adapter}_observations",
        name="source_fresh",
        description=f"New data from {source_id} arrived within the last {update_every}.",
    )
    def check(warehouse: WarehouseResource) -> dg.AssetCheckResult:
        last = _ask(warehouse, last_new_data, adapter)
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


def data_period_check(adapter: str, source_id: str, within: str) -> dg.AssetChecksDefinition:
    @dg.asset_check(
        asset=f"{adapter}_observations",
        name="data_period_fresh",
        description=f"The latest period {source_id}'s current data covers ended within the "
        f"last {within}.",
    )
    def check(warehouse: WarehouseResource) -> dg.AssetCheckResult:
        latest = _ask(warehouse, latest_period, adapter)
        today = datetime.now(UTC).date()
        oldest_fresh = today - isodate.parse_duration(within)
        return dg.AssetCheckResult(
            passed=latest is not None and latest >= oldest_fresh,
            severity=dg.AssetCheckSeverity.ERROR,
            metadata={
                "data_period": within,
                "latest_period_end": latest.isoformat() if latest else "none",
                # A number, so Dagster plots how far behind the data is, check after check.
                "data_age_days": (today - latest).days if latest else -1,
            },
            description=(
                f"{source_id}: no current observations"
                if latest is None
                else f"{source_id}: data ends {latest:%Y-%m-%d}; fresh data ends after "
                f"{oldest_fresh:%Y-%m-%d}"
            ),
        )

    return check


def _delivery(source: SourceDeclaration, catalog_sources: dict) -> str | None:
    if source.freshness.delivery:
        return source.freshness.delivery
    return catalog_sources[source.source_id].update_every if source.source_id else None


def _checks() -> list[dg.AssetChecksDefinition]:
    catalog_sources = load_catalog().sources
    checks = []
    for source in SOURCES:
        name = source.source_id or source.id
        if delivery := _delivery(source, catalog_sources):
            checks.append(delivery_check(source.id, name, delivery))
        if source.freshness.data_period:
            checks.append(data_period_check(source.id, name, source.freshness.data_period))
    return checks


freshness_checks = _checks()
# The checks also run on their own each day, so a source shows overdue even when its
# ingestion run has stopped running.
freshness_job = dg.define_asset_job(
    "source_freshness",
    selection=dg.AssetSelection.checks(*freshness_checks),
    description="Evaluate every source's freshness checks.",
)
freshness_schedule = dg.ScheduleDefinition(
    name="daily_freshness",
    job=freshness_job,
    cron_schedule="0 6 * * *",
    execution_timezone="UTC",
    default_status=dg.DefaultScheduleStatus.RUNNING,
)
