"""A client trying to recover suppressed cells from public output by linear differencing.

Written independently of warehouse/disclosure.py (exact fractions, dense elimination, real
right-hand sides) so the attack tests do not grade the audit with its own arithmetic.
Every public row is one cell; a row with obs_status S is an unknown. For every as_of moment
the client forms national minus provinces (same period and sex), total minus female and
male (same place and period), and a quarter or year minus its months or quarters (the last
one for counts that keep the last value). A cell with no row at that moment but a row at
another counts as that nearest row: the moment's totals already contain its figure. It returns
every unknown the equations pin down.
"""

from __future__ import annotations

from collections import defaultdict
from fractions import Fraction

SPAN = {"D": 0, "M": 1, "Q": 2, "A": 3}


def _valid(row: dict, moment) -> bool:
    return row["recorded_at"] <= moment and (
        row["superseded_at"] is None or row["superseded_at"] > moment
    )


def _slice(rows: list[dict], moment) -> list[tuple[int, dict]]:
    """The rows valid at `moment`, plus, for a cell with no row then but one at another time
    (first quarantined and supplied later), its nearest row: the totals of that moment
    already contain the cell's figure, so the client treats it as part of them."""
    versions = defaultdict(list)
    for i, row in enumerate(rows):
        position = (row["indicator_code"], row["age_group"], row["source_id"], row["geo_code"],
                    row["sex"], row["period_start"], row["frequency"])  # fmt: skip
        versions[position].append((i, row))
    valid = []
    for found in versions.values():
        now = [(i, r) for i, r in found if _valid(r, moment)]
        earlier = [(i, r) for i, r in found if r["superseded_at"] and r["superseded_at"] <= moment]
        nearest = (max(earlier, key=lambda v: v[1]["superseded_at"]) if earlier
                   else min(found, key=lambda v: v[1]["recorded_at"]))  # fmt: skip
        valid += now or [nearest]
    return valid


def _sums(valid: list[dict], aggregation: dict[str, str]) -> list[dict[int, int]]:
    """Each equation as {row index: coefficient}, summing to zero."""
    sums = []
    groups = defaultdict(list)
    for i, row in valid:
        base = (row["indicator_code"], row["age_group"], row["source_id"])
        groups[("geo", *base, row["period_start"], row["frequency"], row["sex"])].append(i)
        groups[("sex", *base, row["period_start"], row["frequency"], row["geo_code"])].append(i)
    rows = dict(valid)
    for key, members in groups.items():
        if key[0] == "geo":
            national = [i for i in members if rows[i]["geo_code"] == "AFG"]
            provinces = [i for i in members if rows[i]["geo_code"].startswith("AF-")]
            if national and provinces:
                sums.append({national[0]: 1} | {i: -1 for i in provinces})
        else:
            by_sex = {rows[i]["sex"]: i for i in members}
            if {"_T", "F", "M"} <= by_sex.keys():
                sums.append({by_sex["_T"]: 1, by_sex["F"]: -1, by_sex["M"]: -1})
    for i, coarse in valid:
        rule = aggregation.get(coarse["indicator_code"])
        parts_by_freq = defaultdict(list)
        for j, part in valid:
            if (
                (part["indicator_code"], part["geo_code"], part["sex"], part["age_group"],
                 part["source_id"])
                == (coarse["indicator_code"], coarse["geo_code"], coarse["sex"],
                    coarse["age_group"], coarse["source_id"])
                and SPAN[part["frequency"]] < SPAN[coarse["frequency"]]
                and part["period_start"] >= coarse["period_start"]
                and part["period_end"] <= coarse["period_end"]
            ):  # fmt: skip
                parts_by_freq[part["frequency"]].append(j)
        for parts in parts_by_freq.values():
            if rule == "last":
                parts = [j for j in parts if rows[j]["period_end"] == coarse["period_end"]]
            if rule in ("sum", "last") and parts:
                sums.append({i: 1} | {j: -1 for j in parts})
    return sums


def recover(rows: list[dict], aggregation: dict[str, str]) -> dict[int, Fraction]:
    """Row index -> value for every suppressed row the public rows determine."""
    moments = sorted(
        {r["recorded_at"] for r in rows} | {r["superseded_at"] for r in rows if r["superseded_at"]}
    )
    unknown = [i for i, r in enumerate(rows) if r["obs_status"] == "S"]
    column = {i: c for c, i in enumerate(unknown)}
    matrix = []
    for moment in moments:
        valid = _slice(rows, moment)
        for total in _sums(valid, aggregation):
            coefficients = [Fraction(0)] * (len(unknown) + 1)
            for i, sign in total.items():
                if i in column:
                    coefficients[column[i]] += sign
                else:
                    coefficients[-1] -= sign * Fraction(rows[i]["value"])
            if any(coefficients[:-1]):
                matrix.append(coefficients)
    return {unknown[c]: value for c, value in _solve(matrix, len(unknown)).items()}


def _solve(matrix: list[list[Fraction]], width: int) -> dict[int, Fraction]:
    """Reduced row echelon form; a row with a single coefficient pins that unknown down."""
    pivot_row = 0
    for col in range(width):
        found = next((r for r in range(pivot_row, len(matrix)) if matrix[r][col]), None)
        if found is None:
            continue
        matrix[pivot_row], matrix[found] = matrix[found], matrix[pivot_row]
        lead = matrix[pivot_row][col]
        matrix[pivot_row] = [x / lead for x in matrix[pivot_row]]
        for r in range(len(matrix)):
            if r != pivot_row and matrix[r][col]:
                factor, lead_row = matrix[r][col], matrix[pivot_row]
                matrix[r] = [a - factor * b for a, b in zip(matrix[r], lead_row, strict=True)]
        pivot_row += 1
    pinned = {}
    for row in matrix[:pivot_row]:
        nonzero = [c for c in range(width) if row[c]]
        if len(nonzero) == 1:
            pinned[nonzero[0]] = row[-1]
    return pinned
