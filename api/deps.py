"""Request dependencies: a read-only cursor on the current snapshot for each request."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request

from api.problems import Problem
from api.snapshot_store import NoSnapshot, OpenSnapshot


def get_snapshot(request: Request) -> Iterator[OpenSnapshot]:
    try:
        with request.app.state.store.acquire() as snapshot:
            yield snapshot
    except NoSnapshot:
        raise Problem(503, "No data published", "No snapshot has been published yet.") from None


Snapshot = Annotated[OpenSnapshot, Depends(get_snapshot)]
