"""Pipeline settings from the environment (prefix WPPI_), read once where definitions load."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from objectstore.settings import ObjectStoreSettings
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
    build_memory_limit: str = Field(
        BuildLimits.memory_limit,
        description="DuckDB memory limit of each build-warehouse connection (e.g. 1GB); past "
        "it DuckDB spills to warehouse/duckdb_tmp/ instead of growing the process.",
    )
    build_threads: int = Field(
        BuildLimits.threads, ge=1, description="DuckDB threads of each build connection."
    )
    ingest_cron: str = Field("0 3 * * *", description="When the daily source ingestion runs (UTC).")
    failure_webhook: str | None = Field(
        None, description="URL that receives a JSON POST for every failed run (optional)."
    )
