"""A failed CLI run still answers --json, is recorded like a daemon run and leaves no step
outputs behind (issue 20)."""

from __future__ import annotations

import orjson

from tests.conftest import row, write_partner_csv
from tests.test_end_to_end import ingest_json, wppi


def _broken_home(tmp_path):
    """A home whose build warehouse is not a database: every run fails in its first step."""
    home = tmp_path / "wppi"
    (home / "warehouse").mkdir(parents=True)
    (home / "warehouse" / "build.duckdb").write_bytes(b"not a database" * 1000)
    return home


def _failures(home) -> list[dict]:
    return [orjson.loads(x) for x in (home / "run_failures.jsonl").read_text().splitlines()]


def test_failed_ingest_prints_json_and_is_recorded(tmp_path):
    home = _broken_home(tmp_path)
    good = write_partner_csv(tmp_path / "good.csv", [row()])
    code, [line] = ingest_json(home, good)
    assert code == 1
    assert line["file"] == str(good) and line["error"].startswith("wppi: run ")
    [failure] = _failures(home)
    assert failure["job"] == "all_sources" and failure["steps"]
    assert failure["run_id"] in line["error"]


def test_failed_run_prints_json_and_is_recorded(tmp_path):
    home = _broken_home(tmp_path)
    done = wppi(home, "run", "--json")
    assert done.returncode == 1
    [line] = [orjson.loads(x) for x in done.stdout.splitlines() if x.startswith("{")]
    assert line["error"].startswith("wppi: run ") and line["source"] is None
    [failure] = _failures(home)
    assert failure["job"] == "all_sources" and failure["run_id"] in line["error"]


def test_a_run_failing_at_publish_leaves_no_step_outputs(tmp_path):
    home = tmp_path / "wppi"
    (home / "snapshots" / "CURRENT").mkdir(parents=True)  # a folder where the pointer should be
    good = write_partner_csv(tmp_path / "good.csv", [row()])
    code, [line] = ingest_json(home, good)
    assert code == 1 and line["error"].startswith("wppi: run ")
    [failure] = _failures(home)
    assert failure["steps"][0]["step"] == "published_snapshot"
    outputs = home / "dagster_storage"
    assert not outputs.exists() or not any(outputs.iterdir()), list(outputs.rglob("*"))
