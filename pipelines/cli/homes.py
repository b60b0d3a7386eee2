"""The folders a command works in: WPPI_HOME, and DAGSTER_HOME where runs are recorded."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from pipelines.settings import PipelineSettings
from warehouse.layout import Layout

PROJECT_DAGSTER_YAML = Path(__file__).resolve().parents[2] / "dagster.yaml"


def dagster_home(layout: Layout) -> Path:
    """Where runs are recorded: DAGSTER_HOME when set (the Dagster UI and daemon read the same
    variable), else WPPI_HOME/dagster."""
    return Path(os.environ.get("DAGSTER_HOME") or layout.home / "dagster")


def prepare(settings: PipelineSettings) -> Layout:
    """Create WPPI_HOME and DAGSTER_HOME (with the project's dagster.yaml) if needed."""
    layout = Layout(settings.home.resolve()).ensure()
    instance_home = dagster_home(layout)
    instance_home.mkdir(parents=True, exist_ok=True)
    target = instance_home / "dagster.yaml"
    if PROJECT_DAGSTER_YAML.is_file() and not target.exists():
        shutil.copyfile(PROJECT_DAGSTER_YAML, target)
    return layout
