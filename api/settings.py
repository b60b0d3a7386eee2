"""API settings from the environment (prefix WPPI_)."""

from __future__ import annotations

from pathlib import Path

from limits import parse_many
from pydantic import Field, field_validator
from pydantic_settings import SettingsConfigDict

from api.snapshot_store import ConnectionLimits
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

    snapshot_memory_limit: str = Field(
        ConnectionLimits.memory_limit,
        description="DuckDB memory limit of the API's connection to a snapshot (e.g. 512MB); "
        "a query needing more fails with a 503 instead of growing the server.",
    )
    snapshot_threads: int = Field(
        ConnectionLimits.threads, ge=1, description="DuckDB threads of that connection."
    )

    query_seconds: float = Field(
        10.0,
        gt=0,
        description="Time budget of one request's query; past it the query is interrupted and "
        "the request gets a 503 problem+json with Retry-After.",
    )

    concurrent_queries: int = Field(
        2,
        ge=1,
        description="Requests that may build an answer (query and encode) at once; others "
        "wait up to WPPI_QUERY_SECONDS for a turn, then get a 503 with Retry-After.",
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
    def connection_limits(self) -> ConnectionLimits:
        return ConnectionLimits(self.snapshot_memory_limit, self.snapshot_threads)

    @property
    def layout(self) -> Layout:
        """Where the API finds snapshots, extracts and the key file under `home`."""
        return Layout(self.home)
