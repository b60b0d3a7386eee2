"""The Dagster resources' common base, and the warehouse resource: where a run reads landing
files and writes the build warehouse."""

from pathlib import Path
from typing import Self

import dagster as dg
import duckdb

from objectstore.s3 import S3Bucket, bucket_from_settings
from pipelines.reading import ReadLimits
from pipelines.settings import PipelineSettings
from warehouse.connect import BuildLimits, open_build
from warehouse.layout import Layout


class SettingsResource(dg.ConfigurableResource):
    """A resource whose fields are PipelineSettings fields of the same names, built from the
    settings object, so each default and bound is written once, in pipelines/settings.py."""

    @classmethod
    def from_settings(cls, settings: PipelineSettings) -> Self:
        return cls(**settings.model_dump(mode="json", include=set(cls.model_fields)))


class WarehouseResource(SettingsResource):
    """Paths under WPPI_HOME, the limits of what a run reads, and the bucket snapshots are
    mirrored to if one is configured; tests point it at a temporary folder."""

    home: str
    snapshot_retention: int
    extract_retention: int
    quarantine_retention_days: int
    incident_landing_retention_days: float
    object_store_url: str | None
    object_store_endpoint: str | None
    build_memory_limit: str
    build_threads: int
    max_file_bytes: int
    max_rows_per_file: int
    max_columns: int
    max_line_bytes: int

    @property
    def layout(self) -> Layout:
        return Layout(Path(self.home)).ensure()

    def open_build(self) -> duckdb.DuckDBPyConnection:
        """The build warehouse, opened for writing within the configured DuckDB limits."""
        limits = BuildLimits(self.build_memory_limit, self.build_threads)
        return open_build(self.layout.build_warehouse, limits=limits)

    @property
    def read_limits(self) -> ReadLimits:
        """What a landed file may be before a reader parses it (pipelines/reading.py)."""
        return ReadLimits.of(self)

    def bucket(self) -> S3Bucket | None:
        return bucket_from_settings(self.object_store_url, self.object_store_endpoint)
