"""A time budget per request: a query still running when it is spent is interrupted.

Snapshot connections also have a DuckDB memory limit (WPPI_SNAPSHOT_MEMORY_LIMIT); a query
that is interrupted or runs out of memory gets a 503 problem+json with Retry-After that says
how to ask for less, instead of holding a worker thread and growing the server (issue 20).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

import duckdb

from api.problems import Problem

RETRY_AFTER_SECONDS = 5
ADVICE = "ask for less (fewer places or indicators, a shorter period, a smaller limit) or retry"


@contextmanager
def query_budget(cursor: duckdb.DuckDBPyConnection, seconds: float) -> Iterator[None]:
    """Interrupt `cursor`'s query after `seconds`; turn the interruption into a 503."""
    timer = threading.Timer(seconds, cursor.interrupt)
    timer.daemon = True
    timer.start()
    try:
        yield
    except duckdb.InterruptException:
        raise _too_expensive(f"The query took longer than {seconds:g} s; {ADVICE}.") from None
    except duckdb.OutOfMemoryException:
        raise _too_expensive(
            f"The query needed more memory than a request may use; {ADVICE}."
        ) from None
    finally:
        timer.cancel()


def _too_expensive(detail: str) -> Problem:
    return Problem(503, "Request too expensive", detail,
                   headers={"Retry-After": str(RETRY_AFTER_SECONDS)})  # fmt: skip
