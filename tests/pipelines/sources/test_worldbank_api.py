"""World Bank API v2 JSON (a hand-written layout sample; no recorded response is shared)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.batches import FileRejected
from pipelines.sources.worldbank import SOURCE, read_worldbank_file
from warehouse.catalog import load_catalog

SAMPLE = Path(__file__).with_name("fixtures") / "worldbank_api_v2_layout_sample.json"


def test_api_json_entries_become_observations_and_aggregates_quarantine():
    batch = SOURCE.conform(read_worldbank_file(SAMPLE), load_catalog())
    [row] = batch.table.to_pylist()
    assert (row["indicator_code"], row["geo_code"], row["value"]) == (
        "politics.women_parliament_share", "AFG", 27.01612903)  # fmt: skip
    assert str(row["period_start"]) == "2021-01-01"
    [quarantined] = batch.raw.malformed.to_pylist()
    assert "place 'SAS'" in quarantined["reasons"][0]
    assert batch.raw.rows_in == 2  # the null 2022 entry is no observation


def test_a_json_file_that_is_not_an_api_response_is_refused(tmp_path):
    path = tmp_path / "other.json"
    path.write_text('[{"unexpected": true}]', encoding="utf-8")
    with pytest.raises(FileRejected, match="not a World Bank API v2 JSON response"):
        read_worldbank_file(path)
