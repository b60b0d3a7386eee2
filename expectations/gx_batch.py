"""Run rules as Great Expectations 1.x expectations on a pandas batch.

GX is imported lazily (it takes seconds) and called directly: dagster-ge pins GX < 1.0.
Rows to quarantine come from GX's own unexpected-row results, identified by the `_row`
index column, never from a second hand-written check (DESIGN.md).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache

import pandas as pd

from expectations.observation_rules import Rule

ROW_ID = "_row"


@dataclass
class RuleResult:
    rule: str
    field: str
    success: bool
    failed_rows: int


@dataclass
class BatchReport:
    rows: int
    reasons: dict[int, list[str]] = field(default_factory=dict)  # row id -> failed rules
    results: list[RuleResult] = field(default_factory=list)

    @property
    def failed_rules(self) -> list[RuleResult]:
        return [r for r in self.results if not r.success]


@cache
def _context():
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
    batch_definition = (
        context.data_sources.add_pandas("wppi")
        .add_dataframe_asset("batch")
        .add_batch_definition_whole_dataframe("whole")
    )
    return context, batch_definition


def _expectation(index: int, rule: Rule):
    import great_expectations.expectations as gxe

    kwargs = dict(rule.kwargs)
    if rule.row_condition:
        kwargs |= {"row_condition": rule.row_condition, "condition_parser": "pandas"}
    return getattr(gxe, rule.expectation)(**kwargs, meta={"rule": rule.name, "index": index})


def validate_frame(frame: pd.DataFrame, rules: list[Rule], suite_name: str) -> BatchReport:
    """Validate `frame` (which carries a unique `_row` column) against `rules`."""
    import great_expectations as gx

    report = BatchReport(rows=len(frame))
    if frame.empty:
        return report
    context, batch_definition = _context()
    suite = gx.ExpectationSuite(
        name=suite_name, expectations=[_expectation(i, r) for i, r in enumerate(rules)]
    )
    batch = batch_definition.get_batch(batch_parameters={"dataframe": frame})
    result = batch.validate(
        suite,
        result_format={"result_format": "COMPLETE", "unexpected_index_column_names": [ROW_ID]},
    )
    reasons: dict[int, list[str]] = defaultdict(list)
    for outcome in result.results:
        rule = rules[outcome.expectation_config.meta["index"]]
        if outcome.exception_info.get("raised_exception"):
            raise RuntimeError(
                f"expectation {rule.name} could not run: "
                f"{outcome.exception_info.get('exception_message')}"
            )
        failed = outcome.result.get("unexpected_index_list") or []
        if not outcome.success and not failed:
            # GX reports some failures (e.g. a type it cannot compare) without rows; loading
            # anyway would let bad rows through, so stop the batch instead.
            raise RuntimeError(f"expectation {rule.name} failed without naming rows: {outcome}")
        for entry in failed:
            row = int(entry[ROW_ID])
            reasons[row].append(f"{rule.field}: {rule.message} [{rule.name}]")
        report.results.append(RuleResult(rule.name, rule.field, outcome.success, len(failed)))
    report.reasons = dict(reasons)
    return report
