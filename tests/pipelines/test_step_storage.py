"""Raw source rows do not stay on disk after a run: step outputs live per run and are deleted."""

import os
import time
from datetime import timedelta
from pathlib import Path

from pipelines import step_storage
from tests.conftest import land, row, run_partner
from warehouse.layout import Layout

MARKER = "QZ7731-raw-marker"  # a value only the raw input holds (a misspelt number)
RETENTION = timedelta(days=90)


def files_holding(root: Path, text: str) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file() and text.encode() in p.read_bytes()]


def land_marked_file(home: Path, name: str) -> None:
    land(home, name, [row(), row(period="2022-04", value=MARKER)])


def test_after_a_run_only_the_landed_file_and_the_warehouse_hold_a_raw_value(home):
    land_marked_file(home, "a.csv")
    assert run_partner(home).success
    layout = Layout(home)
    holders = files_holding(home, MARKER)
    # The submission itself and the build warehouse (quarantine keeps the raw row, with its
    # retention) may hold it; DuckDB may compress the string, so it is checked by query.
    assert set(holders) <= {layout.landing_for("partner") / "a.csv", layout.build_warehouse}
    assert layout.landing_for("partner") / "a.csv" in holders  # the search can find it
    import duckdb

    con = duckdb.connect(str(layout.build_warehouse), read_only=True)
    raws = [r for (r,) in con.execute("select raw from quarantine").fetchall()]
    con.close()
    assert any(MARKER in r for r in raws)
    assert not list(layout.step_outputs.rglob("*_partner"))


def test_a_failed_run_leaves_its_outputs_until_the_retention_prunes_them(home, monkeypatch):
    import pipelines.defs.source_steps as source_steps

    def broken_load(*args, **kwargs):
        raise RuntimeError("disk full")

    land_marked_file(home, "a.csv")
    with monkeypatch.context() as patch:
        patch.setattr(source_steps, "load_batches", broken_load)
        failed = run_partner(home)
    assert not failed.success
    storage = Layout(home).step_outputs
    left = storage / failed.run_id
    partner = {p.name for p in left.iterdir() if p.name.endswith("_partner")}
    assert partner == {"raw_partner", "conformed_partner", "validated_partner"}
    # The pickles do hold raw rows: this is what must not outlive the retention.
    assert files_holding(left, MARKER)
    assert step_storage.prune(storage, RETENTION) == []  # young: kept for a re-execution

    old = time.time() - timedelta(days=91).total_seconds()
    for path in (left, *left.rglob("*")):
        os.utime(path, (old, old))
    land(home, "b.csv", [row(period="2022-05")])
    assert run_partner(home, files=["b.csv"]).success
    assert not left.exists()
    assert not files_holding(storage, MARKER)


def test_discard_removes_only_the_named_outputs_and_then_the_empty_run_folder(tmp_path):
    run = tmp_path / "run-1"
    run.mkdir()
    for name in ("raw_x", "conformed_x", "validated_x", "x_observations"):
        (run / name).write_bytes(b"rows")
    step_storage.discard(tmp_path, "run-1", ["raw_x", "conformed_x", "validated_x"])
    assert [p.name for p in run.iterdir()] == ["x_observations"]
    step_storage.discard(tmp_path, "run-1", ["x_observations"])
    assert not run.exists()
    step_storage.discard(tmp_path, "never-ran", ["raw_x"])  # nothing there: no error


def partner_ingest_job():
    """Loaded again in each step's process by the multi-process executor (WPPI_HOME from env)."""
    from pipelines.definitions import build_definitions
    from pipelines.settings import PipelineSettings

    return build_definitions(PipelineSettings()).resolve_job_def("partner_ingest")


def test_multi_process_run_hands_outputs_between_processes_and_deletes_them(
    home, tmp_path, monkeypatch
):
    """As under `dagster dev`: every step runs in its own process, so outputs go by disk."""
    import dagster as dg

    monkeypatch.setenv("WPPI_HOME", str(home))
    land_marked_file(home, "a.csv")
    with dg.instance_for_test(temp_dir=str(tmp_path)) as instance:
        result = dg.execute_job(
            dg.reconstructable(partner_ingest_job), instance=instance, raise_on_error=False
        )
        assert result.success
        executor = {e.event_type_value for e in result.all_events}
        assert "STEP_WORKER_STARTED" in executor  # steps really ran in their own processes
    assert set(files_holding(home, MARKER)) <= {
        Layout(home).landing_for("partner") / "a.csv",
        Layout(home).build_warehouse,
    }
    assert not list(Layout(home).step_outputs.rglob("*_partner"))
