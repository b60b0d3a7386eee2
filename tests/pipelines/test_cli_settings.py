"""The CLI hands its settings on as objects: a run leaves the process environment as it
found it and is still recorded in WPPI_HOME/dagster (or DAGSTER_HOME when set)."""

import os

from pipelines.cli import main
from tests.conftest import row, write_partner_csv


def test_ingest_records_the_run_without_touching_the_environment(tmp_path, monkeypatch, capsys):
    home = tmp_path / "wppi"
    monkeypatch.setenv("WPPI_HOME", str(home))
    monkeypatch.delenv("DAGSTER_HOME", raising=False)
    before = dict(os.environ)
    path = write_partner_csv(tmp_path / "partner.csv", [row()])
    assert main(["ingest", str(path), "--json"]) == 0
    assert dict(os.environ) == before
    assert (home / "dagster" / "history" / "runs.db").is_file()
    assert '"rows_loaded":1' in capsys.readouterr().out
