"""Build the FastAPI app: read-only, JSON by default, every error as problem+json."""

from __future__ import annotations

from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.routing import APIRoute

from api import limits, problems
from api.routers import geographies, health, indicators, series
from api.settings import ApiSettings
from api.snapshot_store import SnapshotStore

DESCRIPTION = """
Indicators of women's participation in public life in Afghanistan, as validated and
published by WPPI. Read-only. Counts below an indicator's threshold at province level are
suppressed in public output (`obs_status = "S"`, no value). Every response carries the id of
the snapshot it came from as its ETag.
"""


def _operation_id(route: APIRoute) -> str:
    return f"{route.tags[0]}-{route.name}" if route.tags else route.name


def create_app(settings: ApiSettings | None = None) -> FastAPI:
    settings = settings or ApiSettings()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        app.state.store = SnapshotStore(settings.snapshots)
        yield
        app.state.store.close()

    app = FastAPI(
        title="WPPI — Women's Public-Participation Indicators",
        version="1",
        description=DESCRIPTION,
        lifespan=lifespan,
        generate_unique_id_function=_operation_id,
    )
    problems.install(app)
    limits.install(app)
    for module in (health, indicators, geographies, series):
        app.include_router(module.router)
    return app
