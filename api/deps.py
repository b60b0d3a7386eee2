"""What a route needs from the running app, as typed dependencies (`StoreDep`, `AccessDep`,
...; the FastAPI full-stack template's deps.py): routes and the serving layer never read
`app.state` themselves, so what a route depends on is in its signature.

`Services` is built once per app (api/main.py's lifespan); only the replay middleware
(api/answers.py), which runs before dependencies exist, reads it from `app.state`. The 503
for "nothing published yet" is raised here only (`published`, which `current` and
`open_snapshot` use).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Annotated

from fastapi import Depends, Request

from api.answers import AnswerCache
from api.cache import TableCache
from api.problems import Problem
from api.query_budget import QueryGate
from api.snapshot_store import NoSnapshot, OpenSnapshot, SnapshotStore


@dataclass(frozen=True)
class Services:
    """Everything a request reads besides its own parameters, shared by all requests."""

    store: SnapshotStore
    tables: TableCache  # built tables, by snapshot and normalised query
    answers: AnswerCache  # whole answers replayed before routing (api/answers.py)
    gate: QueryGate
    query_seconds: float
    access: Path  # the API-key and audit database
    extracts: Path  # the folder of researchers' extracts


async def get_services(request: Request) -> Services:
    return request.app.state.services


ServicesDep = Annotated[Services, Depends(get_services)]


async def get_store(services: ServicesDep) -> SnapshotStore:
    return services.store


async def get_answers(services: ServicesDep) -> AnswerCache:
    return services.answers


async def get_access(services: ServicesDep) -> Path:
    return services.access


async def get_extracts(services: ServicesDep) -> Path:
    return services.extracts


StoreDep = Annotated[SnapshotStore, Depends(get_store)]
AnswersDep = Annotated[AnswerCache, Depends(get_answers)]
AccessDep = Annotated[Path, Depends(get_access)]
ExtractsDep = Annotated[Path, Depends(get_extracts)]


@contextmanager
def published(retry_after: bool = False) -> Iterator[None]:
    """Turn "no snapshot to serve" into its 503 problem, saying why when one was refused as
    damaged. `retry_after`: tell the client when to ask again (/healthz does)."""
    try:
        yield
    except NoSnapshot as exc:
        reason = exc.args[0] if exc.args else None
        detail = (
            f"No good snapshot to serve: {reason}"
            if reason
            else ("No snapshot has been published yet.")
        )
        headers = {"Retry-After": "30"} if retry_after else None
        raise Problem(503, "No data published", detail, headers=headers) from None


def current(store: SnapshotStore) -> tuple[str, datetime]:
    """The id and publication time of the snapshot being served; 503 when there is none."""
    with published():
        return store.current()


@contextmanager
def open_snapshot(store: SnapshotStore, sql: bool = True) -> Iterator[OpenSnapshot]:
    """The current snapshot with a read-only cursor (none when `sql` is False); 503 when
    there is none."""
    with published(), store.acquire(sql) as snapshot:
        yield snapshot
