"""The warehouse resource: where a run reads landing files and writes the build warehouse."""

from pathlib import Path

import dagster as dg

from objectstore.s3 import S3Bucket, bucket_from_settings
from warehouse.layout import Layout


class WarehouseResource(dg.ConfigurableResource):
    """Paths under WPPI_HOME, and the bucket snapshots are mirrored to if one is configured;
    tests point it at a temporary folder."""

    home: str
    snapshot_retention: int = 5
    extract_retention: int = 5
    quarantine_retention_days: int = 90
    object_store_url: str | None = None
    object_store_endpoint: str | None = None

    @property
    def layout(self) -> Layout:
        return Layout(Path(self.home)).ensure()

    def bucket(self) -> S3Bucket | None:
        return bucket_from_settings(self.object_store_url, self.object_store_endpoint)
