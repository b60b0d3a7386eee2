"""`wppi run` lands the shipped bundle (and `--input` more files): every data file is taken,
every row adds up, and no invented (demo) value is loaded unless asked for."""

from __future__ import annotations

from fastapi.testclient import TestClient

from api.main import create_app
from api.settings import ApiSettings
from pipelines.sources.registry import FOLDERS
from tests.pipelines.sources.conftest import real_data_files
from warehouse.catalog import load_catalog
from warehouse.personal_data import file_label


def test_every_data_file_is_taken_and_its_rows_add_up(real_run):
    assert set(real_run.files) == {path.name for path in real_data_files()}
    for name, line in real_run.files.items():
        assert line["error"] is None, line
        assert line["rows_in"] == line["rows_loaded"] + line["rows_quarantined"], name
    # Every source whose folder the real data has ran, and only those.
    folders = {path.parent.name for path in real_data_files()}
    assert set(real_run.sources) == {FOLDERS[folder].id for folder in folders}
    for source, line in real_run.sources.items():
        assert line["rows_loaded"] > 0, source
        files = [f for f in real_run.files.values() if f["adapter"] == source]
        for key in ("rows_in", "rows_loaded", "rows_quarantined"):
            assert line[key] == sum(f[key] for f in files), (source, key)


def test_quarantine_names_the_unmapped_spelling(real_run):
    reasons = [r[0] for r in real_run.query_build(
        "select unnest(reasons) from quarantine where file_name = ?",
        [file_label("WomenInLocalGov.csv")],
    )]  # fmt: skip
    assert any("place 'OWID_WRL'" in reason for reason in reasons)


def test_the_default_run_loads_no_demo_data(real_run):
    demo = sorted(s.id for s in load_catalog().sources.values() if s.demo)
    assert demo == ["wppi.sample"]
    loaded = {source for (source,) in real_run.query_build(
        "select distinct source_id from observations")}  # fmt: skip
    assert loaded and not loaded & set(demo)
    served = real_run.query(
        "select count(*) from public_observations p join sources s on s.id = p.source_id "
        "where s.demo"
    )
    assert served == [(0,)]
    assert not list((real_run.home / "landing" / "partner").glob("*"))


def test_the_chart_page_opens_on_real_data_without_a_demo_notice(real_run):
    with TestClient(create_app(ApiSettings(home=real_run.home))) as client:
        page = client.get("/").text
    assert '<circle class="point"' in page  # an indicator with data, not an empty chart
    assert "demo-notice" not in page
