"""Shared fixtures: temporary WPPI homes, partner CSV files and in-process pipeline runs."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import dagster as dg
import pytest
from fastapi import FastAPI
from starlette.testclient import TestClient

from pipelines.definitions import ALL_ASSETS
from pipelines.resources import WarehouseResource
from pipelines.settings import PipelineSettings
from pipelines.sources.partner import HEADER
from pipelines.step_storage import RunScopedIOManager
from tests.api.response_contract import check
from warehouse.layout import Layout

# TestClient fires hundreds of requests a second from one address; tests that exercise the
# limiter turn it on explicitly (tests/api/test_rate_limit_and_cors.py).
os.environ.setdefault("WPPI_RATE_LIMIT_ENABLED", "false")

SAMPLE_CSV = (
    Path(__file__).resolve().parents[1] / "pipelines" / "sample_data" / "partner_sample.csv"
)


def write_partner_csv(path: Path, rows: list[dict], header=HEADER) -> Path:
    """Write rows (dicts with template keys; missing keys empty) as a partner CSV."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        for row in rows:
            writer.writerow([row.get(name, "") for name in header])
    return path


def row(indicator="business.women_led_closures", geo="AF-KAB", period="2022-03", value="12",
        **extra) -> dict:  # fmt: skip
    """One partner row with sensible defaults for the fields a test does not care about."""
    return {"indicator_code": indicator, "geo_code": geo, "period": period, "value": value,
            "obs_status": "A", "source_id": "partner.ngo", "verification": "verified",
            **extra}  # fmt: skip


def warehouse_at(home: Path, **settings) -> WarehouseResource:
    """The warehouse resource a run or sensor gets, for a temporary WPPI home."""
    return WarehouseResource.from_settings(PipelineSettings(home=home, **settings))


def run_partner(home: Path, files: list[str] | None = None) -> dg.ExecuteInProcessResult:
    """Materialise every asset in-process against `home`, as a sensor or CLI run would."""
    return dg.materialize(
        ALL_ASSETS,
        resources={
            "warehouse": warehouse_at(home),
            "io_manager": RunScopedIOManager(base_dir=str(Layout(home).step_outputs)),
        },
        run_config={"ops": {"raw_partner": {"config": {"files": files or []}}}},
        raise_on_error=False,
    )


def land(home: Path, name: str, rows: list[dict]) -> str:
    folder = home / "landing" / "partner"
    folder.mkdir(parents=True, exist_ok=True)
    write_partner_csv(folder / name, rows)
    return name


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "wppi"


@pytest.fixture(scope="session")
def sample_home(tmp_path_factory) -> Path:
    """A WPPI home with the bundled sample ingested and published (shared, read-only)."""
    home = tmp_path_factory.mktemp("sample") / "wppi"
    folder = home / "landing" / "partner"
    folder.mkdir(parents=True)
    (folder / "partner_sample.csv").write_bytes(SAMPLE_CSV.read_bytes())
    result = run_partner(home)
    assert result.success
    return home


@pytest.fixture(autouse=True)
def bodies_match_their_models(monkeypatch):
    """Every JSON body any test gets from the API must match its route's declared model, with
    no key the model does not name (tests/api/response_contract.py)."""
    send = TestClient.request

    def request(self, method, url, **kwargs):
        response = send(self, method, url, **kwargs)
        if isinstance(self.app, FastAPI):
            media_type = response.headers.get("content-type", "").split(";")[0]
            check(self.app, method.upper(), response.request.url.path, response.status_code,
                  media_type, response.content)  # fmt: skip
        return response

    monkeypatch.setattr(TestClient, "request", request)
