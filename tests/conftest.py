"""Shared fixtures: temporary WPPI homes, partner CSV files and in-process pipeline runs."""

from __future__ import annotations

import csv
import fcntl
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
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

WPPI = Path(sys.executable).with_name("wppi")
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


def run_sources(
    home: Path, sources: list[str] | None = None, files: list[str] | None = None
) -> dg.ExecuteInProcessResult:
    """Materialise the assets of `sources` (None: every source, as `wppi run` does) and then
    publish, in-process against `home`; `files` are the partner files raw_partner takes."""
    selection = dg.AssetSelection.groups(*sources, "publish") if sources else None
    config = {"raw_partner": {"config": {"files": files or []}}}
    return dg.materialize(
        ALL_ASSETS,
        selection=selection,
        resources={
            "warehouse": warehouse_at(home),
            "io_manager": RunScopedIOManager(base_dir=str(Layout(home).step_outputs)),
        },
        run_config={"ops": config} if not sources or "partner" in sources else None,
        raise_on_error=False,
    )


def run_partner(home: Path, files: list[str] | None = None) -> dg.ExecuteInProcessResult:
    """The run the partner landing sensor starts (its source's steps, then publish): a tenth
    of every source's steps, which tests about partner files need no more than it does."""
    return run_sources(home, ["partner"], files)


def land(home: Path, name: str, rows: list[dict]) -> str:
    folder = home / "landing" / "partner"
    folder.mkdir(parents=True, exist_ok=True)
    write_partner_csv(folder / name, rows)
    return name


# The slowest files (subprocess runs, live servers, daemons), slowest first, as CI's
# --durations lists them. `make test` hands whole files to the workers in collection order
# (--dist loadfile --no-loadscope-reorder), so these start first and the short files fill in
# at the end: a long file taken last would keep one worker busy while the other sits idle.
SLOW_FILES = (
    "tests/reliability/test_crashes.py",
    "tests/reliability/test_bad_input.py",
    "tests/pipelines/sources/test_published_values.py",  # builds real_run for its folder
    "tests/reliability/test_poison_files.py",  # builds bundle_home
    "tests/pipelines/test_backfill.py",
    "tests/api/test_chart_screenshots.py",
    "tests/pipelines/test_step_storage.py",
    "tests/test_end_to_end.py",
    "tests/reliability/test_failed_cli_runs.py",
    "tests/reliability/test_damaged_snapshots.py",
    "tests/deploy/test_object_store.py",
    "tests/deploy/test_replicas.py",
    "tests/reliability/test_dagster_stops.py",
    "tests/deploy/test_postgres_instance.py",
    "tests/reliability/test_serving_under_change.py",
    "tests/pipelines/test_ingest_formats.py",
    "tests/pipelines/test_partner_pipeline.py",
    "tests/api/test_schemathesis.py",
    "tests/pipelines/test_unmapped.py",
    "tests/pipelines/test_run_input_partner.py",
    "tests/pipelines/test_ledger_daemon.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """SLOW_FILES first, in their order; every other test keeps its place (a stable sort)."""
    rank = {path: n for n, path in enumerate(SLOW_FILES)}
    items.sort(key=lambda item: rank.get(item.nodeid.split("::")[0], len(SLOW_FILES)))


@pytest.fixture(scope="session", autouse=True)
def private_default_homes(tmp_path_factory) -> Iterator[None]:
    """WPPI_HOME and DAGSTER_HOME of this process (one per xdist worker) point into its own
    temporary folder: a test that builds settings from the environment never writes into the
    checkout's .wppi/ (which `make test` exports) nor into a folder another worker uses."""
    root = tmp_path_factory.mktemp("default_home")
    (root / "dagster").mkdir()
    with pytest.MonkeyPatch.context() as env:
        env.setenv("WPPI_HOME", str(root))
        env.setenv("DAGSTER_HOME", str(root / "dagster"))
        yield


def built_once(tmp_path_factory, worker_id: str, name: str, build: Callable[[Path], None]) -> Path:
    """The folder `name`, filled by `build(folder)` once per test run and then only read.

    Under pytest-xdist the first worker that asks builds it in the run's shared temporary
    folder while holding a lock; the others wait and reuse it. Only for results no test
    writes to (copy them first, as tests/pipelines/sources/test_real_with_sample.py does).
    """
    if worker_id == "master":  # not distributed: this process's own temporary folder
        folder = tmp_path_factory.mktemp(name)
        build(folder)
        return folder
    root = tmp_path_factory.getbasetemp().parent  # one per run, shared by its workers
    folder, done = root / name, root / f"{name}.built"
    with (root / f"{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            shutil.rmtree(folder, ignore_errors=True)  # what a failed build left
            folder.mkdir()
            build(folder)
            done.touch()
    return folder


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "wppi"


def _publish_sample(folder: Path) -> None:
    landing = folder / "wppi" / "landing" / "partner"
    landing.mkdir(parents=True)
    (landing / "partner_sample.csv").write_bytes(SAMPLE_CSV.read_bytes())
    assert run_partner(folder / "wppi").success


def _run_bundle(folder: Path) -> None:
    """A first `wppi run --json` into folder/wppi: the shipped real bundle, nothing else."""
    env = {**os.environ, "WPPI_HOME": str(folder / "wppi")}
    env.pop("DAGSTER_HOME", None)  # so runs are recorded in folder/wppi/dagster
    done = subprocess.run([str(WPPI), "run", "--json"], env=env, capture_output=True,
                          text=True, timeout=900, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]


@pytest.fixture(scope="session")
def bundle_home(tmp_path_factory, worker_id) -> Path:
    """A WPPI home (its Dagster instance in dagster/) after a user's first `wppi run`, built
    once for all xdist workers: tests copy it (`shutil.copytree`) before changing it."""
    return built_once(tmp_path_factory, worker_id, "bundle", _run_bundle) / "wppi"


@pytest.fixture(scope="session")
def sample_home(tmp_path_factory, worker_id) -> Path:
    """A WPPI home with the bundled sample ingested and published (shared by every xdist
    worker, read-only)."""
    return built_once(tmp_path_factory, worker_id, "sample", _publish_sample) / "wppi"


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
