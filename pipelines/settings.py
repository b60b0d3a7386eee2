"""Pipeline settings from the environment (prefix WPPI_), read once where definitions load."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from objectstore.settings import ObjectStoreSettings
from pipelines.reading import ReadLimits
from warehouse.connect import BuildLimits


class PipelineSettings(ObjectStoreSettings):
    model_config = SettingsConfigDict(env_prefix="WPPI_")

    home: Path = Field(
        default_factory=lambda: Path.cwd() / ".wppi",
        description="Folder holding landing files, the build warehouse and snapshots.",
    )
    snapshot_retention: int = Field(5, ge=1, description="Published snapshots kept on disk.")
    extract_retention: int = Field(
        5, ge=1, description="Snapshots whose Parquet extracts are kept (the current one always)."
    )
    quarantine_retention_days: int = Field(
        90, ge=1, description="Days quarantined raw rows (possibly personal) are kept."
    )
    incident_landing_retention_days: float = Field(
        7,
        ge=0,
        description="Days an incident-level file (names, places, free text) stays in its "
        "landing folder once ingested; 0 deletes it right after its run.",
    )
    build_memory_limit: str = Field(
        BuildLimits.memory_limit,
        description="DuckDB memory limit of each build-warehouse connection (e.g. 1GB); past "
        "it DuckDB spills to warehouse/duckdb_tmp/ instead of growing the process.",
    )
    build_threads: int = Field(
        BuildLimits.threads, ge=1, description="DuckDB threads of each build connection."
    )
    # Reading limits (pipelines/reading.py): a landed file breaking one is refused whole,
    # named with line and limit, and moved to landing/<source>/refused/.
    max_file_bytes: int = Field(
        ReadLimits.max_file_bytes, ge=1, description="Bytes per landed file."
    )
    max_rows_per_file: int = Field(
        ReadLimits.max_rows_per_file, ge=1, description="Lines per landed file."
    )
    max_columns: int = Field(
        ReadLimits.max_columns, ge=1, description="Columns in a landed file's header."
    )
    max_line_bytes: int = Field(
        ReadLimits.max_line_bytes,
        ge=1,
        description="Bytes in one line of a delimited file, so also in any one field.",
    )
    ingest_cron: str = Field("0 3 * * *", description="When the daily source ingestion runs (UTC).")
    sensor_interval_seconds: int = Field(
        30, ge=1, description="Least seconds between two looks of a landing sensor at its folder."
    )
    failure_webhook: str | None = Field(
        None, description="URL that receives a JSON POST for every failed run (optional)."
    )
    # Live mode (pipelines/fetch.py): off unless WPPI_LIVE_FETCH=true, so nothing reaches the
    # internet by default (make run, tests).
    live_fetch: bool = Field(
        False, description="Fetch World Bank and UNHCR from their APIs in the daily run."
    )
    worldbank_api_url: str = Field(
        "https://api.worldbank.org/v2", description="World Bank API v2 base URL."
    )
    worldbank_countries: str = Field(
        "AFG", description="Countries the World Bank API is asked for (';'-separated ISO3)."
    )
    worldbank_indicators: list[str] = Field(
        default_factory=lambda: list(_worldbank_codes()),
        description="World Bank indicator ids fetched (default: every id the adapter maps).",
    )
    unhcr_api_url: str = Field("https://api.unhcr.org", description="UNHCR API base URL.")
    fetch_connect_timeout: float = Field(10.0, gt=0, description="Seconds to connect.")
    fetch_read_timeout: float = Field(60.0, gt=0, description="Seconds to wait for data.")
    fetch_attempts: int = Field(4, ge=1, description="Tries per URL before the fetch fails.")
    fetch_backoff: float = Field(
        2.0, ge=0, description="Seconds before the first retry; doubled for each next one."
    )
    fetch_backoff_max: float = Field(60.0, ge=0, description="Longest wait between tries.")

    @property
    def read_limits(self) -> ReadLimits:
        """What a landed file may be before a reader parses it (pipelines/reading.py)."""
        return ReadLimits.of(self)


def _worldbank_codes() -> list[str]:
    """Every World Bank indicator id the catalog maps (its `worldbank` aliases)."""
    from warehouse.catalog import load_catalog

    return list(load_catalog().publisher_codes("worldbank"))
