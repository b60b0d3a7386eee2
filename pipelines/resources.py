"""The warehouse resource: where a run reads landing files and writes the build warehouse."""

from pathlib import Path

import dagster as dg
import duckdb

from objectstore.s3 import S3Bucket, bucket_from_settings
from warehouse.connect import BuildLimits, open_build
from warehouse.layout import Layout


class WarehouseResource(dg.ConfigurableResource):
    """Paths under WPPI_HOME, and the bucket snapshots are mirrored to if one is configured;
    tests point it at a temporary folder."""

    home: str
    snapshot_retention: int = 5
    extract_retention: int = 5
    quarantine_retention_days: int = 90
    incident_landing_retention_days: float = 7
    object_store_url: str | None = None
    object_store_endpoint: str | None = None
    build_memory_limit: str = BuildLimits.memory_limit
    build_threads: int = BuildLimits.threads

    @property
    def layout(self) -> Layout:
        return Layout(Path(self.home)).ensure()

    def open_build(self) -> duckdb.DuckDBPyConnection:
        """The build warehouse, opened for writing within the configured DuckDB limits."""
        limits = BuildLimits(self.build_memory_limit, self.build_threads)
        return open_build(self.layout.build_warehouse, limits=limits)

    def bucket(self) -> S3Bucket | None:
        return bucket_from_settings(self.object_store_url, self.object_store_endpoint)
