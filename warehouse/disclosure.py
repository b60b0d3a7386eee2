"""Exact audit that no suppressed cell can be recovered by linear differencing.

The quick SQL pass (queries/complement.sql) makes sure no additive group holds exactly one
suppressed cell in any as_of slice. That is exact for one equation, but a client may combine
equations: national totals of several as_of slices, provinces with sexes, a quarter with its
months. This audit writes down every equation a client can form for a table (one indicator,
age group, source and year) in every as_of slice:

- a national figure minus its provinces (same period and sex),
- a province's total minus its female and male figures (all three present),
- a quarter or year minus its months (or quarters) for summed counts; for counts that keep
  the last value, a quarter or year equals its last month (or quarter),

treats every suppressed cell as an unknown (published cells move to the known side), and
asks linear algebra whether any unknown is determined. Where one is, it suppresses one more
published cell that shares an equation with it, and asks again.

Arithmetic is modulo a large prime: coefficients are 0 and ±1 and tables are small, so the
rank over the rationals is the rank modulo the prime (a wrong answer would need the prime to
divide a small determinant).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from itertools import groupby

import duckdb

from warehouse.sql import sql

PRIME = (1 << 61) - 1
SEX_SIGN = {"_T": 1, "F": -1, "M": -1}  # total = female + male
FINER = {"A": ("Q", "M", "D"), "Q": ("M", "D"), "M": ("D",), "D": ()}
Vector = dict[int, int]  # unknown (cell rowid) -> coefficient modulo PRIME


@dataclass
class Cell:
    rowid: int
    geo: str
    sex: str
    period_start: date
    period_end: date
    frequency: str
    total: bool  # the national figure the provinces add up to
    value: float
    suppressed: bool
    recorded_at: datetime
    superseded_at: datetime | None

    def valid_at(self, moment: datetime) -> bool:
        return self.recorded_at <= moment and (
            self.superseded_at is None or self.superseded_at > moment
        )


def _reduce(vector: Vector, basis: dict[int, Vector]) -> Vector:
    """What is left of `vector` after eliminating every pivot of `basis`."""
    vector = {k: v % PRIME for k, v in vector.items() if v % PRIME}
    while pivots := [k for k in vector if k in basis]:
        pivot = min(pivots)
        factor = vector[pivot]
        for k, v in basis[pivot].items():
            left = (vector.get(k, 0) - factor * v) % PRIME
            if left:
                vector[k] = left
            else:
                vector.pop(k, None)
    return vector


def _basis(equations: Iterable[Vector]) -> dict[int, Vector]:
    """An echelon basis of the equations' span, keyed by pivot unknown."""
    basis: dict[int, Vector] = {}
    for equation in equations:
        rest = _reduce(equation, basis)
        if rest:
            pivot = min(rest)
            inverse = pow(rest[pivot], -1, PRIME)
            basis[pivot] = {k: v * inverse % PRIME for k, v in rest.items()}
    return basis


def _moments(cells: list[Cell]) -> list[datetime]:
    found = {c.recorded_at for c in cells} | {c.superseded_at for c in cells if c.superseded_at}
    return sorted(found)


def _slices(cells: list[Cell]) -> Iterator[list[Cell]]:
    """Each as_of slice's cells, completed: a cell with no row at that moment but a row at
    another (quarantined first and supplied later) is still inside that moment's totals, so
    it enters the slice as its nearest row. Leaving it out would write a false equation
    (total = the others) that, next to the later one, pins the cell down for good."""
    versions: dict[tuple, list[Cell]] = defaultdict(list)
    for cell in cells:
        versions[(cell.geo, cell.sex, cell.period_start, cell.frequency)].append(cell)
    for moment in _moments(cells):
        valid = []
        for found in versions.values():
            now = [c for c in found if c.valid_at(moment)]
            earlier = [c for c in found if c.superseded_at and c.superseded_at <= moment]
            nearest = (max(earlier, key=lambda c: c.superseded_at) if earlier
                       else min(found, key=lambda c: c.recorded_at))  # fmt: skip
            valid += now or [nearest]
        yield valid


def _time_equations(valid: list[Cell], aggregation: str) -> Iterable[Vector]:
    if len({cell.frequency for cell in valid}) < 2:
        return  # a period can only be split into periods of another frequency
    by_series: dict[tuple, list[Cell]] = defaultdict(list)
    for cell in valid:
        by_series[(cell.geo, cell.sex)].append(cell)
    for series in by_series.values():
        for coarse in series:
            for frequency in FINER[coarse.frequency]:
                parts = [
                    c
                    for c in series
                    if c.frequency == frequency
                    and c.period_start >= coarse.period_start
                    and c.period_end <= coarse.period_end
                ]
                if aggregation == "last":
                    parts = [c for c in parts if c.period_end == coarse.period_end]
                if parts:
                    yield {coarse.rowid: 1} | {c.rowid: -1 for c in parts}


def equations(cells: list[Cell], aggregation: str) -> list[Vector]:
    """Every sum a client can form from the public table, over all its cells."""
    found: list[Vector] = []
    for valid in _slices(cells):
        by_sex: dict[tuple, list[Cell]] = defaultdict(list)
        by_geo: dict[tuple, list[Cell]] = defaultdict(list)
        for cell in valid:
            by_sex[(cell.period_start, cell.frequency, cell.sex)].append(cell)
            by_geo[(cell.period_start, cell.frequency, cell.geo)].append(cell)
        for members in by_sex.values():
            if any(c.total for c in members):
                found.append({c.rowid: 1 if c.total else -1 for c in members})
        for members in by_geo.values():
            if {c.sex for c in members} >= set(SEX_SIGN):
                found.append({c.rowid: SEX_SIGN[c.sex] for c in members if c.sex in SEX_SIGN})
        if aggregation in ("sum", "last"):
            found.extend(_time_equations(valid, aggregation))
    # Slices in which a group did not change repeat its equation; one copy spans the same.
    return list({tuple(sorted(eq.items())): eq for eq in found}.values())


def revealed(system: list[Vector], hidden: set[int], among: set[int] | None = None) -> list[int]:
    """Suppressed cells (of `among`, default all) the public equations determine, in order."""
    restricted = [{k: v for k, v in eq.items() if k in hidden} for eq in system]
    basis = _basis(restricted)
    unknowns = {k for eq in restricted for k in eq} if among is None else among
    return sorted(i for i in unknowns if not _reduce({i: 1}, basis))


def _components(system: list[Vector]) -> list[list[Vector]]:
    """The equations split into groups that share no cell: each can be audited alone.

    Without quarters or years stored beside months, a table splits into one small group per
    month, which keeps the linear algebra cheap.
    """
    parent: dict[int, int] = {}

    def root(k: int) -> int:
        while parent.setdefault(k, k) != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for equation in system:
        first, *rest = equation
        for k in rest:
            parent[root(k)] = root(first)
    groups: dict[int, list[Vector]] = defaultdict(list)
    for equation in system:
        groups[root(next(iter(equation)))].append(equation)
    return list(groups.values())


def _protect_component(system: list[Vector], hidden: set[int], by_id: dict[int, Cell]) -> set:
    added: set[int] = set()
    while exposed := revealed(system, hidden):
        target = exposed[0]
        sharing = {k for eq in system if target in eq for k in eq} - hidden
        if not sharing:  # determined through hidden neighbours: widen to any of their sums
            sharing = {k for eq in system if hidden & eq.keys() for k in eq} - hidden
        # Provinces before the national figure, small before large, zeros last (a hidden zero
        # adds little doubt: a client may guess it), as in the SQL pass.
        options = sorted(
            (by_id[k] for k in sharing),
            key=lambda c: (c.total, c.value == 0, c.value, c.geo, c.sex, c.rowid),
        )
        if not options:  # cannot happen: a determined unknown needs some published figure
            raise RuntimeError(f"cannot protect suppressed cell {by_id[target]}")
        # Prefer the smallest cell that actually closes the gap (fewer cells end up hidden
        # than by taking the smallest blindly); else the smallest at all.
        choice = next(
            (c for c in options if not revealed(system, hidden | {c.rowid}, among={target})),
            options[0],
        )
        hidden.add(choice.rowid)
        added.add(choice.rowid)
    return added


def protect_table(cells: list[Cell], aggregation: str) -> set[int]:
    """Rowids to suppress in addition so that no suppressed cell of the table is determined."""
    hidden = {c.rowid for c in cells if c.suppressed}
    by_id = {c.rowid: c for c in cells}
    added: set[int] = set()
    for system in _components(equations(cells, aggregation)):
        if any(hidden & eq.keys() for eq in system):
            added |= _protect_component(system, hidden, by_id)
    return added


def _stream(con: duckdb.DuckDBPyConnection, query: str, size: int = 65536) -> Iterator[tuple]:
    """The query's rows a chunk at a time: all cells of a large warehouse as Python tuples
    took gigabytes, and the audit needs one table (a contiguous run of rows) at a time."""
    cursor = con.execute(query)
    while chunk := cursor.fetchmany(size):
        yield from chunk


def audit(con: duckdb.DuckDBPyConnection) -> int:
    """Run the audit over temp table `cells`; mark the added suppressions; return how many."""
    added: set[int] = set()
    for key, table in groupby(_stream(con, sql("queries/audit_cells")), key=lambda r: r[:5]):
        added |= protect_table([Cell(*r[5:]) for r in table], aggregation=key[4])
    if added:
        con.execute("update cells set suppressed = true where list_contains(?, rowid_)",
                    [sorted(added)])  # fmt: skip
    return len(added)
