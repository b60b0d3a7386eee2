"""Generate synthetic partner CSV files for benchmarks, deterministically from a seed.

Shape (scale 1 = 10M observations): synthetic indicators (bench/catalog.py) x 35 places
(Afghanistan and its 34 provinces) x 3 sexes (_T, F, M) x 4 age groups (_T and three bands)
x every month 2000-01 .. 2026-12 = 136,080 cells per indicator, so 10M rows need 74
indicators (the issue's 60 x 2 sexes x 3 age groups is 4.1M; totals are part of real
disaggregated data and make the sex/age complementary suppression do real work). The last
indicator is cut short to hit the row count exactly.

Output (under bench/data/, git-ignored): one partner CSV per year (`partner/obs-YYYY.csv`,
as a partner would submit), `revisions.csv` with 1% of the rows again with changed values,
and `meta.json`. One row in 10,000 carries a value that is not a number, so quarantine runs.
Every figure is invented; nothing here is real data.

    python -m bench.generate --scale 0.1     # 1M rows (CI smoke)
"""

from __future__ import annotations

import argparse
import json
import math
import shutil
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from bench.catalog import synthetic_code
from pipelines.sources.partner import HEADER
from warehouse.catalog import AGE_GROUP, SEX, load_catalog

ROWS_AT_SCALE_1 = 10_000_000
YEARS = range(2000, 2027)
SOURCES = ("partner.ngo", "partner.un")
DATA = Path(__file__).resolve().parent / "data"


def places() -> list[str]:
    catalog = load_catalog()
    return ["AFG", *sorted(c for c, p in catalog.places.items() if p.parent == "AFG")]


def cells_per_indicator() -> int:
    return len(places()) * len(SEX) * len(AGE_GROUP) * 12 * len(YEARS)


def indicators_for(rows: int) -> int:
    return math.ceil(rows / cells_per_indicator())


def _year_table(year: int, indicators: int, rows_left: int, rng: np.random.Generator) -> pa.Table:
    """All cells of one year, ordered indicator, place, sex, age group, month."""
    geo, sex, age = places(), list(SEX), list(AGE_GROUP)
    shape = (indicators, len(geo), len(sex), len(age), 12)
    ind_i, geo_i, sex_i, age_i, month_i = (a.ravel() for a in np.indices(shape))
    n = ind_i.size
    count = ind_i % 3 == 0
    # Counts: mostly tens to thousands, 2% small (1-4) so suppression has cells to hide.
    counts = np.where(rng.random(n) < 0.02, rng.integers(1, 5, n), rng.integers(5, 5000, n))
    percents = np.round(rng.random(n) * 100, 1)
    value = np.where(count, counts, percents)
    value_text = pc.cast(pa.array(value), pa.string())
    value_text = pc.if_else(pa.array(count), pc.cast(pa.array(counts), pa.string()), value_text)
    bad = pa.array(rng.random(n) < 1e-4)  # invented bad submissions, to exercise quarantine
    value_text = pc.if_else(bad, pa.scalar("n/a"), value_text)
    low = np.where(count, np.nan, np.round(np.maximum(percents - 2.5, 0), 1))
    high = np.where(count, np.nan, np.round(np.minimum(percents + 2.5, 100), 1))
    codes = np.array([synthetic_code(i) for i in range(indicators)], dtype=object)
    months = np.array([f"{year}-{m:02d}" for m in range(1, 13)], dtype=object)
    columns = {
        "indicator_code": codes[ind_i],
        "geo_code": np.array(geo, dtype=object)[geo_i],
        "period": months[month_i],
        "sex": np.array(sex, dtype=object)[sex_i],
        "age_group": np.array(age, dtype=object)[age_i],
        "value": value_text,
        "lower": pc.cast(pa.array(low, from_pandas=True), pa.string()),
        "upper": pc.cast(pa.array(high, from_pandas=True), pa.string()),
        "obs_status": np.where(rng.random(n) < 0.1, "E", "A").astype(object),
        "source_id": np.array(SOURCES, dtype=object)[ind_i % len(SOURCES)],
        "verification": np.where(rng.random(n) < 0.5, "verified", "corroborated").astype(object),
    }
    table = pa.table({name: columns[name] for name in HEADER})
    # Keep the rows of whole indicators that fit, then cut the last one short.
    return table.slice(0, max(0, min(rows_left, n)))


def _revise(table: pa.Table, rng: np.random.Generator) -> pa.Table:
    """1% of rows again with a changed value (bounds dropped so they stay consistent); a row
    planted as `n/a` is supplied this way, as a partner corrects a quarantined row."""
    picked = table.filter(pa.array(rng.random(table.num_rows) < 0.01))
    numbers = pc.cast(pc.if_else(pc.equal(picked["value"], "n/a"), "1", picked["value"]),
                      pa.float64())  # fmt: skip
    # A whole number one away from the old value: valid for counts and percents alike.
    whole = pc.floor(numbers)
    new = pc.if_else(pc.less(whole, 100), pc.add(whole, 1), pc.subtract(whole, 1))
    text = pc.cast(pc.cast(new, pa.int64()), pa.string())
    empty = pa.array([""] * picked.num_rows, pa.string())
    return (
        picked.set_column(5, "value", text)
        .set_column(6, "lower", empty)
        .set_column(7, "upper", empty)
    )


def _write(table: pa.Table, path: Path) -> None:
    """Unquoted, as spreadsheets save it (pyarrow would quote the header line)."""
    with path.open("wb") as sink:
        sink.write((",".join(table.column_names) + "\n").encode())
        options = pacsv.WriteOptions(include_header=False, quoting_style="none")
        pacsv.write_csv(table, sink, options)


def generate(scale: float, seed: int, out: Path) -> dict:
    rows = round(ROWS_AT_SCALE_1 * scale)
    indicators = indicators_for(rows)
    rng = np.random.default_rng(seed)
    if out.exists():
        shutil.rmtree(out)
    (out / "partner").mkdir(parents=True)
    per_year = indicators * cells_per_indicator() // len(YEARS)
    written, revisions = 0, []
    for position, year in enumerate(YEARS):
        # Rows are cut from the last indicator across every year, so each year stays complete
        # for the other indicators: take an equal share of the remaining rows per year.
        share = math.ceil((rows - written) / (len(YEARS) - position))
        table = _year_table(year, indicators, min(share, per_year), rng)
        _write(table, out / "partner" / f"obs-{year}.csv")
        written += table.num_rows
        revisions.append(_revise(table, rng))
    revised = pa.concat_tables(revisions)
    _write(revised, out / "revisions.csv")
    meta = {"scale": scale, "seed": seed, "rows": written, "indicators": indicators,
            "revisions": revised.num_rows, "files": len(YEARS)}  # fmt: skip
    (out / "meta.json").write_text(json.dumps(meta, indent=2))
    return meta


def data_dir(scale: float) -> Path:
    return DATA / f"scale-{scale:g}"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1 = 10M rows, 0.1 = 1M")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    meta = generate(args.scale, args.seed, data_dir(args.scale))
    print(json.dumps(meta))


if __name__ == "__main__":
    main()
