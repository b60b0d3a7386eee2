"""The public HTTP APIs of World Bank and UNHCR: which URLs live mode requests, how their pages
are counted, and what a usable body looks like. The adapters read what is landed.

World Bank: API v2, `/country/<codes>/indicator/<id>?format=json&per_page=..&page=n`, one
request per mapped indicator; the body is `[meta, entries]`, meta["pages"] the page count.
UNHCR: population API v1, `/population/v1/population/?coo=AFG&coa_all=true&page=n`: the
same table (same column names) as the `refugees` package file the unhcr adapter reads, by
country of asylum; the body is `{"page", "maxPages", "items": [...]}`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import orjson

from pipelines.fetch import Fetcher, FetchError, land_body


@dataclass(frozen=True)
class Request:
    stem: str  # landed files are <stem>.p<page>.<sha prefix>.json
    url: str
    params: dict[str, str]


@dataclass(frozen=True)
class LiveSource:
    page_param: str
    # The number of pages a body says there are; ValueError when it is not such a body.
    pages: Callable[[object], int]
    # The requests live mode makes, from its settings (pipelines.defs.live.LiveFetchResource).
    requests: Callable[[Any], list[Request]]


def worldbank_pages(document: object) -> int:
    if not (isinstance(document, list) and len(document) == 2 and isinstance(document[0], dict)):
        raise ValueError("not a World Bank API v2 response ([meta, entries])")
    if not isinstance(document[1], list | None) or not isinstance(document[0].get("pages"), int):
        raise ValueError("World Bank API v2 response without a page count or entry list")
    return document[0]["pages"]


def unhcr_pages(document: object) -> int:
    if not (isinstance(document, dict) and isinstance(document.get("items"), list)):
        raise ValueError("not a UNHCR population API response ({page, maxPages, items})")
    if not isinstance(document.get("maxPages"), int):
        raise ValueError("UNHCR population API response without maxPages")
    return document["maxPages"]


def worldbank_requests(base_url: str, countries: str, indicators: list[str]) -> list[Request]:
    base = base_url.rstrip("/")
    return [
        Request(
            f"worldbank_api_{code}",
            f"{base}/country/{countries}/indicator/{code}",
            {"format": "json", "per_page": "1000"},
        )
        for code in indicators
    ]


def unhcr_requests(base_url: str, origin: str = "AFG") -> list[Request]:
    base = base_url.rstrip("/")
    return [
        Request(
            f"unhcr_api_population_{origin}",
            f"{base}/population/v1/population/",
            {"coo": origin, "coa_all": "true", "limit": "1000"},
        )
    ]


WORLDBANK_LIVE = LiveSource(
    "page",
    worldbank_pages,
    lambda live: worldbank_requests(
        live.worldbank_api_url, live.worldbank_countries, live.worldbank_indicators
    ),
)
UNHCR_LIVE = LiveSource("page", unhcr_pages, lambda live: unhcr_requests(live.unhcr_api_url))


def fetch_pages(source: LiveSource, request: Request, fetcher: Fetcher, folder: Path) -> list:
    """Fetch every page of one request; land each changed page. Returns the landed paths.

    A 304 lands nothing; its page count is the one remembered with its validators. A body that
    does not parse as the source's response raises FetchError and lands nothing.
    """
    landed, page, total = [], 1, 1
    while page <= total:
        url = str(httpx.URL(request.url, params={**request.params, source.page_param: page}))
        response = fetcher.get(url)
        if response.status_code == 304:
            total = fetcher.validators.get(url).get("pages", total)
        else:
            body = response.content
            try:
                total = source.pages(orjson.loads(body))
            except (orjson.JSONDecodeError, ValueError) as exc:
                raise FetchError(f"{url}: body is not usable ({exc}); nothing landed") from None
            landed.append(land_body(folder, f"{request.stem}.p{page}", body))
            fetcher.validators.remember(url, response, pages=total)
        page += 1
    return landed
