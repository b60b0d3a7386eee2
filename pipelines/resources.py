"""The warehouse resource: where a run reads landing files and writes the build warehouse."""

from pathlib import Path

import dagster as dg

from warehouse.layout import Layout


class WarehouseResource(dg.ConfigurableResource):
    """Paths under WPPI_HOME; tests point it at a temporary folder."""

    home: str
    snapshot_retention: int = 5
    extract_retention: int = 5
    quarantine_retention_days: int = 90

    @property
    def layout(self) -> Layout:
        return Layout(Path(self.home)).ensure()
