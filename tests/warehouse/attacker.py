"""A client trying to recover suppressed cells from public output by linear differencing.

Written independently of warehouse/disclosure.py (exact fractions, dense elimination, real
right-hand sides) so the attack tests do not grade the audit with its own arithmetic.

The client remembers everything ever published: `merge_history` joins the public rows of
every snapshot it saw (a row whose value any snapshot showed stays known, even if a later
snapshot hides it or no longer lists it), and all sources are side by side. Every row with
no value ever shown is an unknown. For every as_of moment and every source the client forms
national minus provinces (same period, sex and age group), total minus female and male,
all ages minus the age bands (same place and period), and a quarter or year minus its months
or quarters (the last one for counts that keep the last value).

A figure missing at that moment can be read several ways, and the client tries each reading
as its own system of equations: as absent (the total did not count it), as the nearest row
of the same source (the total already counted a cell supplied later), as the same cell of
another source (sources measure the same thing; the same cell in two sources is then one
value), or nearest-then-other. A reading whose equations contradict the published figures is
dropped, as a client would; every other reading's pinned values are returned.
"""

from __future__ import annotations

from collections import defaultdict
from fractions import Fraction

SPAN = {"D": 0, "M": 1, "Q": 2, "A": 3}
READINGS = (("absent", False), ("nearest", False), ("absent", True), ("nearest", True))
IDENTITY = ("indicator_code", "geo_code", "sex", "age_group", "source_id", "period_start",
            "frequency", "recorded_at")  # fmt: skip


def merge_history(snapshots: list[list[dict]]) -> list[dict]:
    """One row per stored row any snapshot showed, with its value if any snapshot showed it
    and its latest known end of validity."""
    merged: dict[tuple, dict] = {}
    for rows in snapshots:
        for row in rows:
            key = tuple(row[k] for k in IDENTITY)
            seen = merged.setdefault(key, dict(row))
            seen["superseded_at"] = row["superseded_at"]
            if seen["obs_status"] == "S" and row["obs_status"] != "S":
                seen["value"], seen["obs_status"] = row["value"], row["obs_status"]
    return list(merged.values())


def _valid(row: dict, moment) -> bool:
    return row["recorded_at"] <= moment and (
        row["superseded_at"] is None or row["superseded_at"] > moment
    )


def _cell(row: dict) -> tuple:
    return (row["indicator_code"], row["age_group"], row["geo_code"], row["sex"],
            row["period_start"], row["frequency"])  # fmt: skip


def _slice(rows: list[dict], moment, fill: str, across: bool) -> dict[tuple, dict[str, int]]:
    """cell -> source -> row index at `moment` under one reading of missing figures."""
    versions: dict[tuple, list[int]] = defaultdict(list)
    sources = set()
    for i, row in enumerate(rows):
        versions[(row["source_id"], _cell(row))].append(i)
        sources.add(row["source_id"])
    cells = {c for _, c in versions}
    found: dict[tuple, dict[str, int]] = defaultdict(dict)
    for (source, cell), indices in versions.items():
        now = [i for i in indices if _valid(rows[i], moment)]
        if now:
            found[cell][source] = now[0]
    if fill == "nearest":
        for (source, cell), indices in versions.items():
            if source in found.get(cell, {}):
                continue
            earlier = [
                i
                for i in indices
                if rows[i]["superseded_at"] and rows[i]["superseded_at"] <= moment
            ]
            nearest = (max(earlier, key=lambda i: rows[i]["superseded_at"]) if earlier
                       else min(indices, key=lambda i: rows[i]["recorded_at"]))  # fmt: skip
            found[cell][source] = nearest
    if across:  # a source missing a cell takes another source's figure for it
        for cell in cells:
            have = found.get(cell, {})
            if have:
                first = have[min(have)]
                for source in sources:
                    have.setdefault(source, first)
    return found


def _sums(
    found: dict[tuple, dict[str, int]], rows: list[dict], aggregation, across: bool
) -> list[dict]:
    """Each equation as {row index: coefficient}, summing to zero."""
    sums: list[dict[int, int]] = []

    def add(whole: int, parts: list[int]) -> None:
        equation: dict[int, int] = defaultdict(int)
        equation[whole] += 1
        for j in parts:
            equation[j] -= 1
        sums.append(equation)

    for cell, by_source in found.items():
        indicator, age, geo, sex, start, frequency = cell
        for source, whole in by_source.items():
            if rows[whole]["source_id"] != source:
                continue  # a borrowed figure is only ever a part
            other = [by_source2[source] for cell2, by_source2 in found.items()
                     if source in by_source2 and cell2 != cell]  # fmt: skip
            groups = []
            if geo == "AFG":
                groups.append([j for j in other if _same(rows[j], cell, "geo")
                               and rows[j]["geo_code"].startswith("AF-")])  # fmt: skip
            if sex == "_T":
                groups.append([j for j in other if _same(rows[j], cell, "sex")])
            if age == "_T":
                groups.append([j for j in other if _same(rows[j], cell, "age")])
            rule = aggregation.get(indicator)
            if rule in ("sum", "last"):
                by_frequency = defaultdict(list)
                for j in other:
                    part = rows[j]
                    if (
                        _same(part, cell, "period")
                        and SPAN[part["frequency"]] < SPAN[frequency]
                        and part["period_start"] >= rows[whole]["period_start"]
                        and part["period_end"] <= rows[whole]["period_end"]
                        and (rule == "sum" or part["period_end"] == rows[whole]["period_end"])
                    ):
                        by_frequency[part["frequency"]].append(j)
                groups += by_frequency.values()
            for parts in groups:
                if parts:
                    add(whole, parts)
        distinct = sorted(set(by_source.values())) if across else []
        for a, b in zip(distinct, distinct[1:], strict=False):  # one cell, one value
            sums.append({a: 1, b: -1})
    return sums


def _same(row: dict, cell: tuple, free: str) -> bool:
    """`row` matches `cell` in every dimension but `free` (and is a part, not the total)."""
    indicator, age, geo, sex, start, frequency = cell
    checks = {
        "geo": (row["age_group"] == age and row["sex"] == sex and row["period_start"] == start
                and row["frequency"] == frequency),
        "sex": (row["age_group"] == age and row["geo_code"] == geo and row["sex"] in ("F", "M")
                and row["period_start"] == start and row["frequency"] == frequency),
        "age": (row["geo_code"] == geo and row["sex"] == sex and row["age_group"] != "_T"
                and row["period_start"] == start and row["frequency"] == frequency),
        "period": (row["age_group"] == age and row["geo_code"] == geo and row["sex"] == sex),
    }  # fmt: skip
    return row["indicator_code"] == indicator and checks[free]


def recover(rows: list[dict], aggregation: dict[str, str]) -> dict[int, set[Fraction]]:
    """Row index -> the values consistent readings pin down, for every unknown row."""
    moments = sorted(
        {r["recorded_at"] for r in rows} | {r["superseded_at"] for r in rows if r["superseded_at"]}
    )
    unknown = [i for i, r in enumerate(rows) if r["obs_status"] == "S"]
    column = {i: c for c, i in enumerate(unknown)}
    pinned: dict[int, set[Fraction]] = defaultdict(set)
    for fill, across in READINGS:
        matrix = []
        for moment in moments:
            for total in _sums(_slice(rows, moment, fill, across), rows, aggregation, across):
                coefficients = [Fraction(0)] * (len(unknown) + 1)
                for i, sign in total.items():
                    if i in column:
                        coefficients[column[i]] += sign
                    else:
                        coefficients[-1] -= sign * Fraction(rows[i]["value"])
                if any(coefficients):
                    matrix.append(coefficients)
        solved = _solve(matrix, len(unknown))
        for c, value in (solved or {}).items():
            pinned[unknown[c]].add(value)
    return dict(pinned)


def _solve(matrix: list[list[Fraction]], width: int) -> dict[int, Fraction] | None:
    """Reduced row echelon form; a row with a single coefficient pins that unknown down.
    None when the equations contradict each other (0 = c with c non-zero)."""
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
    if any(row[-1] for row in matrix[pivot_row:]):
        return None
    pinned = {}
    for row in matrix[:pivot_row]:
        nonzero = [c for c in range(width) if row[c]]
        if len(nonzero) == 1:
            pinned[nonzero[0]] = row[-1]
    return pinned


def leaks(rows: list[dict], aggregation: dict[str, str], truth) -> dict[int, Fraction]:
    """Unknown rows some reading pins to their true value (`truth(row)`): what is lost."""
    return {
        i: Fraction(truth(rows[i]))
        for i, values in recover(rows, aggregation).items()
        if Fraction(truth(rows[i])) in values
    }
