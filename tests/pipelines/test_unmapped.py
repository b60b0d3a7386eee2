"""Unmapped means explained: each spelling without a mapping is reported once with its row
count (ingest --json, Dagster metadata, /v1/quality by rule), and `wppi sources check` shows
how a file would be read and mapped without loading it."""

from __future__ import annotations

from pathlib import Path

import orjson
from fastapi.testclient import TestClient

from api.main import create_app
from api.settings import ApiSettings
from tests.test_end_to_end import ingest_json, wppi
from warehouse.personal_data import file_label

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "sources"
OWID = FIXTURES / "owid_grapher_women_in_parliament.csv"
VDEM = FIXTURES / "vdem_v10_country_year_layout.csv"


def test_sources_check_reports_recognition_mapping_and_unmapped_without_loading(tmp_path):
    home = tmp_path / "home"
    done = wppi(home, "sources", "check", "--json", str(OWID))
    assert done.returncode == 0, done.stderr
    report = orjson.loads(done.stdout)
    assert report["source"] == "owid"
    assert report["recognised_by"] == "signature 'Entity,Code,Year'"
    assert (report["rows_in"], report["rows_mapped"], report["rows_quarantined"]) == (4, 2, 2)
    assert report["indicators"] == [
        {"indicator_code": "politics.women_parliament_share", "sex": "_T", "rows": 2}
    ]
    assert report["unmapped"] == [
        {"field": "geo_code", "code": "", "rows": 1},
        {"field": "geo_code", "code": "OWID_WRL", "rows": 1},
    ]
    assert not (home / "landing").exists() and not (home / "warehouse").exists()
    unknown = tmp_path / "notes.csv"
    unknown.write_text("when,who\n2024,team\n")
    done = wppi(home, "sources", "check", "--json", str(unknown), str(tmp_path / "missing.csv"))
    assert done.returncode == 1
    unrecognised, missing = map(orjson.loads, done.stdout.splitlines())
    assert unrecognised["source"] is None and "no declared source" in unrecognised["error"]
    assert missing["error"].endswith("missing.csv: no such file")


def test_ingest_reports_each_unmapped_code_once_and_quality_counts_them(tmp_path):
    home = tmp_path / "home"
    code, [line] = ingest_json(home, VDEM)
    assert code == 0
    assert (line["rows_in"], line["rows_loaded"], line["rows_quarantined"]) == (5, 3, 2)
    assert line["unmapped"] == [{"field": "indicator", "code": "v2x_gender_codelow", "rows": 2}]
    with TestClient(create_app(ApiSettings(home=home))) as client:
        body = client.get("/v1/quality").json()
    [vdem] = [row for row in body["data"] if row["adapter"] == "vdem"]
    assert {"check": "indicator.unmapped", "rows": 2} in vdem["failed_checks"]
    # The spelling itself stays out of the public API: only the rule name and a count.
    assert "v2x_gender_codelow" not in str(body)


def test_dagster_metadata_lists_unmapped_codes_per_file(tmp_path):
    import shutil

    import dagster as dg

    from pipelines.definitions import build_definitions
    from pipelines.settings import PipelineSettings

    home = tmp_path / "home"
    (home / "landing" / "vdem").mkdir(parents=True)
    shutil.copyfile(VDEM, home / "landing" / "vdem" / VDEM.name)
    job = build_definitions(PipelineSettings(home=home)).resolve_job_def("vdem_ingest")
    with dg.DagsterInstance.ephemeral() as instance:
        result = job.execute_in_process(instance=instance)
        [materialization] = [m for m in result.asset_materializations_for_node("vdem_observations")]
    assert materialization.metadata["unmapped"].data == {
        # Dagster keeps metadata: the file by its label, never its name (issue 15).
        file_label(VDEM.name): [{"field": "indicator", "code": "v2x_gender_codelow", "rows": 2}]
    }
