"""The benchmark harness: every measurement next to its baseline from the same run.

Each repetition builds a fresh WPPI home from the generated data (bench/ingest.py in its own
process), then measures against its baseline: DuckDB read_csv of the same files, a plain
copy of the same warehouse file, DuckDB COPY TO parquet of the same rows, and a bare FastAPI
endpoint serving the same payload. Prints the medians as a table and saves every run as JSON
under bench/results/ (git-ignored).

    python -m bench.run --scale 1      # 10M observations (make bench)
    python -m bench.run --scale 0.1 --api-seconds 1   # 1M, the CI smoke (make bench-smoke)
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

import duckdb
from rich.console import Console
from rich.table import Table

from bench import api
from bench.generate import data_dir, generate
from warehouse.extracts import OBSERVATIONS, ExtractResult, write_extract
from warehouse.observation import SORT_KEY
from warehouse.series_blocks import SUFFIX as SERIES_BLOCKS
from warehouse.snapshots import Snapshot
from warehouse.sql import sql

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
GX_MODE = "distinct combinations (pandas)"  # see docs/benchmarks.md, "Validation"
# Disk use reported, by key in a run's "sizes".
SIZES = {
    "csv_bytes": "csv",
    "csv_ingested_bytes": "csv_ingested",
    "warehouse_bytes": "warehouse",
    "snapshot_bytes": "snapshot",
    "series_blocks_bytes": "snapshot series blocks (.series.arrow)",
}


def _timed(action) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def _read_csv_baseline(files: list[Path], target: Path) -> float:
    """DuckDB reading the same CSV files into a table, types sniffed, all threads."""
    target.unlink(missing_ok=True)
    con = duckdb.connect(str(target))
    try:
        listed = [str(f) for f in files]
        return _timed(
            lambda: con.execute("create table raw as select * from read_csv(?)", [listed])
        )
    finally:
        con.close()
        target.unlink(missing_ok=True)


def _copy_baseline(source: Path, target: Path) -> float:
    def copy() -> None:
        shutil.copyfile(source, target)
        with target.open("rb") as handle:  # publish fsyncs its snapshot too
            os.fsync(handle.fileno())

    seconds = _timed(copy)
    target.unlink()
    return seconds


def _extract(snapshot_path: Path, work: Path) -> dict:
    """The real extract writer (warehouse/extracts.py) vs DuckDB COPY of the same rows.

    The baseline copies every public row in the writer's series-key order into one Parquet
    file; the writer also writes one file per indicator and the catalog tables.
    """
    snapshot = Snapshot(id=snapshot_path.stem, path=snapshot_path)
    # The writer's query without its where clause (one indicator, its storage rows), sorted
    # as the writer sorts: every row in the extract's order.
    query = sql("queries/extract_observations").split("\nwhere ")[0]
    query += f" order by {', '.join(SORT_KEY)}"
    copy_to = work / "copy.parquet"
    con = duckdb.connect(str(snapshot_path), read_only=True)
    try:
        copy_s = _timed(lambda: con.execute(f"copy ({query}) to '{copy_to}' (format parquet)"))
    finally:
        con.close()
    root = work / "extracts"
    shutil.rmtree(root, ignore_errors=True)
    written: list[ExtractResult] = []
    writer_s = _timed(lambda: written.append(write_extract(snapshot, root)))
    folder = written[0].folder
    sizes = {
        "copy_bytes": copy_to.stat().st_size,
        "writer_bytes": sum(p.stat().st_size for p in folder.iterdir()),
        "writer_observations_bytes": (folder / OBSERVATIONS).stat().st_size,
        "rows": written[0].observations,
    }
    copy_to.unlink()
    shutil.rmtree(root)
    return {"writer_seconds": writer_s, "copy_seconds": copy_s, **sizes}


def one_run(data: Path, work: Path, api_seconds: float, seed: int, ingest_files: int) -> dict:
    home = work / "home"
    shutil.rmtree(home, ignore_errors=True)
    files = sorted((data / "partner").glob("*.csv"))
    measured = files[-ingest_files:] if ingest_files else files
    # Other work on the machine shifts absolute times (ratios much less): say how busy it was.
    result: dict = {"load_average_start": os.getloadavg()[0]}
    result["read_csv_seconds"] = _read_csv_baseline(measured, work / "raw.duckdb")
    limit = [str(ingest_files)] if ingest_files else []
    out = subprocess.run(
        [sys.executable, "-m", "bench.ingest", str(data), str(home), *limit],
        capture_output=True, text=True, check=True, cwd=HERE.parent,
    ).stdout  # fmt: skip
    result["pipeline"] = json.loads(out.splitlines()[-1])
    warehouse = home / "warehouse" / "build.duckdb"
    snapshot = Path(result["pipeline"]["snapshot"])
    result["copy_seconds"] = _copy_baseline(warehouse, work / "copy.duckdb")
    result["extract"] = _extract(snapshot, work)
    blocks = Snapshot(snapshot.stem, snapshot).sidecar(SERIES_BLOCKS)
    result["sizes"] = {
        "csv_bytes": sum(f.stat().st_size for f in files),
        "csv_ingested_bytes": sum(f.stat().st_size for f in measured),
        "warehouse_bytes": warehouse.stat().st_size,
        "snapshot_bytes": snapshot.stat().st_size,
        # The snapshot's other file: series served without SQL (warehouse/series_blocks.py).
        "series_blocks_bytes": blocks.stat().st_size,
    }
    if api_seconds > 0:
        result["api"] = api.measure(home, snapshot, work, api_seconds, seed)
    result["load_average_end"] = os.getloadavg()[0]
    return result


def summarise(runs: list[dict]) -> list[dict]:
    """Median of each measurement over runs, with its baseline, ratio and target."""

    def med(get) -> float:
        return statistics.median(get(r) for r in runs)

    rows_in = runs[0]["pipeline"]["rows_in"]
    ingest = med(lambda r: sum(r["pipeline"]["ingest_seconds"].values()))
    read_csv = med(lambda r: r["read_csv_seconds"])
    lines = [
        _line("ingest+validate+load rows/s", rows_in / ingest, "read_csv rows/s",
              rows_in / read_csv, ">= 0.3", lambda x: x >= 0.3),
    ]  # fmt: skip
    for step in ("read", "conform", "validate", "load"):
        share = med(lambda r, s=step: r["pipeline"]["ingest_seconds"][s]
                    / sum(r["pipeline"]["ingest_seconds"].values()))  # fmt: skip
        lines.append(_line(f"  share of ingest: {step}", share, "", None, "", None, unit="%"))
    lines.append(_line("revisions file (1%) seconds",
                       med(lambda r: sum(r["pipeline"]["revisions"]["seconds"].values())),
                       "", None, "", None))  # fmt: skip
    if runs[0]["pipeline"].get("protect_filled_seconds") is not None:
        lines.append(_line("protection of the bulk-filled rows (all tables) seconds",
                           med(lambda r: r["pipeline"]["protect_filled_seconds"]),
                           "", None, "", None))  # fmt: skip
    lines.append(_line("publish seconds", med(lambda r: r["pipeline"]["publish_seconds"]),
                       "file copy seconds", med(lambda r: r["copy_seconds"]), "<= 2",
                       lambda x: x <= 2))  # fmt: skip
    lines.append(_line("extract write seconds (warehouse/extracts.py)",
                       med(lambda r: r["extract"]["writer_seconds"]), "COPY TO parquet seconds",
                       med(lambda r: r["extract"]["copy_seconds"]), "<= 1.5",
                       lambda x: x <= 1.5))  # fmt: skip
    if "api" in runs[0]:
        for key in runs[0]["api"]["wppi"]:
            wppi = med(lambda r, k=key: r["api"]["wppi"][k]["req_per_s"])
            bare = med(lambda r, k=key: r["api"]["bare"][k]["req_per_s"])
            hot = key.startswith("hot")
            target, check = (">= 0.6", lambda x: x >= 0.6) if hot else ("", None)
            lines.append(_line(f"API {key} req/s", wppi, "bare req/s", bare, target, check))
            for pct, limit in (("p50_ms", 3), ("p99_ms", 15)):
                value = med(lambda r, k=key, p=pct: r["api"]["wppi"][k][p])
                base = med(lambda r, k=key, p=pct: r["api"]["bare"][k][p])
                target = key == "cold_c1"
                lines.append(_line(f"API {key} {pct}", value, f"bare {pct}", base,
                                   f"<= {limit} ms" if target else "",
                                   (lambda x, lim=limit: x <= lim) if target else None,
                                   absolute=True))  # fmt: skip
        if "wppi_cold_c1_server" in runs[0]["api"]:
            for pct, limit in (("p50_ms", 3), ("p99_ms", 15)):
                value = med(lambda r, p=pct: r["api"]["wppi_cold_c1_server"][p])
                lines.append(_line(f"API cold_c1 server-side {pct} (Server-Timing)", value, "",
                                   None, f"<= {limit} ms", lambda x, lim=limit: x <= lim,
                                   absolute=True))  # fmt: skip
        lines.append(_mem("API peak RSS MB", med(lambda r: r["api"]["wppi_peak_rss_bytes"]), 500))
    lines.append(_mem("pipeline peak RSS MB", med(lambda r: r["pipeline"]["peak_rss_bytes"]), 2048))
    for key, name in SIZES.items():
        if key in runs[0]["sizes"]:  # results saved before a size was recorded lack it
            mb = med(lambda r, k=key: r["sizes"][k]) / 2**20
            lines.append(_line(f"{name} size MB", mb, "", None, "", None))
    return lines


def _line(name, value, base_name, base, target, check, unit="", absolute=False) -> dict:
    """One table row; `absolute` targets check the value itself, the others the ratio."""
    ratio = value / base if base else None
    met = None
    if check is not None:
        met = check(value if absolute else ratio)
    if unit == "%":
        value *= 100
    return {"measurement": name, "value": value, "baseline": base_name, "baseline_value": base,
            "ratio": ratio, "target": target, "met": met}  # fmt: skip


def _mem(name: str, value: float, limit_mb: int) -> dict:
    return _line(name, value / 2**20, "", None, f"<= {limit_mb} MB",
                 lambda x: x <= limit_mb, absolute=True)  # fmt: skip


def environment() -> dict:
    packages = ("duckdb", "pyarrow", "pandas", "great_expectations", "fastapi", "uvicorn",
                "dagster")  # fmt: skip
    wrk = subprocess.run(["wrk", "--version"], capture_output=True, text=True)
    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
        f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') // 2**30} GiB RAM",
        "python": platform.python_version(),
        "wrk": (wrk.stdout or wrk.stderr).split("[")[0].strip(),
        **{name: metadata.version(name) for name in packages},
        "gx_mode": GX_MODE,
    }


def show(lines: list[dict], console: Console) -> None:
    table = Table(title_justify="left")
    for column in ("measurement", "WPPI", "baseline", "ratio", "target", "met"):
        table.add_column(
            column, justify="left" if column in ("measurement", "baseline") else "right"
        )
    for line in lines:
        base = f"{line['baseline']} {line['baseline_value']:.4g}" if line["baseline"] else ""
        ratio = f"{line['ratio']:.2f}x" if line["ratio"] is not None else ""
        met = {True: "yes", False: "NO", None: ""}[line["met"]]
        table.add_row(line["measurement"], f"{line['value']:.4g}", base, ratio, line["target"], met)
    console.print(table)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1 = 10M observations")
    parser.add_argument("--runs", type=int, default=3, help="repetitions; medians reported")
    parser.add_argument("--api-seconds", type=float, default=5, help="per wrk run; 0 skips")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--ingest-files", type=int, default=0, help="time the pipeline on the last N files only"
    )
    args = parser.parse_args(argv)
    console = Console()
    data = data_dir(args.scale)
    meta_file = data / "meta.json"
    if not meta_file.exists() or json.loads(meta_file.read_text())["seed"] != args.seed:
        console.print(f"generating {data} ...")
        generate(args.scale, args.seed, data)
    meta = json.loads(meta_file.read_text())
    work = data / "work"
    work.mkdir(exist_ok=True)
    RESULTS.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = RESULTS / f"bench-scale{args.scale:g}-{stamp}.json"
    runs = []
    for number in range(args.runs):
        console.print(f"run {number + 1}/{args.runs} ...")
        runs.append(one_run(data, work, args.api_seconds, args.seed + number, args.ingest_files))
        # Saved after every run, so a long benchmark stopped early still leaves its figures.
        lines = summarise(runs)
        report = {"environment": environment(), "data": meta, "summary": lines, "runs": runs}
        path.write_text(json.dumps(report, indent=2))
    console.print(f"{meta['rows']:,} observations, {args.runs} runs (medians); {path}")
    show(lines, console)


if __name__ == "__main__":
    main()
