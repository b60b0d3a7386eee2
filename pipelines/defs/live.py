"""Live mode in Dagster: one asset per declared source with a live fetch, which lands new
pages in the source's landing folder before its raw asset reads the folder (the daily run
materialises both)."""

from pathlib import Path

import dagster as dg

from pipelines.fetch import STATE_FOLDER, Fetcher, FetchPolicy, Validators
from pipelines.resources import WarehouseResource
from pipelines.settings import PipelineSettings
from pipelines.sources.declaration import SourceDeclaration
from pipelines.sources.live import Request, fetch_pages
from pipelines.sources.registry import SOURCES


class LiveFetchResource(dg.ConfigurableResource):
    """Whether live mode is on, where the APIs are, and how patiently to ask them."""

    enabled: bool = False
    worldbank_api_url: str = "https://api.worldbank.org/v2"
    worldbank_countries: str = "AFG"
    worldbank_indicators: list[str] = []
    unhcr_api_url: str = "https://api.unhcr.org"
    connect_timeout: float = 10.0
    read_timeout: float = 60.0
    attempts: int = 4
    backoff: float = 2.0
    backoff_max: float = 60.0

    @classmethod
    def from_settings(cls, settings: PipelineSettings) -> "LiveFetchResource":
        return cls(
            enabled=settings.live_fetch,
            worldbank_api_url=settings.worldbank_api_url,
            worldbank_countries=settings.worldbank_countries,
            worldbank_indicators=settings.worldbank_indicators,
            unhcr_api_url=settings.unhcr_api_url,
            connect_timeout=settings.fetch_connect_timeout,
            read_timeout=settings.fetch_read_timeout,
            attempts=settings.fetch_attempts,
            backoff=settings.fetch_backoff,
            backoff_max=settings.fetch_backoff_max,
        )

    def requests(self, source: SourceDeclaration) -> list[Request]:
        return source.live.requests(self) if source.live else []

    def fetcher(self, home: Path, adapter: str) -> Fetcher:
        policy = FetchPolicy(self.connect_timeout, self.read_timeout, self.attempts,
                             self.backoff, self.backoff_max)  # fmt: skip
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
    def fetched(context: dg.AssetExecutionContext, live: LiveFetchResource,
                warehouse: WarehouseResource) -> None:  # fmt: skip
        if not live.enabled:
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
