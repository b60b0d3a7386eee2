"""The object-store settings the pipelines and the API share (env prefix WPPI_)."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings


class ObjectStoreSettings(BaseSettings):
    """Mixed into PipelineSettings and ApiSettings; unset URL means local folders only.

    Credentials and region come from boto3's usual sources (AWS_ACCESS_KEY_ID,
    AWS_SECRET_ACCESS_KEY, AWS_DEFAULT_REGION, instance roles), never from a WPPI setting.
    """

    object_store_url: str | None = Field(
        None,
        description="Where snapshots are mirrored, as s3://bucket/optional/prefix.",
        examples=["s3://wppi-published/prod"],
    )
    object_store_endpoint: str | None = Field(
        None,
        description="Endpoint of an S3-compatible service (MinIO, Ceph, ...); unset for AWS.",
        examples=["https://minio.example.org:9000"],
    )
