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


def rule_outcomes(frame: pd.DataFrame, rules: list[Rule], suite_name: str):
    """Run `rules` on `frame` (which carries a unique `_row` column) in one GX validation;
    yield each rule with its success and the `_row` ids GX named as unexpected."""
    import great_expectations as gx

    context, batch_definition = _context()
    suite = gx.ExpectationSuite(
        name=suite_name, expectations=[_expectation(i, r) for i, r in enumerate(rules)]
    )
    batch = batch_definition.get_batch(batch_parameters={"dataframe": frame})
    result = batch.validate(
        suite,
        result_format={"result_format": "COMPLETE", "unexpected_index_column_names": [ROW_ID]},
    )
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
        yield rule, outcome.success, [int(entry[ROW_ID]) for entry in failed]


def reason(rule: Rule) -> str:
    """The quarantine reason a failed rule gives a row: the field to fix, why, the rule."""
    return f"{rule.field}: {rule.message} [{rule.name}]"


def validate_frame(frame: pd.DataFrame, rules: list[Rule], suite_name: str) -> BatchReport:
    """Validate `frame` (which carries a unique `_row` column) against `rules`."""
    report = BatchReport(rows=len(frame))
    if frame.empty:
        return report
    reasons: dict[int, list[str]] = defaultdict(list)
    for rule, success, failed in rule_outcomes(frame, rules, suite_name):
        for row in failed:
            reasons[row].append(reason(rule))
        report.results.append(RuleResult(rule.name, rule.field, success, len(failed)))
    report.reasons = dict(reasons)
    return report
