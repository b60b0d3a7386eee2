"""Property tests: over random small tables (provinces, sexes, months and their quarter, a
second source, late cells, one revision, each run published), no additive group that holds
for the true values has exactly one unknown cell over the whole published history, and the
attacker of tests/warehouse/attacker.py, who remembers every snapshot, recovers nothing."""

from collections import defaultdict
from collections.abc import Iterator
from datetime import date

import duckdb
import pyarrow as pa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.warehouse.attacker import leaks, merge_history
from warehouse.catalog import load_catalog
from warehouse.load import Batch, load_batches
from warehouse.migrations import migrate
from warehouse.observation import CANONICAL_SCHEMA
from warehouse.protection import remember_published

PROVINCES = ["AF-BAL", "AF-HER", "AF-KAB", "AF-KAN", "AF-NAN"]
SOURCES = ["partner.ngo", "partner.un"]
AGGREGATION = {i.code: i.aggregation for i in load_catalog().indicators.values()}
IDENTITY = ("geo_code", "sex", "source_id", "period_start", "frequency", "recorded_at")
small = st.integers(min_value=0, max_value=12)


def _row(geo, sex, month, value, quarter=False, source=SOURCES[0]) -> dict:
    start = date(2022, 1 if quarter else month, 1)
    end = date(2022, 3, 28) if quarter else date(2022, month, 28)
    return {"indicator_code": "business.women_led_closures", "geo_code": geo,
            "period_start": start, "period_end": end, "frequency": "Q" if quarter else "M",
            "sex": sex, "age_group": "_T", "value": float(value), "lower": None,
            "upper": None, "obs_status": "A", "source_id": source,
            "source_type": "NGO", "verification": "verified"}  # fmt: skip


def _position(row) -> tuple:
    return (row["source_id"], row["geo_code"], row["sex"], row["period_start"], row["frequency"])


@st.composite
def tables(draw):
    """Runs of rows: consistent totals, so the equations really hold. Cells left out of the
    first run arrive late, with totals that either counted them already or are revised."""
    provinces = draw(st.lists(st.sampled_from(PROVINCES), min_size=2, max_size=4, unique=True))
    by_sex = draw(st.booleans())
    months = draw(st.integers(min_value=1, max_value=3))
    national, quarter = draw(st.booleans()), draw(st.booleans())
    sexes = ["F", "M"] if by_sex else ["_T"]
    values = {(g, s, m): draw(small) for g in provinces for s in sexes
              for m in range(1, months + 1)}  # fmt: skip
    keys = sorted(values)
    revised = dict(values) | {
        k: draw(small) for k in draw(st.lists(st.sampled_from(keys), max_size=3, unique=True))
    }
    late = set(draw(st.lists(st.sampled_from(keys), max_size=2, unique=True)))
    counted_early = draw(st.booleans())  # the first totals already count the late cells
    second = draw(st.lists(st.sampled_from(keys), max_size=len(keys), unique=True))

    def rows(vals, leave_out=(), source=SOURCES[0], only=None):
        cells = defaultdict(float)
        provinces_shown = set()
        for (g, s, m), v in vals.items():
            if (g, s, m) not in leave_out:
                for sex in {s, "_T"} if by_sex else {s}:
                    provinces_shown.add((g, sex, m))
                    if quarter and months == 3:
                        provinces_shown.add((g, sex, "Q"))
            elif not counted_early:
                continue
            for geo in [g, "AFG"] if national else [g]:
                for sex in {s, "_T"} if by_sex else {s}:
                    cells[(geo, sex, m)] += v
                    if quarter and months == 3:
                        cells[(geo, sex, "Q")] += v
        return [_row(geo, sex, 1 if m == "Q" else m, v, quarter=m == "Q", source=source)
                for (geo, sex, m), v in sorted(cells.items(), key=str)
                if (geo == "AFG" or (geo, sex, m) in provinces_shown)
                and (only is None or (geo, sex, m) in only)]  # fmt: skip

    first = rows(values, leave_out=late)
    other = rows(values, source=SOURCES[1], only={(g, s, m) for g, s, m in second})
    shown = {_position(r): r["value"] for r in first}
    then = rows(revised)
    changed = [r for r in then if shown.get(_position(r)) != r["value"]]
    return first + other, changed


def published_runs(con: duckdb.DuckDBPyConnection, runs) -> Iterator[None]:
    """Load each run into `con` and publish it; yields after each."""
    for n, rows in enumerate(runs):
        if rows:
            table = pa.Table.from_pylist(rows, schema=CANONICAL_SCHEMA)
            load_batches(con, f"r{n}", [Batch("partner", None, None, len(rows), table)],
                         load_catalog())  # fmt: skip
            remember_published(con)
            yield


def protected_history(runs) -> tuple[list[dict], dict]:
    """Load and publish each run; the public rows of every publish, and the true values."""
    con = duckdb.connect()
    migrate(con)
    history = []
    for _ in published_runs(con, runs):
        cursor = con.execute("select * from public_cells")
        names = [d[0] for d in cursor.description]
        history.append([dict(zip(names, r, strict=True)) for r in cursor.fetchall()])
    truth = {
        tuple(r[:-1]): r[-1]
        for r in con.execute(f"select {', '.join(IDENTITY)}, value from observations").fetchall()
    }
    return merge_history(history), truth


def _groups_with_one_hidden(rows, truth) -> list:
    """Groups of one source and moment (and one cell across sources) whose sum holds for
    the true values and that hold exactly one cell no snapshot ever showed."""
    moments = {r["recorded_at"] for r in rows} | {r["superseded_at"] for r in rows} - {None}
    lone = []
    for t in moments:
        valid = [r for r in rows if r["recorded_at"] <= t
                 and (r["superseded_at"] is None or r["superseded_at"] > t)]  # fmt: skip
        groups = defaultdict(lambda: ([], []))
        for r in valid:
            key = (r["source_id"], r["period_start"], r["frequency"])
            groups[("geo", *key, r["sex"])][r["geo_code"] == "AFG"].append(r)
            groups[("sex", *key, r["geo_code"])][r["sex"] == "_T"].append(r)
            whole = r["frequency"] == "Q"
            groups[("time", r["source_id"], r["geo_code"], r["sex"])][whole].append(r)
            same = ("cell", r["geo_code"], r["sex"], r["period_start"], r["frequency"])
            groups[same][r["source_id"] == SOURCES[0]].append(r)
        for key, (parts, wholes) in groups.items():
            members = parts + wholes
            value = {id(m): truth[tuple(m[k] for k in IDENTITY)] for m in members}
            holds = (
                len(wholes) == 1
                and parts
                and (
                    value[id(wholes[0])] == sum(value[id(p)] for p in parts)
                    if key[0] != "cell"
                    else value[id(wholes[0])] == value[id(parts[0])]
                )
            )
            if holds and sum(m["obs_status"] == "S" for m in members) == 1:
                lone.append((t, key))
    return lone


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables())
def test_no_group_keeps_exactly_one_hidden_cell_and_nothing_is_recovered(runs):
    rows, truth = protected_history(runs)
    for r in rows:  # primary suppression holds
        if r["geo_code"].startswith("AF-") and r["obs_status"] != "S":
            assert not 1 <= r["value"] < 5, r
    assert _groups_with_one_hidden(rows, truth) == []
    assert leaks(rows, AGGREGATION, lambda r: truth[tuple(r[k] for k in IDENTITY)]) == {}
