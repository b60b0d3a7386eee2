"""Where WPPI keeps its files under one home folder (the embedded default, DESIGN.md)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Layout:
    home: Path

    @property
    def landing(self) -> Path:
        return self.home / "landing"

    def landing_for(self, adapter: str) -> Path:
        return self.landing / adapter

    @property
    def build_warehouse(self) -> Path:
        """The one DuckDB file pipelines write; the API never opens it."""
        return self.home / "warehouse" / "build.duckdb"

    @property
    def snapshots(self) -> Path:
        return self.home / "snapshots"

    @property
    def extracts(self) -> Path:
        """Researchers' Parquet extracts, one folder per snapshot id."""
        return self.home / "extracts"

    @property
    def access(self) -> Path:
        """API keys and the restricted-access audit (warehouse/access.py): the one file the
        API writes to, and only audit rows."""
        return self.home / "access" / "access.sqlite"

    @property
    def step_outputs(self) -> Path:
        """Dagster step outputs, one folder per run, deleted once loaded
        (pipelines/step_storage.py)."""
        return self.home / "dagster_storage"

    def ensure(self) -> Layout:
        for folder in (self.landing, self.build_warehouse.parent, self.snapshots):
            folder.mkdir(parents=True, exist_ok=True)
        return self
