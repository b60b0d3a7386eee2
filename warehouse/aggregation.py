"""Finer periods combined into coarser ones (M → Q → A) by the catalog's aggregation rule.

The rule (`sum`, `mean` or `last`) comes from the indicator's catalog entry, never from a
client. Protection: an aggregate with any suppressed component is itself suppressed (no
value), so a suppressed month can never be recovered as "quarter minus the other months".
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from statistics import fmean

from warehouse.observation import KEY, PUBLISHED_COLUMNS
from warehouse.periods import format_period, parse_period

FREQUENCY_ORDER = {"D": 0, "M": 1, "Q": 2, "A": 3}
# When components disagree, the status that explains the aggregate best wins (S first).
_STATUS_PRECEDENCE = ("S", "U", "M", "P", "E", "A", "Z")
# An aggregate is only as well verified as its least verified component.
_VERIFICATION_PRECEDENCE = ("single_source", "corroborated", "verified")
_COL = {name: index for index, name in enumerate(PUBLISHED_COLUMNS)}


def coarser_period(start: date, frequency: str) -> tuple[date, date]:
    """The (start, end) of the period of `frequency` that contains the day `start`."""
    period = parse_period(format_period(start, frequency))
    return period.start, period.end


def _combine(rule: str, values: list[float]) -> float:
    if rule == "sum":
        return float(sum(values))
    if rule == "mean":
        return fmean(values)
    return values[-1]  # "last": components are in period order


def _aggregate(rule: str, parts: list[tuple], start: date, end: date, frequency: str) -> tuple:
    parts = sorted(parts, key=lambda r: r[_COL["period_start"]])
    statuses = {r[_COL["obs_status"]] for r in parts}
    status = next(s for s in _STATUS_PRECEDENCE if s in statuses)
    if status == "Z" and statuses != {"Z"}:
        status = "A"
    values = [r[_COL["value"]] for r in parts]
    value = lower = upper = None
    if status not in ("S", "U", "M") and None not in values:
        value = _combine(rule, values)
        for name in ("lower", "upper"):
            bounds = [r[_COL[name]] for r in parts]
            bound = _combine(rule, bounds) if None not in bounds else None
            lower, upper = (bound, upper) if name == "lower" else (lower, bound)
    verification = next(
        v for v in _VERIFICATION_PRECEDENCE if v in {r[_COL["verification"]] for r in parts}
    )
    first = parts[0]
    return (
        *first[: _COL["period_start"]], start, end, frequency, value, lower, upper, status,
        first[_COL["source_id"]], first[_COL["source_type"]], verification,
        max(r[_COL["recorded_at"]] for r in parts), None,
    )  # fmt: skip


def aggregate_rows(rows: list[tuple], frequency: str, rule: str) -> list[tuple]:
    """Observation rows (PUBLISHED_COLUMNS) at `frequency`, in series order.

    Rows already at `frequency` pass unchanged; finer rows are combined by `rule`; coarser
    rows cannot be split and are left out (the caller refuses such a request up front).
    """
    target = FREQUENCY_ORDER[frequency]
    groups: dict[tuple, list[tuple]] = defaultdict(list)
    kept = []
    for row in rows:
        rank = FREQUENCY_ORDER[row[_COL["frequency"]]]
        if rank == target:
            kept.append(row)
        elif rank < target:
            start, end = coarser_period(row[_COL["period_start"]], frequency)
            key = (*row[: _COL["period_start"]], row[_COL["source_id"]], start, end)
            groups[key].append(row)
    kept += [_aggregate(rule, parts, k[-2], k[-1], frequency) for k, parts in groups.items()]
    # The cell key without frequency: every kept row is at the one `frequency` asked for.
    order = [_COL[name] for name in KEY if name != "frequency"]
    return sorted(kept, key=lambda r: tuple(r[i] for i in order))
