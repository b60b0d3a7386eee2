"""Opening the build warehouse: one writer at a time, waiting politely for the lock."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import duckdb

from warehouse.migrations import migrate


@dataclass(frozen=True)
class BuildLimits:
    """What one build connection may use. DuckDB's own default memory limit is 80% of RAM,
    which let a 10M-row publish grow the pipeline process to 6.7 GB (docs/benchmarks.md);
    past the limit DuckDB spills to a temporary folder beside the warehouse instead."""

    memory_limit: str = "1GB"
    threads: int = 2


def open_build(
    path: Path, timeout: float = 120.0, limits: BuildLimits | None = None
) -> duckdb.DuckDBPyConnection:
    """Open (creating and migrating) the build warehouse for writing.

    DuckDB lets one process hold a database file for writing; a CLI ingest and a sensor run
    may meet here, so wait for the other writer instead of failing at once.
    """
    limits = limits or BuildLimits()
    path.parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + timeout
    while True:
        try:
            con = duckdb.connect(
                str(path),
                config={
                    "memory_limit": limits.memory_limit,
                    "threads": limits.threads,
                    "temp_directory": str(path.parent / "duckdb_tmp"),
                },
            )
            break
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower() or time.monotonic() > deadline:
                raise
            time.sleep(0.5)
    migrate(con)
    return con
