"""Opening the build warehouse: one writer at a time, waiting politely for the lock."""

from __future__ import annotations

import time
from pathlib import Path

import duckdb

from warehouse.migrations import migrate


def open_build(path: Path, timeout: float = 120.0) -> duckdb.DuckDBPyConnection:
    """Open (creating and migrating) the build warehouse for writing.

    DuckDB lets one process hold a database file for writing; a CLI ingest and a sensor run
    may meet here, so wait for the other writer instead of failing at once.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + timeout
    while True:
        try:
            con = duckdb.connect(str(path))
            break
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower() or time.monotonic() > deadline:
                raise
            time.sleep(0.5)
    migrate(con)
    return con
