"""Snapshots on an S3-compatible bucket (moto in server mode on 127.0.0.1).

The pipeline's publish step puts each new snapshot in the bucket, pointer last; an API whose
only source is the bucket serves it, and switches when the bucket's pointer moves.
"""

from __future__ import annotations

import boto3
import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from api.settings import ApiSettings
from objectstore.s3 import S3Bucket
from tests.deploy.conftest import URL, kabul, publish_to_bucket
from tests.deploy.servers import wait_for
from warehouse.mirror import sync_snapshot, upload_folder
from warehouse.snapshots import current_snapshot


def test_publish_puts_the_snapshot_then_the_pointer(tmp_path, s3):
    home = tmp_path / "wppi"
    snapshot_id = publish_to_bucket(home, s3, "first.csv", kabul("12"))
    client = boto3.client("s3", endpoint_url=s3)
    pointer = client.get_object(Bucket="wppi-published", Key="prod/snapshots/CURRENT")
    assert pointer["Body"].read().decode().strip() == snapshot_id
    local = current_snapshot(home / "snapshots")
    remote = client.get_object(Bucket="wppi-published", Key=f"prod/snapshots/{snapshot_id}.duckdb")
    assert remote["Body"].read() == local.path.read_bytes()
    # The snapshot's extract goes to the bucket too, byte for byte.
    extract = home / "extracts" / snapshot_id / "observations.parquet"
    key = f"prod/extracts/{snapshot_id}/observations.parquet"
    assert client.get_object(Bucket="wppi-published", Key=key)["Body"].read() == (
        extract.read_bytes()
    )

    # A run that changes nothing publishes nothing new and sends nothing again.
    before = client.head_object(Bucket="wppi-published", Key="prod/snapshots/CURRENT")
    assert publish_to_bucket(home, s3, "first.csv", kabul("12")) == snapshot_id
    after = client.head_object(Bucket="wppi-published", Key="prod/snapshots/CURRENT")
    assert after["LastModified"] == before["LastModified"]


def test_api_serves_from_the_bucket_and_follows_its_pointer(tmp_path, s3):
    home = tmp_path / "wppi"
    first = publish_to_bucket(home, s3, "first.csv", kabul("12"))
    # The API's home is only a cache: nothing in it until the bucket is synced.
    settings = ApiSettings(home=tmp_path / "replica", object_store_url=URL,
                           object_store_endpoint=s3, object_store_poll_seconds=0.3)  # fmt: skip
    params = {"indicator": "civic.women_led_protests", "geo": "AF-KAB"}
    with TestClient(create_app(settings)) as api:
        health = api.get("/healthz")
        assert health.status_code == 200 and health.json()["snapshot"] == first
        assert api.get("/v1/series", params=params).json()["series"][0]["points"][0]["value"] == 12

        second = publish_to_bucket(home, s3, "revision.csv", kabul("14"))
        assert second != first
        wait_for(lambda: api.get("/healthz").json()["snapshot"] == second, 20, "the new snapshot")
        series = api.get("/v1/series", params=params)
        assert series.headers["x-wppi-snapshot"] == second
        assert series.json()["series"][0]["points"][0]["value"] == 14


def test_a_damaged_download_is_refused_and_the_old_snapshot_kept(tmp_path, s3):
    home = tmp_path / "wppi"
    good = publish_to_bucket(home, s3, "first.csv", kabul("12"))
    cache = tmp_path / "cache"
    bucket = S3Bucket(URL, s3)
    assert sync_snapshot(bucket, cache, retention=2).snapshot_id == good

    # A pointer to an object whose bytes do not match the hash in its id.
    forged = good[:-8] + "00000000"
    client = boto3.client("s3", endpoint_url=s3)
    client.put_object(Bucket="wppi-published", Key=f"prod/snapshots/{forged}.duckdb",
                      Body=b"not a snapshot")  # fmt: skip
    client.put_object(Bucket="wppi-published", Key="prod/snapshots/CURRENT", Body=forged.encode())
    try:
        with pytest.raises(ValueError, match="content hash"):
            sync_snapshot(bucket, cache, retention=2)
        assert current_snapshot(cache).id == good
        assert sorted(p.name for p in cache.iterdir()) == [
            f"{good}.duckdb",
            f"{good}.series.arrow",
            "CURRENT",
        ]
    finally:
        client.put_object(Bucket="wppi-published", Key="prod/snapshots/CURRENT", Body=good.encode())
        client.delete_object(Bucket="wppi-published", Key=f"prod/snapshots/{forged}.duckdb")


def test_a_folder_of_extracts_is_one_call(tmp_path, s3):
    folder = tmp_path / "extracts"
    (folder / "parquet").mkdir(parents=True)
    (folder / "parquet" / "observations.parquet").write_bytes(b"PAR1 fake")
    (folder / "datapackage.json").write_text('{"snapshot": "x"}')
    keys = upload_folder(S3Bucket(URL, s3), folder, "extracts/x")
    assert keys == ["extracts/x/parquet/observations.parquet", "extracts/x/datapackage.json"]
    client = boto3.client("s3", endpoint_url=s3)
    key = "prod/extracts/x/datapackage.json"
    body = client.get_object(Bucket="wppi-published", Key=key)["Body"]
    assert body.read() == b'{"snapshot": "x"}'


def test_configuration_alone_chooses_the_object_store(monkeypatch):
    from pipelines.definitions import build_definitions
    from pipelines.settings import PipelineSettings

    monkeypatch.delenv("WPPI_OBJECT_STORE_URL", raising=False)
    assert build_definitions(PipelineSettings()).resources["warehouse"].bucket() is None
    monkeypatch.setenv("WPPI_OBJECT_STORE_URL", "s3://wppi-published/prod/afg")
    monkeypatch.setenv("WPPI_OBJECT_STORE_ENDPOINT", "http://127.0.0.1:9")
    bucket = build_definitions(PipelineSettings()).resources["warehouse"].bucket()
    assert (bucket.bucket, bucket.prefix) == ("wppi-published", "prod/afg")
    assert ApiSettings().object_store_url == "s3://wppi-published/prod/afg"
    with pytest.raises(ValueError, match="s3://bucket/prefix"):
        S3Bucket("https://wppi-published/prod")
