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

from collections.abc import Callable
from datetime import UTC, datetime

import dagster as dg
import isodate

from pipelines.resources import WarehouseResource
from pipelines.sources.declaration import SourceDeclaration
from pipelines.sources.registry import SOURCES
from warehouse.catalog import load_catalog
from warehouse.load import last_new_data, latest_period

Verdict = tuple[bool, dict, str]  # passed, metadata Dagster records, one-line description


def _warehouse_check(
    adapter: str, name: str, description: str, judge: Callable[[object, str], Verdict]
) -> dg.AssetChecksDefinition:
    """An ERROR-severity check on `<adapter>_observations` whose verdict `judge(con, adapter)`
    reads from the build warehouse."""

    @dg.asset_check(asset=f"{adapter}_observations", name=name, description=description)
    def check(warehouse: WarehouseResource) -> dg.AssetCheckResult:
        con = warehouse.open_build()
        try:
            passed, metadata, text = judge(con, adapter)
        finally:
            con.close()
        return dg.AssetCheckResult(
            passed=passed, severity=dg.AssetCheckSeverity.ERROR, metadata=metadata, description=text
        )

    return check


def delivery_check(adapter: str, source_id: str, update_every: str) -> dg.AssetChecksDefinition:
    def judge(con, adapter: str) -> Verdict:
        last = last_new_data(con, adapter)
        now = datetime.now(UTC)
        due = last + isodate.parse_duration(update_every) if last else None
        metadata = {
            "update_every": update_every,
            "last_new_data": last.isoformat() if last else "never",
            "due": due.isoformat() if due else "now",
            "overdue_days": max(0, (now - due).days) if due else -1,
        }
        if last is None or due is None:
            return False, metadata, f"{source_id}: nothing loaded yet"
        text = f"{source_id}: last new data {last:%Y-%m-%d}, due by {due:%Y-%m-%d}"
        return due >= now, metadata, text

    description = f"New data from {source_id} arrived within the last {update_every}."
    return _warehouse_check(adapter, "source_fresh", description, judge)


def data_period_check(adapter: str, source_id: str, within: str) -> dg.AssetChecksDefinition:
    def judge(con, adapter: str) -> Verdict:
        latest = latest_period(con, adapter)
        today = datetime.now(UTC).date()
        oldest_fresh = today - isodate.parse_duration(within)
        metadata = {
            "data_period": within,
            "latest_period_end": latest.isoformat() if latest else "none",
            # A number, so Dagster plots how far behind the data is, check after check.
            "data_age_days": (today - latest).days if latest else -1,
        }
        if latest is None:
            return False, metadata, f"{source_id}: no current observations"
        text = (
            f"{source_id}: data ends {latest:%Y-%m-%d}; "
            f"fresh data ends after {oldest_fresh:%Y-%m-%d}"
        )
        return latest >= oldest_fresh, metadata, text

    description = (
        f"The latest period {source_id}'s current data covers ended within the last {within}."
    )
    return _warehouse_check(adapter, "data_period_fresh", description, judge)


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
