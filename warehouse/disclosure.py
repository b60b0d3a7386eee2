"""Exact audit that no suppressed cell can be recovered by linear differencing.

The quick SQL passes (complement_*.sql) make sure no additive group holds exactly one
suppressed cell in any as_of slice. That is exact for one equation, but a client may combine
equations: the national total of several as_of slices, or province totals with sex totals.
This audit writes down every equation a client can form for a table (one indicator, period,
age group and source) — per as_of slice, the provinces of each sex add up to the national
figure, and each province's female and male add up to its total — treats every suppressed
cell as an unknown, and asks linear algebra whether any unknown is determined. Where one is,
it suppresses one more published cell and asks again.

Arithmetic is modulo a large prime: coefficients are 0 and ±1 and tables are small, so the
rank over the rationals is the rank modulo the prime (a wrong answer would need the prime to
divide a small determinant).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from itertools import groupby

import duckdb

from warehouse.sql import sql

PRIME = (1 << 61) - 1
SEX_SIGN = {"_T": 1, "F": -1, "M": -1}  # total = female + male


@dataclass
class Cell:
    rowid: int
    geo: str
    sex: str
    total: bool  # the national figure the provinces add up to
    value: float
    suppressed: bool
    recorded_at: datetime
    superseded_at: datetime | None

    def valid_at(self, moment: datetime) -> bool:
        return self.recorded_at <= moment and (
            self.superseded_at is None or self.superseded_at > moment
        )


Vector = dict[int, int]  # unknown (cell rowid) -> coefficient modulo PRIME


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


def equations(cells: list[Cell], hidden: set[int]) -> list[Vector]:
    """The unknown side of every sum a client can form from the public table.

    Per as_of slice: a national figure minus its provinces (where the national figure of that
    sex exists), and a total minus its female and male parts (where all three exist).
    Published cells move to the known side, so only hidden cells get coefficients.
    """
    found = []
    for moment in _moments(cells):
        by_sex: dict[str, list[Cell]] = defaultdict(list)
        by_geo: dict[str, list[Cell]] = defaultdict(list)
        for cell in cells:
            if cell.valid_at(moment):
                by_sex[cell.sex].append(cell)
                by_geo[cell.geo].append(cell)
        for members in by_sex.values():
            if any(c.total for c in members):
                found.append({c.rowid: 1 if c.total else -1 for c in members})
        for members in by_geo.values():
            if {c.sex for c in members} >= set(SEX_SIGN):
                found.append({c.rowid: SEX_SIGN[c.sex] for c in members if c.sex in SEX_SIGN})
    return [{k: v for k, v in eq.items() if k in hidden} for eq in found]


def revealed(cells: list[Cell], hidden: set[int]) -> list[int]:
    """Suppressed cells whose value the public equations determine, in rowid order."""
    basis = _basis(equations(cells, hidden))
    return sorted(i for i in hidden if not _reduce({i: 1}, basis))


def _candidates(cells: list[Cell], exposed: Cell, hidden: set[int]) -> list[Cell]:
    """Published cells that share a sum with `exposed` in a slice where it is valid."""
    moments = [m for m in _moments(cells) if exposed.valid_at(m)]
    found = [
        c
        for c in cells
        if c.rowid not in hidden
        and (c.sex == exposed.sex or c.geo == exposed.geo)
        and any(c.valid_at(m) for m in moments)
    ]
    # Provinces before the national figure, small before large, zeros last (a hidden zero
    # adds little doubt: a client may guess it), as in the SQL passes.
    return sorted(found, key=lambda c: (c.total, c.value == 0, c.value, c.geo, c.sex, c.rowid))


def protect_table(cells: list[Cell]) -> set[int]:
    """Rowids to suppress in addition so that no suppressed cell of the table is determined."""
    hidden = {c.rowid for c in cells if c.suppressed}
    by_id = {c.rowid: c for c in cells}
    added: set[int] = set()
    while exposed := revealed(cells, hidden):
        target = by_id[exposed[0]]
        options = _candidates(cells, target, hidden)
        if not options:
            raise RuntimeError(f"cannot protect suppressed cell {target.geo}/{target.sex}")
        # Prefer the smallest cell that actually closes the gap; else the smallest at all.
        choice = next(
            (c for c in options if target.rowid not in revealed(cells, hidden | {c.rowid})),
            options[0],
        )
        hidden.add(choice.rowid)
        added.add(choice.rowid)
    return added


def audit(con: duckdb.DuckDBPyConnection) -> int:
    """Run the audit over temp table `cells`; mark the added suppressions; return how many."""
    rows = con.execute(sql("queries/audit_cells")).fetchall()
    added: set[int] = set()
    for _, table in groupby(rows, key=lambda r: r[:5]):
        added |= protect_table([Cell(*r[5:]) for r in table])
    if added:
        con.execute("update cells set suppressed = true where list_contains(?, rowid_)",
                    [sorted(added)])  # fmt: skip
    return len(added)
