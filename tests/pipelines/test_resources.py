"""Dagster resources are built from the settings object: every field is a setting of the
same name, so a default or bound changed in pipelines/settings.py reaches the runs."""

import pytest

from pipelines.definitions import build_definitions
from pipelines.defs.live import LiveFetchResource
from pipelines.resources import WarehouseResource
from pipelines.settings import PipelineSettings


@pytest.mark.parametrize("resource", [WarehouseResource, LiveFetchResource])
def test_every_resource_field_is_a_setting(resource):
    assert set(resource.model_fields) <= set(PipelineSettings.model_fields)


def test_definitions_carry_the_settings_values(tmp_path):
    settings = PipelineSettings(home=tmp_path, snapshot_retention=9, max_columns=7,
                                build_memory_limit="300MB", live_fetch=True,
                                fetch_attempts=2)  # fmt: skip
    resources = build_definitions(settings).resources
    warehouse, live = resources["warehouse"], resources["live"]
    assert (warehouse.home, warehouse.snapshot_retention) == (str(tmp_path), 9)
    assert warehouse.read_limits.max_columns == 7
    assert warehouse.build_memory_limit == "300MB"
    assert (live.live_fetch, live.fetch_attempts) == (True, 2)
    defaults = WarehouseResource.from_settings(PipelineSettings(home=tmp_path))
    assert (
        defaults.quarantine_retention_days
        == PipelineSettings.model_fields["quarantine_retention_days"].default
    )
