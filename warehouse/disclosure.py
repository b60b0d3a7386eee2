"""Exact audit that no suppressed cell can be recovered by linear differencing.

The attacker is anonymous and remembers everything ever published (docs/protection.md,
"Threat model"): every snapshot and its as_of views, every /v1/changes entry, every extract,
all sources side by side. The quick SQL pass (queries/complement.sql) makes sure no additive
group of one source holds exactly one suppressed cell in any as_of slice; this audit writes
down every equation such a client can form for a table (one indicator and year: every source,
age group, sex, place and period of it) at every moment a row was recorded or superseded:

- a national figure minus its provinces (same source, period, sex and age group),
- a total minus its female and male figures, all ages minus the age bands (same place),
- a quarter or year minus its months (or quarters) for summed counts; for counts that keep
  the last value, a quarter or year equals its last month (or quarter),
- the same cell in two sources is one value.

A figure missing at a moment can be read several ways, and each reading is written down:
as absent (the total did not count it), as its nearest row of the same source (the total
already counted a cell supplied later), or as another source's figure for the same cell.
Only the equations that hold for the true values are kept: those are what a client who
guesses the right reading learns, they are consistent with each other, and a false one
would only ever mislead. The difference between two versions of a total is the difference
of two such equations, so a late cell is pinned by it exactly when the client could pin it.

Every suppressed cell is an unknown, unless a snapshot already published its value
(`known`: table disclosed_cells; a value once published is known for ever). Linear algebra
then says whether any unknown is determined. Where one is, one more cell that shares an
equation with it is suppressed, never a known one, so earlier snapshots and extracts stay
safe as they are. When no cell is left to suppress (the unknown follows from figures
already published, e.g. a province supplied late under a national total published without
it), the unknown's row is withheld from public output altogether: shown even as S it would
say whose the published difference is.

Arithmetic is modulo a large prime: coefficients are small integers and tables are small, so
the rank over the rationals is the rank modulo the prime (a wrong answer would need the prime
to divide a small determinant).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from itertools import groupby
from operator import itemgetter

import duckdb

from warehouse.sql import sql

PRIME = (1 << 61) - 1
SEX_SIGN = {"_T": 1, "F": -1, "M": -1}  # total = female + male
FINER = {"A": ("Q", "M", "D"), "Q": ("M", "D"), "M": ("D",), "D": ()}
Vector = dict[int, int]  # unknown (cell rowid) -> coefficient modulo PRIME


@dataclass
class Cell:
    rowid: int
    source: str
    age: str
    geo: str
    sex: str
    period_start: date
    period_end: date
    frequency: str
    total: bool  # the national figure the provinces add up to
    value: float
    suppressed: bool
    known: bool  # a snapshot already published its value
    recorded_at: datetime
    superseded_at: datetime | None

    @property
    def key(self) -> tuple:
        return (self.age, self.geo, self.sex, self.period_start, self.frequency)

    def valid_at(self, moment: datetime) -> bool:
        return self.recorded_at <= moment and (
            self.superseded_at is None or self.superseded_at > moment
        )


class Unprotectable(Exception):
    """A hidden cell follows from figures that are all published already."""

    def __init__(self, rowid: int):
        super().__init__(rowid)
        self.rowid = rowid


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


Slice = dict[tuple, dict[str, Cell]]  # cell key -> source -> the row that source shows


def _versions(cells: list[Cell]) -> dict[tuple, list[Cell]]:
    """(source, cell key) -> every stored row of that cell from that source."""
    versions: dict[tuple, list[Cell]] = defaultdict(list)
    for cell in cells:
        versions[(cell.source, cell.key)].append(cell)
    return versions


def _readings(
    versions: dict[tuple, list[Cell]], sources: list[str], moment: datetime
) -> Iterator[tuple[Slice, bool]]:
    """The table at `moment` under each reading of missing figures: (slice, borrowed)."""
    shown: Slice = defaultdict(dict)
    nearest: Slice = defaultdict(dict)
    for (source, key), found in versions.items():
        if len(found) == 1 and found[0].valid_at(moment):  # the usual case: one row
            shown[key][source] = nearest[key][source] = found[0]
            continue
        now = [c for c in found if c.valid_at(moment)]
        earlier = [
            (c.superseded_at, c) for c in found if c.superseded_at and c.superseded_at <= moment
        ]
        near = (
            max(earlier, key=itemgetter(0))[1]
            if earlier
            else min(found, key=lambda c: c.recorded_at)
        )
        if now:
            shown[key][source] = now[0]
        nearest[key][source] = now[0] if now else near
    # A reading the same as another adds no equation: skip it (the audit's cost).
    missing = any(len(nearest[key]) != len(shown.get(key, ())) for key in nearest)
    for own in (shown, nearest) if missing else (shown,):
        if len(sources) == 1:
            yield own, False
        elif all(len(by) == len(sources) for by in own.values()):
            yield own, True  # nothing to borrow: only "one cell, one value" is new
        else:
            yield own, False
            for lender in sources:  # a source missing a cell takes the lender's figure
                yield (
                    {
                        key: {s: by.get(s) or by[lender] for s in sources} if lender in by else by
                        for key, by in own.items()
                    },
                    True,
                )


def _sums(table: Slice, aggregation: str, borrowed: bool) -> Iterator[Vector]:
    """Every whole-minus-parts sum of one reading; only a source's own row is a whole."""
    groups: dict[tuple, tuple[list[Cell], list[Cell]]] = defaultdict(lambda: ([], []))
    by_series: dict[tuple, list[Cell]] = defaultdict(list)
    for (age, geo, sex, start, frequency), by_source in table.items():
        for source, c in by_source.items():
            own = c.source == source
            for kind, group, whole in (
                ("geo", (age, sex), c.total),
                ("sex", (age, geo), sex == "_T"),
                ("age", (sex, geo), age == "_T"),
            ):
                if whole and not own:
                    continue
                groups[(kind, source, start, frequency, *group)][0 if whole else 1].append(c)
            by_series[(source, age, geo, sex)].append(c)
    for (kind, *_), (wholes, parts) in groups.items():
        if kind == "geo":
            parts = [c for c in parts if not c.total]
        for whole in wholes:
            if parts:
                yield _minus(whole, parts)
    if aggregation in ("sum", "last"):
        for (source, *_), series in by_series.items():
            yield from _time_sums(source, series, aggregation)
    if borrowed:  # one cell, one value, whichever source shows it
        for by_source in table.values():
            rows = sorted({c.rowid: c for c in by_source.values()}.values(), key=lambda c: c.rowid)
            for a, b in zip(rows, rows[1:], strict=False):
                yield {a.rowid: 1, b.rowid: -1}


def _minus(whole: Cell, parts: list[Cell]) -> Vector:
    equation: Vector = defaultdict(int)
    equation[whole.rowid] += 1
    for part in parts:
        equation[part.rowid] -= 1
    return dict(equation)


def _time_sums(source: str, series: list[Cell], aggregation: str) -> Iterator[Vector]:
    if len({cell.frequency for cell in series}) < 2:
        return  # a period can only be split into periods of another frequency
    for coarse in series:
        if coarse.source != source:
            continue
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
                yield _minus(coarse, parts)


def _holds(equation: Vector, by_id: dict[int, Cell]) -> bool:
    terms = [v * by_id[k].value for k, v in equation.items()]
    return abs(sum(terms)) <= 1e-9 * max(1.0, sum(abs(t) for t in terms))


def equations(cells: list[Cell], aggregation: str) -> list[Vector]:
    """Every true sum a client can form from the public history of the table."""
    by_id = {c.rowid: c for c in cells}
    versions, sources = _versions(cells), sorted({c.source for c in cells})
    found: dict[tuple, Vector] = {}
    for moment in _moments(cells):
        for table, borrowed in _readings(versions, sources, moment):
            for equation in _sums(table, aggregation, borrowed):
                equation = {k: v for k, v in equation.items() if v}
                if len(equation) > 1 and _holds(equation, by_id):
                    # Moments and readings repeat equations; one copy spans the same.
                    found.setdefault(tuple(sorted(equation.items())), equation)
    return list(found.values())


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
        free = {k for k, c in by_id.items() if not c.known} - hidden
        sharing = {k for eq in system if target in eq for k in eq} & free
        if not sharing:  # determined through hidden neighbours: widen to any of their sums
            sharing = {k for eq in system if hidden & eq.keys() for k in eq} & free
        if not sharing:
            raise Unprotectable(target)
        # Provinces before the national figure, small before large, zeros last (a hidden zero
        # adds little doubt: a client may guess it), as in the SQL pass.
        options = sorted(
            (by_id[k] for k in sharing),
            key=lambda c: (c.total, c.value == 0, c.value, c.geo, c.sex, c.rowid),
        )
        # Prefer the smallest cell that actually closes the gap (fewer cells end up hidden
        # than by taking the smallest blindly); else the smallest at all.
        choice = next(
            (c for c in options if not revealed(system, hidden | {c.rowid}, among={target})),
            options[0],
        )
        hidden.add(choice.rowid)
        added.add(choice.rowid)
    return added


def protect_table(cells: list[Cell], aggregation: str) -> tuple[set[int], set[int]]:
    """Rowids to suppress in addition, and rowids to withhold from public output, so that no
    suppressed cell of the table is determined by anything ever published."""
    added: set[int] = set()
    withheld: set[int] = set()
    while True:
        shown = [c for c in cells if c.rowid not in withheld]
        by_id = {c.rowid: c for c in shown}
        hidden = {c.rowid for c in shown if c.suppressed and not c.known} | (added & by_id.keys())
        try:
            for system in _components(equations(shown, aggregation)):
                if any(hidden & eq.keys() for eq in system):
                    added |= _protect_component(system, hidden, by_id)
        except Unprotectable as stuck:
            withheld.add(stuck.rowid)
            continue
        return added - withheld, withheld


def _stream(con: duckdb.DuckDBPyConnection, query: str, size: int = 65536) -> Iterator[tuple]:
    """The query's rows a chunk at a time: all cells of a large warehouse as Python tuples
    took gigabytes, and the audit needs one table (a contiguous run of rows) at a time."""
    cursor = con.execute(query)
    while chunk := cursor.fetchmany(size):
        yield from chunk


def audit(con: duckdb.DuckDBPyConnection) -> int:
    """Run the audit over the tables of temp table `cells` with a cell due (`audit_due`);
    mark the added suppressions and withheld rows; return how many cells changed.

    The result of `protect_table` is its own fixed point (audited again, a table it
    protected adds nothing), so a table is due again only when another pass (the SQL
    complement) changes one of its cells.
    """
    added: set[int] = set()
    withheld: set[int] = set()
    for key, table in groupby(_stream(con, sql("queries/audit_cells")), key=lambda r: r[:3]):
        more, out = protect_table([Cell(*r[3:]) for r in table], aggregation=key[2])
        added |= more
        withheld |= out
    con.execute("update cells set audit_due = false where audit_due")
    if added:
        con.execute(
            "update cells set suppressed = true, complement_due = true"
            " where list_contains(?, rowid_)",
            [sorted(added)],
        )
    if withheld:
        con.execute(
            "update cells set withheld = true, complement_due = true"
            " where list_contains(?, rowid_)",
            [sorted(withheld)],
        )
    return len(added) + len(withheld)
