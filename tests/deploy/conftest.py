"""Fixtures for the deployment tests: a live S3-compatible server and publishing to it."""

from __future__ import annotations

from pathlib import Path

import boto3
import dagster as dg
import pytest

from pipelines.definitions import ALL_ASSETS
from tests.conftest import land, row, warehouse_at
from tests.deploy.servers import S3_ENV, s3_server

URL = "s3://wppi-published/prod"


@pytest.fixture(scope="module")
def s3(tmp_path_factory):
    """The endpoint of a fresh S3-compatible server with the bucket created."""
    with pytest.MonkeyPatch.context() as env:
        for key, value in S3_ENV.items():
            env.setenv(key, value)
        with s3_server(tmp_path_factory.mktemp("s3") / "moto.log") as endpoint:
            boto3.client("s3", endpoint_url=endpoint).create_bucket(Bucket="wppi-published")
            yield endpoint


def publish_to_bucket(home: Path, endpoint: str | None, name: str, rows: list[dict]) -> str:
    """Land a partner file and run every asset in-process; with an endpoint, the object store
    is configured and the snapshot goes to the bucket too."""
    land(home, name, rows)
    result = dg.materialize(
        ALL_ASSETS,
        resources={
            "warehouse": warehouse_at(
                home, object_store_url=URL if endpoint else None, object_store_endpoint=endpoint
            ),
            "io_manager": dg.FilesystemIOManager(base_dir=str(home / "dagster_storage")),
        },
        run_config={"ops": {"raw_partner": {"config": {"files": [name]}}}},
    )
    assert result.success
    return result.output_for_node("published_snapshot")


def kabul(value: str) -> list[dict]:
    return [row("civic.women_led_protests", "AF-KAB", "2022-01", value)]
