"""API settings from the environment (prefix WPPI_)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from objectstore.settings import ObjectStoreSettings
from warehouse.layout import Layout


class ApiSettings(ObjectStoreSettings):
    model_config = SettingsConfigDict(env_prefix="WPPI_")

    home: Path = Field(
        default_factory=lambda: Path.cwd() / ".wppi",
        description="WPPI home; the API reads only its snapshots/ and extracts/ folders (with an "
        "object store configured, a local cache of the bucket's current snapshot).",
    )
    object_store_poll_seconds: float = Field(
        5.0, gt=0, description="How often a replica checks the bucket's CURRENT pointer."
    )
    object_store_cache_retention: int = Field(
        3,
        ge=2,
        description="Snapshots kept in the local cache (the replaced one stays for "
        "requests still reading it).",
    )

    @property
    def snapshots(self) -> Path:
        return self.home / "snapshots"

    @property
    def extracts(self) -> Path:
        return self.home / "extracts"

    @property
    def access(self) -> Path:
        return Layout(self.home).access
