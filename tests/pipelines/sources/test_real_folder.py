"""`wppi run --input ../shared/data/real` takes every data file and every row adds up."""

from __future__ import annotations

from pipelines.defs.landing_sources import ADAPTERS
from pipelines.sources.detect import DOCUMENTATION
from tests.pipelines.sources.conftest import REAL, needs_real
from warehouse.personal_data import file_label

pytestmark = needs_real


def test_every_data_file_is_taken_and_its_rows_add_up(real_run):
    data_files = {p.name for p in REAL.rglob("*") if p.is_file()
                  and p.suffix.lower() not in DOCUMENTATION}  # fmt: skip
    assert set(real_run.files) == data_files
    for name, line in real_run.files.items():
        assert line["error"] is None, line
        assert line["rows_in"] == line["rows_loaded"] + line["rows_quarantined"], name
    assert set(real_run.sources) == set(ADAPTERS)
    for source, line in real_run.sources.items():
        assert line["rows_loaded"] > 0, source


def test_quarantine_names_the_unmapped_spelling(real_run):
    reasons = [r[0] for r in real_run.query_build(
        "select unnest(reasons) from quarantine where file_name = ?",
        [file_label("WomenInLocalGov.csv")],
    )]  # fmt: skip
    assert any("place 'OWID_WRL'" in reason for reason in reasons)
