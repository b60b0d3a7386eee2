"""The steps every declared source shares after `raw_<id>`: conform, validate, load."""

from datetime import UTC, datetime, timedelta

import dagster as dg
import pyarrow as pa

from pipelines import step_storage
from pipelines.batches import TRACE_COLUMNS, ConformedBatch, RawBatch
from pipelines.defs.landing import ingested_files, prune_incident_files
from pipelines.quarantine_rules import rows_by_rule
from pipelines.resources import WarehouseResource
from pipelines.sources.declaration import SourceDeclaration
from pipelines.sources.long_records import unmapped_codes
from pipelines.validation import HELD_BACK, rejected_batch, validate_batches
from warehouse.catalog import load_catalog
from warehouse.load import Batch, load_batches
from warehouse.observation import CANONICAL_SCHEMA

WAREHOUSE_TAG = {"wppi/warehouse": "build"}  # runs that write the build warehouse queue on it
PRE_LOAD = ("raw", "conformed", "validated")  # steps whose outputs hold whole source rows

_EMPTY_CONFORMED = pa.schema(
    [
        *CANONICAL_SCHEMA,
        *(pa.field(n, pa.int64() if n == "_line" else pa.string()) for n in TRACE_COLUMNS),
    ]
)


def held_back_batch(batch: Batch) -> bool:
    """Whether the file was held back by its source's quarantine policy."""
    return bool(batch.error) and batch.error.endswith(f"[{HELD_BACK}]")


def source_steps(source: SourceDeclaration) -> list[dg.AssetsDefinition]:
    """conformed_<id> -> validated_<id> -> <id>_observations."""
    adapter, conform = source.id, source.conform

    @dg.asset(
        name=f"conformed_{adapter}",
        ins={"raw": dg.AssetIn(f"raw_{adapter}")},
        group_name=adapter,
        description=f"{adapter} batches mapped onto the canonical observation, not yet checked.",
    )
    def conformed(raw: list[RawBatch]) -> list[ConformedBatch]:
        catalog = load_catalog()
        return [
            ConformedBatch(b, _EMPTY_CONFORMED.empty_table()) if b.error else conform(b, catalog)
            for b in raw
        ]

    @dg.asset(
        name=f"validated_{adapter}",
        ins={"conformed": dg.AssetIn(f"conformed_{adapter}")},
        group_name=adapter,
        description=f"{adapter} batches split into rows that passed every rule and quarantine.",
        check_specs=[
            dg.AssetCheckSpec(
                "files_readable",
                asset=f"validated_{adapter}",
                description="Every file could be read with the expected header.",
            ),
            dg.AssetCheckSpec(
                "rows_pass_rules",
                asset=f"validated_{adapter}",
                description="Rows failing catalog rules (they go to quarantine).",
            ),
            dg.AssetCheckSpec(
                "quarantine_within_policy",
                asset=f"validated_{adapter}",
                description="No file quarantined more than "
                f"{source.quarantine.max_rate:.0%} of its rows (the source's "
                "declared policy); a file above it is held back whole.",
            ),
        ],
    )
    def validated(context: dg.AssetExecutionContext, conformed: list[ConformedBatch]):
        catalog = load_catalog()
        today = datetime.now(UTC).date()
        readable = [item for item in conformed if not item.raw.error]
        policy = source.quarantine
        checked, _ = validate_batches(readable, catalog, today, policy)
        by_item = dict(zip(map(id, readable), checked, strict=True))
        batches: list[Batch] = [
            by_item[id(item)] if id(item) in by_item else rejected_batch(item.raw)
            for item in conformed
        ]
        # Counted from the rows' own reasons, so readers' rules show beside validation's.
        failures = rows_by_rule(r for b in batches for r in b.quarantined["reasons"].to_pylist())
        rejected = {b.file_name: b.error for b in batches if b.error}
        held_back = {b.file_name: b.error for b in batches if held_back_batch(b)}
        quarantined = sum(b.quarantined.num_rows for b in batches)
        yield dg.Output(
            batches, metadata={"rows_quarantined": quarantined, "files_held_back": len(held_back)}
        )
        yield dg.AssetCheckResult(
            check_name="files_readable",
            passed=not rejected,
            metadata={"rejected_files": dg.MetadataValue.json(rejected)},
        )
        yield dg.AssetCheckResult(
            check_name="rows_pass_rules",
            passed=quarantined == 0,
            severity=dg.AssetCheckSeverity.WARN,
            metadata={
                "rows_quarantined": quarantined,
                "failed_rows_by_rule": dg.MetadataValue.json(dict(failures)),
            },
        )
        # ERROR, not `blocking=True`: Dagster's blocking check fails the whole step and
        # abandons every step after it, the one publish of all sources included; holding the
        # file back (it loads nothing) keeps its rows out while the other sources publish.
        yield dg.AssetCheckResult(
            check_name="quarantine_within_policy",
            passed=not held_back,
            severity=dg.AssetCheckSeverity.ERROR,
            metadata={
                "max_quarantine_rate": policy.max_rate,
                "not_counted": ", ".join(policy.not_counted),
                "files_held_back": dg.MetadataValue.json(held_back),
            },
            description=None
            if not held_back
            else f"{len(held_back)} file(s) held back: "
            f"more than {policy.max_rate:.0%} of their rows failed rules",
        )

    @dg.asset(
        name=f"{adapter}_observations",
        ins={"validated": dg.AssetIn(f"validated_{adapter}")},
        group_name=adapter,
        description=f"{adapter} rows loaded into the build warehouse in one transaction.",
        check_specs=[
            dg.AssetCheckSpec(
                "counts_add_up",
                asset=f"{adapter}_observations",
                description="rows in = rows loaded + rows quarantined, per file.",
            ),
        ],
    )
    def observations(
        context: dg.AssetExecutionContext, warehouse: WarehouseResource, validated: list[Batch]
    ):
        con = warehouse.open_build()
        try:
            retention = timedelta(days=warehouse.quarantine_retention_days)
            outcomes = load_batches(con, context.run_id, validated, load_catalog(), retention)
        finally:
            con.close()
        # The rows are in the warehouse or quarantine now: delete this run's raw, conformed
        # and validated batches (whole source rows) and folders older runs left behind.
        storage = warehouse.layout.step_outputs
        step_storage.discard(storage, context.run_id, [f"{s}_{adapter}" for s in PRE_LOAD])
        step_storage.prune(storage, retention)
        if source.incident_level:
            pruned = prune_incident_files(  # this run's files are among the ingested now
                warehouse.layout.landing_for(adapter),
                ingested_files(warehouse),
                warehouse.incident_landing_retention_days,
            )
            context.log.info(f"{len(pruned)} ingested incident file(s) deleted from landing")
        # A file's unmapped spellings, once each with their row count: what a mapping lacks.
        summary = [
            {**o.as_dict(), "unmapped": unmapped_codes(batch.quarantined)}
            for o, batch in zip(outcomes, validated, strict=True)
        ]
        unbalanced = [
            o.file_name for o in outcomes if o.rows_in != o.rows_loaded + o.rows_quarantined
        ]
        totals = {
            key: sum(getattr(o, key) for o in outcomes)
            for key in (
                "rows_in",
                "rows_loaded",
                "rows_quarantined",
                "rows_inserted",
                "rows_revised",
            )
        }
        unmapped = {o["file_name"]: o["unmapped"] for o in summary if o["unmapped"]}
        by_rule = rows_by_rule(r for b in validated for r in b.quarantined["reasons"].to_pylist())
        # Plain numbers (rows_*, files_held_back) are plotted by Dagster run over run.
        yield dg.Output(
            summary,
            metadata={
                "files": len(outcomes),
                **totals,
                "files_held_back": sum(map(held_back_batch, validated)),
                "quarantined_by_rule": dg.MetadataValue.json(dict(by_rule.most_common())),
                "unmapped": dg.MetadataValue.json(unmapped),
                "unmapped_rows": sum(i["rows"] for codes in unmapped.values() for i in codes),
            },
        )
        yield dg.AssetCheckResult(
            check_name="counts_add_up",
            passed=not unbalanced,
            metadata={"unbalanced_files": dg.MetadataValue.json(unbalanced), **totals},
        )

    return [conformed, validated, observations]
