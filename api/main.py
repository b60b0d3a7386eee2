"""Build the FastAPI app: read-only, JSON by default, every error as problem+json."""

from __future__ import annotations

from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.routing import APIRoute

from api import problems
from api.rate_limit import RateLimit
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
        app.state.access = settings.access
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
    if settings.rate_limit_enabled:
        app.add_middleware(
            RateLimit,
            per_address=settings.rate_limit_per_address,
            per_key=settings.rate_limit_per_key,
        )
    if settings.cors_origins:  # added last so it is outermost: a 429 carries CORS headers too
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET"],
            allow_headers=["Authorization"],
            expose_headers=["ETag", "Retry-After"],
        )
    for module in (health, indicators, geographies, series):
        app.include_router(module.router)
    return app
