"""Live mode in Dagster: one asset per declared source with a live fetch, which lands new
pages in the source's landing folder before its raw asset reads the folder (the daily run
materialises both)."""

from pathlib import Path

import dagster as dg

from pipelines.fetch import STATE_FOLDER, Fetcher, FetchPolicy, Validators
from pipelines.resources import SettingsResource, WarehouseResource
from pipelines.sources.declaration import SourceDeclaration
from pipelines.sources.live import Request, fetch_pages
from pipelines.sources.registry import SOURCES


class LiveFetchResource(SettingsResource):
    """Whether live mode is on, where the APIs are, and how patiently to ask them."""

    live_fetch: bool
    worldbank_api_url: str
    worldbank_countries: str
    worldbank_indicators: list[str]
    unhcr_api_url: str
    fetch_connect_timeout: float
    fetch_read_timeout: float
    fetch_attempts: int
    fetch_backoff: float
    fetch_backoff_max: float

    def requests(self, source: SourceDeclaration) -> list[Request]:
        return source.live.requests(self) if source.live else []

    def fetcher(self, home: Path, adapter: str) -> Fetcher:
        policy = FetchPolicy(
            self.fetch_connect_timeout,
            self.fetch_read_timeout,
            self.fetch_attempts,
            self.fetch_backoff,
            self.fetch_backoff_max,
        )
        return Fetcher(policy, Validators(home / STATE_FOLDER / f"{adapter}.json"))


def live_asset(source: SourceDeclaration) -> dg.AssetsDefinition:
    adapter = source.id

    @dg.asset(
        name=f"live_{adapter}",
        group_name="live",
        tags={"source": adapter},
        description=f"New pages of the {adapter} API, landed in landing/{adapter}/ (only when "
        "WPPI_LIVE_FETCH is on; conditional requests, so unchanged pages land nothing).",
    )
    def fetched(
        context: dg.AssetExecutionContext, live: LiveFetchResource, warehouse: WarehouseResource
    ) -> None:
        if not live.live_fetch:
            context.log.info("live fetching is off (WPPI_LIVE_FETCH); nothing requested")
            context.add_output_metadata({"enabled": False, "landed": 0})
            return
        layout = warehouse.layout
        folder = layout.landing_for(adapter)
        landed = []
        with live.fetcher(layout.home, adapter) as fetcher:
            for request in live.requests(source):
                landed += fetch_pages(source.live, request, fetcher, folder)
        context.add_output_metadata(
            {"enabled": True, "landed": len(landed), "files": [p.name for p in landed]}
        )

    return fetched


live_assets = [live_asset(source) for source in SOURCES if source.live]
