"""What one request may spend: a slot among a few concurrent builds, and a time budget.

At most WPPI_CONCURRENT_QUERIES requests build (query and encode) at once; the others wait
without a thread. So memory grows with the slots, not with the clients, and the event loop
(/healthz, cached answers) is not starved of the GIL by a crowd of building threads. A query
still running when its budget is spent is interrupted; snapshot connections also have a
DuckDB memory limit. A request that waited too long for a slot, was interrupted or ran out of
memory gets a 503 problem+json with Retry-After saying how to ask for less (issue 20).
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager

import duckdb

from api.problems import Problem

RETRY_AFTER_SECONDS = 5
ADVICE = "ask for less (fewer places or indicators, a shorter period, a smaller limit) or retry"


class QueryGate:
    """At most `slots` requests build at once; one that waits over `wait` s is refused."""

    def __init__(self, slots: int, wait: float) -> None:
        self._slots = asyncio.Semaphore(slots)
        self.wait = wait

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        try:
            await asyncio.wait_for(self._slots.acquire(), self.wait)
        except TimeoutError:
            detail = f"The server is busy with expensive requests; {ADVICE} in a moment."
            raise _too_expensive(detail) from None
        try:
            yield
        finally:
            self._slots.release()


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
    return Problem(
        503, "Request too expensive", detail, headers={"Retry-After": str(RETRY_AFTER_SECONDS)}
    )
