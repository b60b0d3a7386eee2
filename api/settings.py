"""API settings from the environment (prefix WPPI_)."""

from __future__ import annotations

from pathlib import Path

from limits import parse_many
from pydantic import Field, field_validator
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

    rate_limit_enabled: bool = Field(
        True,
        description="Limit requests per client address and per API key (docs/protection.md). "
        "Load tests and benchmarks switch it off with WPPI_RATE_LIMIT_ENABLED=false.",
    )
    rate_limit_per_address: str = Field(
        "1200/minute",
        description="Requests one client address may make, in `limits` notation; every "
        "request counts, with or without a key.",
    )
    rate_limit_per_key: str = Field(
        "6000/minute",
        description="Requests made with one API key from all addresses together.",
    )
    trusted_proxies: list[str] = Field(
        default_factory=list,
        description="Addresses of the reverse proxies whose "
        "X-Forwarded-For and X-Forwarded-Proto headers name the client, as a JSON list. "
        "Empty (default): no header is trusted, from any address, loopback included; the "
        "rate limits count the connection's own address.",
    )
    cors_origins: list[str] = Field(
        default_factory=list,
        description="Browser origins allowed to read the API cross-site (GET only), as a "
        'JSON list, e.g. ["https://dashboard.example.org"]. Empty (default): no CORS headers.',
    )

    @field_validator("rate_limit_per_address", "rate_limit_per_key")
    @classmethod
    def _parses(cls, value: str) -> str:
        parse_many(value)  # raises ValueError naming what it could not read
        return value

    @property
    def snapshots(self) -> Path:
        return self.home / "snapshots"

    @property
    def extracts(self) -> Path:
        return self.home / "extracts"

    @property
    def access(self) -> Path:
        return Layout(self.home).access
