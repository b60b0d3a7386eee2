"""How every resource answers: strict parameters, content negotiation, ETag/304 and caching.

Endpoints are `async` and take a `Negotiated` request: on a cache hit they return stored
bytes without touching DuckDB (DESIGN.md: pre-serialised bytes from async endpoints are ~10x
faster than dicts); on a miss the table is built on a read-only cursor in a worker thread.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime, parsedate_to_datetime
from functools import cached_property
from typing import Annotated, Literal
from urllib.parse import urlencode

from fastapi import Depends, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.dependencies.models import Dependant
from fastapi.responses import Response, StreamingResponse

from api import formats, labels
from api.access import Caller, CallerDep
from api.answers import Answer, request_key
from api.cache import etag, matches
from api.deps import Services, ServicesDep, current, open_snapshot
from api.formats import Table
from api.problems import Problem
from api.query_budget import query_budget
from api.snapshot_store import INLINE_ROWS, NeedsSql, OpenSnapshot, SnapshotDamaged
from warehouse.catalog import load_catalog

CACHE_CONTROL = "public, max-age=60"
FORMAT_HELP = "Response format; overrides the Accept header. JSON when neither names one."

DataFormat = Annotated[
    Literal["json", "csv", "parquet", "sdmx-csv", "hxl"] | None,
    Query(description=FORMAT_HELP + " hxl: CSV with a row of HXL hashtags (#indicator+code, "
          "#country+code, #adm1+code, #date, #value, #status, #meta+source).",
          examples=["csv"]),
]  # fmt: skip
TableFormat = Annotated[
    Literal["json", "csv", "parquet"] | None,
    Query(description=FORMAT_HELP, examples=["csv"]),
]
Lang = Annotated[
    Literal["en", "fa-AF", "ps"] | None,
    Query(description="Language of names: English, Dari (fa-AF) or Pashto (ps); overrides "
          "Accept-Language. Names without a translation stay English (see `name_lang`).",
          examples=["fa-AF"]),
]  # fmt: skip


def _query_names(dependant: Dependant) -> set[str]:
    names = {param.alias for param in dependant.query_params}
    for sub in dependant.dependencies:
        names |= _query_names(sub)
    return names


# Query names per route, found once (routes are unhashable: keyed by id, checked by identity).
_ALLOWED: dict[int, tuple[object, set[str]]] = {}


def check_parameters(request: Request) -> None:
    """Reject parameters the route does not declare, and declared ones given twice."""
    route = request.scope.get("route")
    allowed = set()
    if route is not None:
        known = _ALLOWED.get(id(route))
        if known is None or known[0] is not route:
            known = _ALLOWED[id(route)] = (route, _query_names(route.dependant))
        allowed = known[1]
    seen = set()
    for name, _ in request.query_params.multi_items():
        if name not in allowed:
            detail = (
                f"Unknown parameter '{name}'; this endpoint takes {', '.join(sorted(allowed))}."
            )
            raise Problem(400, "Unknown parameter", detail, name)
        if name in seen:
            raise Problem(400, "Repeated parameter", f"'{name}' is given more than once.", name)
        seen.add(name)


@dataclass
class Negotiated:
    """A request whose parameters were checked, with its format, language and cache key."""

    request: Request
    services: Services
    format: str
    lang: str | None  # None where the resource has no names to translate
    caller: Caller | None = None  # set on observation-shaped resources
    # What else the answer depends on besides the query (e.g. `since=P7D` resolved against the
    # clock): part of the cache key and ETag, and such answers are never replayed by raw query.
    resolved: str = ""

    @property
    def names_lang(self) -> str:
        """The language of a resource that has names (negotiated with `labelled=True`)."""
        if self.lang is None:
            raise RuntimeError(f"{self.request.url.path}: negotiated without a language")
        return self.lang

    @property
    def unsuppressed(self) -> bool:
        return self.caller is not None and self.caller.unsuppressed

    @cached_property
    def _query(self) -> str:
        """The path and its sorted query, the same for every use of the key in a request."""
        params = urlencode(sorted(self.request.query_params.multi_items()))
        return f"{self.request.url.path}?{params}"

    @property
    def key(self) -> str:
        """Normalised query; unsuppressed answers never share a cache entry with public ones."""
        view = "unsuppressed" if self.unsuppressed else "public"
        return f"{self._query}|{self.format}|{self.lang}|{view}|{self.resolved}"

    def require_indicators(self, codes: list[str] | None, what: str) -> None:
        """Check the caller's tier before anything is read (and audit restricted reads).

        Unsuppressed values are restricted data whatever the indicator's own tier, and a
        request naming no indicator reads every tier when unsuppressed. Unknown codes pass
        here and get their 404 from the catalog look-up.
        """
        assert self.caller is not None, "negotiated without a caller: not observation-shaped"
        catalog = load_catalog().indicators
        tiers = {catalog[code].tier for code in codes or () if code in catalog}
        tier = "restricted" if self.unsuppressed or "restricted" in tiers else "public"
        self.caller.require(tier, what, "indicator")

    def next_link(self, cursor: str) -> str:
        params = {**self.request.query_params, "cursor": cursor}
        return f"{self.request.url.path}?{urlencode(params)}"

    def _headers(self, snapshot_id: str, tag: str, published_at: datetime) -> dict[str, str]:
        headers = {
            "ETag": tag,
            "Cache-Control": CACHE_CONTROL,
            "Last-Modified": format_datetime(published_at, usegmt=True),
            "X-WPPI-Snapshot": snapshot_id,
            "Vary": "Accept, Accept-Language, Authorization",
        }
        if self.unsuppressed:
            headers["Cache-Control"] = "private, no-store"
        if self.lang:
            headers["Content-Language"] = self.lang
        return headers

    def _not_modified(self, tag: str, published_at: datetime) -> bool:
        if "if-none-match" in self.request.headers:
            return matches(self.request.headers["if-none-match"], tag)
        since = self.request.headers.get("if-modified-since")
        try:
            return since is not None and published_at.replace(microsecond=0) <= (
                parsedate_to_datetime(since)
            )
        except (TypeError, ValueError):
            return False

    def _build(self, build: Callable[[OpenSnapshot], Table]) -> tuple[str, datetime, Table]:
        try:
            return self._build_once(build)
        except SnapshotDamaged:
            return self._build_once(build)  # the store has moved to the newest intact snapshot

    def _build_once(self, build: Callable[[OpenSnapshot], Table]) -> tuple[str, datetime, Table]:
        services = self.services
        with open_snapshot(services.store) as snapshot:
            table = services.tables.get(snapshot.id, self.key)
            if table is None:
                with query_budget(snapshot.cursor, services.query_seconds):
                    table = build(snapshot)
            return snapshot.id, snapshot.published_at, table

    def _build_inline(
        self, build: Callable[[OpenSnapshot], Table]
    ) -> tuple[str, datetime, Table] | None:
        """Build on the event loop, without a cursor: a series read from its blocks costs
        less than the hand-off to a worker thread and back (docs/benchmarks.md). None when
        the build needs SQL or more rows than the loop may spend (NeedsSql), or the snapshot
        proved damaged (the thread path then builds on the one the store moved to)."""
        try:
            with open_snapshot(self.services.store, sql=False) as snapshot:
                return snapshot.id, snapshot.published_at, build(snapshot)
        except (NeedsSql, SnapshotDamaged):
            return None

    async def respond(
        self, build: Callable[[OpenSnapshot], Table], inline: bool = False
    ) -> Response:
        """Answer from the cache when the snapshot has not moved; else build on a cursor in a
        worker thread, or first on the event loop when `inline` (the build must then leave
        nothing behind when it raises NeedsSql: it runs again in the thread)."""
        services = self.services
        snapshot_id, published_at = current(services.store)
        tag = etag(snapshot_id, self.key)
        if self._not_modified(tag, published_at):
            return Response(status_code=304, headers=self._headers(snapshot_id, tag, published_at))
        table = services.tables.get(snapshot_id, self.key)
        if table is None:
            built = self._build_inline(build) if inline else None
            if built is None:
                async with services.gate.slot():
                    built = await run_in_threadpool(self._build, build)
            snapshot_id, published_at, table = built
            services.tables.put(snapshot_id, self.key, table)
            tag = etag(snapshot_id, self.key)
        headers = self._headers(snapshot_id, tag, published_at)
        if table.next:
            headers["Link"] = f'<{table.next}>; rel="next"'
        media_type = formats.MEDIA_TYPES[self.format]
        if self.format in ("csv", "sdmx-csv", "hxl"):
            return StreamingResponse(
                formats.stream(table, self.format), media_type=media_type, headers=headers
            )
        # Encoding a large table (Parquet, JSON) takes CPU time: off the event loop, so cached
        # answers and /healthz never wait behind it. A small one costs less than the hand-off.
        if len(table.rows) <= INLINE_ROWS:
            body = formats.encode(table, self.format)
        else:
            async with services.gate.slot():
                body = await run_in_threadpool(formats.encode, table, self.format)
        response = Response(body, media_type=media_type, headers=headers)
        replayable = not self.unsuppressed and not self.resolved
        if replayable and (key := request_key(self.request.scope)) is not None:
            services.answers.put(snapshot_id, key, Answer(response.raw_headers, body))
        return response


def _negotiated(
    request: Request,
    services: Services,
    fmt: str | None,
    offered: tuple[str, ...],
    lang: str | None,
    labelled: bool,
    caller: Caller | None = None,
) -> Negotiated:
    check_parameters(request)
    chosen = formats.negotiate(fmt, request.headers.get("accept"), offered)
    language = labels.negotiate(lang, request.headers.get("accept-language")) if labelled else None
    return Negotiated(request, services, chosen, language, caller)


_DATA_FORMATS = ("json", "csv", "parquet", "sdmx-csv", "hxl")
_TABLE_FORMATS = ("json", "csv", "parquet")


async def data_request(
    request: Request,
    services: ServicesDep,
    caller: CallerDep,
    format: DataFormat = None,
    lang: Lang = None,
) -> Negotiated:
    """Observation-shaped resources: JSON, CSV, Parquet or SDMX-CSV, public or by key, with
    place and indicator names in a chosen language."""
    return _negotiated(request, services, format, _DATA_FORMATS, lang, True, caller)


async def catalog_request(
    request: Request, services: ServicesDep, format: TableFormat = None, lang: Lang = None
) -> Negotiated:
    """Catalog resources with names: JSON, CSV or Parquet, in a chosen language."""
    return _negotiated(request, services, format, _TABLE_FORMATS, lang, labelled=True)


async def table_request(
    request: Request, services: ServicesDep, format: TableFormat = None
) -> Negotiated:
    """Other tabular resources: JSON, CSV or Parquet."""
    return _negotiated(request, services, format, _TABLE_FORMATS, None, labelled=False)


DataRequest = Annotated[Negotiated, Depends(data_request)]
CatalogRequest = Annotated[Negotiated, Depends(catalog_request)]
TableRequest = Annotated[Negotiated, Depends(table_request)]
