"""Validate each distinct combination of the values a rule reads once, then join back.

A partner file repeats its codes, periods and figures: 370,000 rows hold a few thousand
distinct values per column. Great Expectations' cost grows with the rows of the frame it
checks, so every rule is run on the distinct combinations of the columns it reads (its
column and those of its row condition) instead of on every row, and the combinations GX
names as unexpected are mapped back to every row holding them. GX still decides every
rule and still names the failures; the rows only come from its answer.

The rules read different columns, so the frame GX checks is ragged: columns that no rule
reads together are deduplicated apart (one group per connected set of co-read columns), and
a group shorter than the frame repeats its combinations cyclically, so frame row r shows
combination r mod n of each group and a repeat gives the same verdict as the original.
"""

from __future__ import annotations

import re
from collections import defaultdict

import numpy as np
import pandas as pd

from expectations.gx_batch import ROW_ID, BatchReport, RuleResult, reason, rule_outcomes
from expectations.observation_rules import Rule

NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _reads(rule: Rule, columns: set[str]) -> list[str]:
    """The frame columns a rule reads: its column(s) and any named in its row condition."""
    read = [rule.kwargs["column"]] if "column" in rule.kwargs else []
    read += rule.kwargs.get("column_list", [])
    read += [name for name in NAME.findall(rule.row_condition or "") if name in columns]
    return list(dict.fromkeys(read))


def _groups(rules: list[Rule], columns: set[str]) -> list[list[str]]:
    """Connected sets of columns some rule reads together (union-find)."""
    parent: dict[str, str] = {}

    def root(name: str) -> str:
        while parent.setdefault(name, name) != name:
            name = parent[name]
        return name

    for rule in rules:
        first, *rest = _reads(rule, columns)
        for name in rest:
            parent[root(name)] = root(first)
        root(first)
    grouped: dict[str, list[str]] = defaultdict(list)
    for name in parent:
        grouped[root(name)].append(name)
    return list(grouped.values())


def combinations(frame: pd.DataFrame, columns: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Per row the id of its combination of `columns` (nulls are values too), and per id
    the first row holding it."""
    ids = np.zeros(len(frame), dtype=np.int64)
    for name in columns:
        codes, uniques = pd.factorize(frame[name], use_na_sentinel=False)
        ids, _ = pd.factorize(ids * len(uniques) + codes)
    first = np.full(ids.max() + 1 if len(ids) else 0, len(ids), dtype=np.int64)
    np.minimum.at(first, ids, np.arange(len(ids)))
    return ids, first


def validate_distinct(frame: pd.DataFrame, rules: list[Rule], suite_name: str) -> BatchReport:
    """Validate `frame` against `rules` as `gx_batch.validate_frame` would, reporting rows of
    `frame` by position, with GX run on distinct combinations only."""
    report = BatchReport(rows=len(frame))
    if frame.empty:
        return report
    groups = _groups(rules, set(frame.columns))
    found = {tuple(group): combinations(frame, group) for group in groups}
    length = max(len(first) for _, first in found.values())
    ragged = {}
    group_of = {}
    for group, (_, first) in found.items():
        cycled = first[np.arange(length) % len(first)]
        for name in group:
            ragged[name] = frame[name].take(cycled).reset_index(drop=True)
            group_of[name] = group
    ragged[ROW_ID] = np.arange(length)
    reasons: dict[int, list[str]] = defaultdict(list)
    for rule, success, failed in rule_outcomes(pd.DataFrame(ragged), rules, suite_name):
        ids, first = found[group_of[_reads(rule, set(frame.columns))[0]]]
        failing = np.unique(np.asarray(failed, dtype=np.int64) % len(first))
        rows = np.flatnonzero(np.isin(ids, failing))
        for row in rows.tolist():
            reasons[row].append(reason(rule))
        report.results.append(RuleResult(rule.name, rule.field, success, len(rows)))
    report.reasons = dict(reasons)
    return report
