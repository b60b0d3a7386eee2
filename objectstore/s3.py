"""A bucket client over boto3 with the operations warehouse/mirror.py needs."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse


class S3Bucket:
    """Objects under `s3://bucket/prefix` on AWS S3 or any S3-compatible endpoint."""

    def __init__(self, url: str, endpoint: str | None = None, client=None):
        parsed = urlparse(url)
        if parsed.scheme != "s3" or not parsed.netloc:
            raise ValueError(f"object store URL '{url}' is not of the form s3://bucket/prefix")
        self.bucket = parsed.netloc
        self.prefix = parsed.path.strip("/")
        if client is None:
            import boto3  # only deployments with an object store need it (pyproject `deploy`)
            from botocore.config import Config

            # Fail a poll in seconds rather than minutes when the store is unreachable; the
            # API keeps serving what it has and the next poll tries again.
            config = Config(connect_timeout=5, read_timeout=60, retries={"max_attempts": 3})
            client = boto3.client("s3", endpoint_url=endpoint, config=config)
        self.client = client

    def _key(self, key: str) -> str:
        return f"{self.prefix}/{key}" if self.prefix else key

    def _missing(self, error) -> bool:
        code = error.response.get("Error", {}).get("Code", "")
        return code in {"404", "NoSuchKey", "NotFound"}

    def put_file(self, key: str, path: Path) -> None:
        self.client.upload_file(str(path), self.bucket, self._key(key))

    def get_file(self, key: str, path: Path) -> bool:
        from botocore.exceptions import ClientError

        try:
            self.client.download_file(self.bucket, self._key(key), str(path))
        except ClientError as error:
            if self._missing(error):
                return False
            raise
        return True

    def put_text(self, key: str, text: str) -> None:
        self.client.put_object(Bucket=self.bucket, Key=self._key(key), Body=text.encode())

    def get_text(self, key: str) -> str | None:
        from botocore.exceptions import ClientError

        try:
            body = self.client.get_object(Bucket=self.bucket, Key=self._key(key))["Body"]
        except ClientError as error:
            if self._missing(error):
                return None
            raise
        return body.read().decode()

    def list_keys(self, prefix: str) -> list[str]:
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=self._key(prefix)
        )
        strip = len(self._key(""))
        return [item["Key"][strip:] for page in pages for item in page.get("Contents", [])]

    def delete(self, key: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self._key(key))


def bucket_from_settings(url: str | None, endpoint: str | None) -> S3Bucket | None:
    """The configured bucket, or None when snapshots stay in local folders only."""
    return S3Bucket(url, endpoint) if url else None
