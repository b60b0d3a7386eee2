"""API settings from the environment (prefix WPPI_)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from warehouse.layout import Layout


class ApiSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="WPPI_")

    home: Path = Field(
        default_factory=lambda: Path.cwd() / ".wppi",
        description="WPPI home; the API reads only its snapshots/ and extracts/ folders.",
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
