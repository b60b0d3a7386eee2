"""The demo file loaded on top of the real data (`wppi run --sample`): no series holds two
values for one period, and every demo value is marked in JSON, the extract and the chart."""

from __future__ import annotations

import shutil
from collections import Counter

import pyarrow.parquet as pq
import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from api.settings import ApiSettings
from tests.conftest import SAMPLE_CSV, run_partner
from warehouse.snapshots import current_snapshot

REFUGEES = "displacement.afghan_refugees"


@pytest.fixture(scope="module")
def mixed(real_run, tmp_path_factory):
    """A copy of the real run's home with the sample landed and ingested on top."""
    home = tmp_path_factory.mktemp("mixed") / "wppi"
    shutil.copytree(real_run.home, home, ignore=shutil.ignore_patterns("dagster"))
    (home / "landing" / "partner").mkdir(parents=True, exist_ok=True)
    shutil.copyfile(SAMPLE_CSV, home / "landing" / "partner" / SAMPLE_CSV.name)
    assert run_partner(home).success
    with TestClient(create_app(ApiSettings(home=home))) as client:
        yield home, client


def _sample_indicators() -> set[str]:
    lines = SAMPLE_CSV.read_text(encoding="utf-8").splitlines()[1:]
    return {line.split(",", 1)[0] for line in lines}


def test_no_series_holds_two_values_for_one_period(mixed):
    _, client = mixed
    for indicator in sorted(_sample_indicators()):
        body = client.get("/v1/series", params={"indicator": indicator}).json()
        assert body["series"], indicator
        for series in body["series"]:
            periods = Counter(p["period"] for p in series["points"])
            assert max(periods.values()) == 1, (indicator, series["geo"], series["source"])
            assert {p["source"] for p in series["points"]} == {series["source"]}


def test_refugees_in_iran_are_two_series_and_only_the_demo_one_is_marked(mixed):
    _, client = mixed
    params = {"indicator": REFUGEES, "geo": "IRN", "sex": "_T", "start": "2024", "end": "2024"}
    body = client.get("/v1/series", params=params).json()
    by_source = {s["source"]: s for s in body["series"]}
    assert set(by_source) == {"unhcr.population", "wppi.sample"}
    unhcr, demo = by_source["unhcr.population"], by_source["wppi.sample"]
    assert unhcr["publisher"] == "UNHCR" and unhcr["demo"] is False
    assert [(p["value"], p["demo"]) for p in unhcr["points"]] == [(3477082.0, False)]
    assert demo["demo"] is True and [p["demo"] for p in demo["points"]] == [True]
    only = client.get("/v1/series", params={**params, "source": "unhcr.population"}).json()
    assert [s["source"] for s in only["series"]] == ["unhcr.population"]
    page = client.get("/", params={"indicator": REFUGEES, "geo": "IRN"}).text
    assert 'class="demo-notice"' in page and "· UNHCR" in page


def test_the_extract_marks_exactly_the_demo_rows(mixed):
    home, _ = mixed
    snapshot = current_snapshot(home / "snapshots")
    table = pq.read_table(home / "extracts" / snapshot.id / "observations.parquet",
                          columns=["source_id", "demo"])  # fmt: skip
    marked = Counter(zip(table["source_id"].to_pylist(), table["demo"].to_pylist(), strict=True))
    assert {source for source, demo in marked if demo} == {"wppi.sample"}
    assert not any(demo is None for _, demo in marked)
    assert ("wppi.sample", False) not in marked and ("unhcr.population", False) in marked
