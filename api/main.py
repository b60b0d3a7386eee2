"""Build the FastAPI app: read-only, JSON by default, every error as problem+json."""

from __future__ import annotations

from contextlib import asynccontextmanager
from importlib import resources

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from api import limits, problems
from api.answers import AnswerCache, ReplayAnswers
from api.cache import TableCache
from api.rate_limit import RateLimit
from api.redirects import RelativeRedirects
from api.routers import (
    changes,
    events,
    extracts,
    geographies,
    health,
    indicators,
    observations,
    pages,
    quality,
    series,
    snapshots,
    sources,
)
from api.settings import ApiSettings
from api.snapshot_store import SnapshotStore
from api.snapshot_sync import SnapshotSync
from api.timing import ServerTiming
from objectstore.s3 import bucket_from_settings

DESCRIPTION = """
Indicators of women's participation in public life in Afghanistan, as validated and
published by WPPI. Read-only. Counts below an indicator's threshold at province level are
suppressed in public output (`obs_status = "S"`, no value), and so is any quarter or year
that contains a suppressed part. Restricted indicators are served to authorised keys only.

Every resource answers in JSON (default), CSV, Parquet and, for observation data, SDMX-CSV
2.0 (`format=` or the Accept header). Responses carry an `ETag` (snapshot id plus the
normalised query), `Last-Modified` and `Cache-Control`; send `If-None-Match` to get 304.
Errors are `application/problem+json` naming the offending `parameter`; unknown parameters
are rejected. Codes always match exactly. A chart of any series is at `/`.
"""


def _operation_id(route: APIRoute) -> str:
    return f"{route.tags[0]}-{route.name}" if route.tags else route.name


def create_app(settings: ApiSettings | None = None) -> FastAPI:
    settings = settings or ApiSettings()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        bucket = bucket_from_settings(settings.object_store_url, settings.object_store_endpoint)
        sync = None
        if bucket is not None:
            sync = SnapshotSync(
                bucket,
                settings.snapshots,
                settings.object_store_poll_seconds,
                settings.object_store_cache_retention,
            )
            sync.start()
        app.state.store = SnapshotStore(settings.snapshots)
        app.state.access = settings.access
        app.state.cache = TableCache()
        app.state.answers = AnswerCache()
        yield
        if sync is not None:
            sync.stop()
        app.state.store.close()

    app = FastAPI(
        title="WPPI — Women's Public-Participation Indicators",
        version="1",
        description=DESCRIPTION,
        lifespan=lifespan,
        generate_unique_id_function=_operation_id,
    )
    app.state.extracts = settings.extracts
    problems.install(app)
    app.add_middleware(ReplayAnswers)  # innermost: inside rate limits and CORS
    if settings.rate_limit_enabled:
        app.add_middleware(
            RateLimit,
            per_address=settings.rate_limit_per_address,
            per_key=settings.rate_limit_per_key,
        )
    if settings.trusted_proxies:  # outside the limiter, so it counts the forwarded client
        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=settings.trusted_proxies)
    if settings.cors_origins:  # added last so it is outermost: a 429 carries CORS headers too
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET"],
            allow_headers=["Authorization"],
            expose_headers=["ETag", "Retry-After"],
        )
    limits.install(app)
    app.add_middleware(RelativeRedirects)
    app.add_middleware(ServerTiming)  # outermost, so it times everything the app does
    routers = (health, indicators, geographies, sources, series, observations, quality,
               changes, snapshots, extracts, events, pages)  # fmt: skip
    for module in routers:
        app.include_router(module.router)
    static = StaticFiles(directory=str(resources.files("api").joinpath("static")))
    app.mount("/static", static, name="static")
    return app
