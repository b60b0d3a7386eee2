"""Build the FastAPI app: read-only, JSON by default, every error as problem+json."""

from __future__ import annotations

import sys
from contextlib import asynccontextmanager
from importlib import resources

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from api import doc_pages, openapi, problems
from api.answers import AnswerCache, ReplayAnswers
from api.cache import TableCache
from api.deps import Services
from api.query_budget import QueryGate
from api.rate_limit import RateLimit
from api.redirects import RelativeRedirects
from api.routers import (
    changes,
    events,
    extracts,
    feeds,
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
from api.url_limit import UrlLimit
from objectstore.s3 import bucket_from_settings

DESCRIPTION = """
Indicators of women's participation in public life in Afghanistan, as validated and
published by WPPI. Read-only. Counts below an indicator's threshold at province level are
suppressed in public output (`obs_status = "S"`, no value), and so is any quarter or year
that contains a suppressed part. Restricted indicators are served to authorised keys only.

Every resource answers in JSON (default), CSV, Parquet and, for observation data, SDMX-CSV
2.0 and HXL-tagged CSV (`format=` or the Accept header). Names of places and indicators come
in English, Dari or Pashto (`lang=fa-AF|ps` or Accept-Language), each with the `name_lang`
it is in; `latest=N` gives the N most recent periods with a value per series, and
`/v1/changes?since=P7D&summary=true` what changed in the last week. Responses carry an
`ETag` (snapshot id plus the normalised query), `Last-Modified` and `Cache-Control`; send
`If-None-Match` to get 304. Errors are `application/problem+json` naming the offending
`parameter`; unknown parameters are rejected. Codes always match exactly. A chart of any
series is at `/`; these docs work offline.
"""


SWITCH_INTERVAL = 0.0005  # seconds


def _operation_id(route: APIRoute) -> str:
    return f"{route.tags[0]}-{route.name}" if route.tags else route.name


def create_app(settings: ApiSettings | None = None) -> FastAPI:
    settings = settings or ApiSettings()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        # Building threads hold the GIL for up to the switch interval (5 ms by default) each
        # time the event loop asks for it; a shorter one lets /healthz and cached answers
        # through in milliseconds while expensive requests build (docs/benchmarks.md).
        sys.setswitchinterval(SWITCH_INTERVAL)
        bucket = bucket_from_settings(settings.object_store_url, settings.object_store_endpoint)
        sync = None
        if bucket is not None:
            sync = SnapshotSync(
                bucket,
                settings.layout.snapshots,
                settings.object_store_poll_seconds,
                settings.object_store_cache_retention,
            )
            sync.start()
        services = Services(
            store=SnapshotStore(settings.layout.snapshots, settings.connection_limits),
            tables=TableCache(),
            answers=AnswerCache(),
            gate=QueryGate(settings.concurrent_queries, settings.query_seconds),
            query_seconds=settings.query_seconds,
            access=settings.layout.access,
            extracts=settings.layout.extracts,
        )
        app.state.services = services  # read through api/deps.py only
        yield
        if sync is not None:
            sync.stop()
        services.store.close()

    app = FastAPI(
        title="WPPI — Women's Public-Participation Indicators",
        version="1",
        description=DESCRIPTION,
        lifespan=lifespan,
        generate_unique_id_function=_operation_id,
        docs_url=None,  # doc_pages serves Swagger UI from local files
        redoc_url=None,
    )
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
    app.add_middleware(UrlLimit)
    app.add_middleware(RelativeRedirects)
    app.add_middleware(ServerTiming)  # outermost, so it times everything the app does
    routers = (
        health,
        indicators,
        geographies,
        sources,
        series,
        observations,
        quality,
        changes,
        snapshots,
        feeds,
        extracts,
        events,
        pages,
    )
    for module in routers:
        app.include_router(module.router)
    static = StaticFiles(directory=str(resources.files("api").joinpath("static")))
    app.mount("/static", static, name="static")
    doc_pages.install(app)
    openapi.install(app)
    return app
