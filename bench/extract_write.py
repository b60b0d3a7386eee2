"""Benchmark: extract size and write time for the bundled sample and a synthetic warehouse.

Run on demand from the project root, e.g.
`PYTHONPATH=. .venv/bin/python bench/extract_write.py --rows 10000000`. It builds a
throwaway WPPI home in a temporary folder (the sample through the real pipeline; synthetic
rows straight into a build warehouse, then the real `publish`), writes each extract several
times and prints the median write time, the files' sizes and the time to read one indicator
back from observations.parquet with DuckDB.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import duckdb

from warehouse.catalog import load_catalog
from warehouse.connect import open_build
from warehouse.extracts import OBSERVATIONS, write_extract
from warehouse.load import sync_catalog
from warehouse.snapshots import Snapshot, current_snapshot, publish

SAMPLE_CSV = (
    Path(__file__).resolve().parents[1] / "pipelines" / "sample_data" / "partner_sample.csv"
)
# Synthetic rows: daily values of every public count indicator, for Afghanistan and its
# provinces, by sex, from three sources; small values occur, so suppression has work to do.
SYNTHETIC = """
insert into observations
with
indicators_ as (select code as indicator_code from indicators where tier = 'public'),
geos as (select code as geo_code from geographies where code = 'AFG' or parent = 'AFG'),
sexes as (select unnest(['_T', 'F', 'M']) as sex),
sources_ as (select unnest(['partner.ngo', 'partner.un', 'partner.media']) as source_id),
keys as (
    select row_number() over () as k, *
    from indicators_, geos, sexes, sources_
),
days as (select range as d from range(?))
select indicator_code, geo_code, date '2000-01-01' + d::int, date '2000-01-01' + d::int, 'D', sex,
    '_T', (hash(k, d) % 400)::double, null, null, 'A', source_id, 'NGO', 'verified',
    timestamp '2026-01-01', null, 'bench', 'bench'
from keys, days
"""


def sample_snapshot(home: Path) -> Snapshot:
    from tests.conftest import run_partner  # the real pipeline, as the tests run it

    folder = home / "landing" / "partner"
    folder.mkdir(parents=True)
    (folder / SAMPLE_CSV.name).write_bytes(SAMPLE_CSV.read_bytes())
    assert run_partner(home).success
    return current_snapshot(home / "snapshots")


def synthetic_snapshot(home: Path, rows: int) -> Snapshot:
    con = open_build(home / "warehouse" / "build.duckdb")
    try:
        sync_catalog(con, load_catalog())
        keys = con.execute(
            "select (select count(*) from indicators where tier = 'public')"
            " * (select count(*) from geographies where code = 'AFG' or parent = 'AFG') * 9"
        ).fetchall()[0][0]
        started = time.perf_counter()
        con.execute(SYNTHETIC, [max(rows // keys, 1)])
        print(f"generated {con.execute('select count(*) from observations').fetchall()[0][0]:,}"
              f" rows in {time.perf_counter() - started:.1f} s")  # fmt: skip
        started = time.perf_counter()
        snapshot = publish(con, home / "snapshots", retention=1).snapshot
        print(f"published the snapshot in {time.perf_counter() - started:.1f} s")
        return snapshot
    finally:
        con.close()


def measure(name: str, snapshot: Snapshot, out: Path, repeat: int) -> None:
    times = []
    for attempt in range(repeat):
        started = time.perf_counter()
        result = write_extract(snapshot, out / f"run{attempt}")
        times.append(time.perf_counter() - started)
    files = sorted(result.folder.iterdir())
    total = sum(path.stat().st_size for path in files)
    whole = (result.folder / OBSERVATIONS).stat().st_size
    identical = all(
        (out / f"run{attempt}" / snapshot.id / path.name).read_bytes() == path.read_bytes()
        for attempt in range(repeat - 1)
        for path in files
    )
    con = duckdb.connect()
    query = "select count(*) from read_parquet(?) where indicator_code = 'civic.women_led_protests'"
    reads = []
    for _ in range(5):
        started = time.perf_counter()
        con.execute(query, [str(result.folder / OBSERVATIONS)]).fetchall()
        reads.append(time.perf_counter() - started)
    print(
        f"{name}: {result.observations:,} rows, {len(files)} files, {total / 1e3:,.0f} kB in all"
        f" ({whole / 1e3:,.0f} kB observations.parquet); write median"
        f" {statistics.median(times):.2f} s over {repeat} (min {min(times):.2f}, max"
        f" {max(times):.2f}); byte-identical runs: {identical}; one indicator read back"
        f" median {statistics.median(reads) * 1000:.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000, help="synthetic rows (0: skip)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="wppi-bench-") as tmp:
        root = Path(tmp)
        measure("sample", sample_snapshot(root / "sample"), root / "sample-out", args.repeat)
        if args.rows:
            snapshot = synthetic_snapshot(root / "synthetic", args.rows)
            measure("synthetic", snapshot, root / "synthetic-out", args.repeat)


if __name__ == "__main__":
    main()
