"""Every kind of bad partner file, through `wppi ingest` and through the landing-folder sensor.

For each file: the outcome is the expected one (loaded, rows quarantined, or refused whole),
rows in = loaded + quarantined, each quarantined row's reason names its field, a refusal
names the file, and the file is still in the landing folder, unchanged, for replay.
"""

from __future__ import annotations

import dagster as dg
import duckdb
import pytest

from pipelines.definitions import build_definitions
from pipelines.defs.landing import landing_sensor
from pipelines.settings import PipelineSettings
from tests.conftest import warehouse_at
from tests.reliability.corpus import CASES, Case
from tests.test_end_to_end import ingest_json
from warehouse.personal_data import file_label

BY_NAME = {case.name: case for case in CASES}


def test_the_corpus_has_at_least_thirty_kinds():
    assert len(CASES) >= 30
    assert {c.level for c in CASES} == {"file", "row", "none"}


def _quarantine(home) -> dict[str, dict[int, list[str]]]:
    con = duckdb.connect(str(home / "warehouse" / "build.duckdb"), read_only=True)
    try:
        rows = con.execute("select file_name, line, reasons from quarantine").fetchall()
    finally:
        con.close()
    found: dict[str, dict[int, list[str]]] = {}
    for name, line, reasons in rows:
        found.setdefault(name, {})[line] = reasons
    return found


def _assert_later_file_revised_earlier(home) -> None:
    """duplicate_key_across_b.csv revises a's row: both kept, b's value is the current one."""
    con = duckdb.connect(str(home / "warehouse" / "build.duckdb"), read_only=True)
    try:
        history = con.execute(
            "select value, superseded_at is null from observations"
            " where period_start = '2021-02-01' and geo_code = 'AF-KAB'"
            " order by superseded_at nulls last"
        ).fetchall()
    finally:
        con.close()
    assert history == [(5.0, False), (7.0, True)]


def _check(
    case: Case, outcome: dict, quarantine: dict[int, list[str]], landing, original, shown=None
):
    """`shown`: how the outcome's error names the file (the CLI names it as the operator gave
    it; runs and quarantine know it by label only)."""
    counts = (outcome["rows_in"], outcome["rows_loaded"], outcome["rows_quarantined"])
    assert counts == case.rows, case.name
    assert outcome["rows_in"] == outcome["rows_loaded"] + outcome["rows_quarantined"]
    assert len(quarantine) == outcome["rows_quarantined"], case.name
    if case.error:
        label = file_label(case.name)  # files are named by label: a name may be personal
        assert (shown or label) in outcome["error"] and case.error in outcome["error"], outcome
        assert all(any(label in r for r in reasons) for reasons in quarantine.values())
    else:
        assert outcome["error"] is None, (case.name, outcome["error"])
    for line, fragment in case.reasons.items():
        assert any(fragment in reason for reason in quarantine[line]), (case.name, line)
    kept = landing / case.name
    assert kept.is_symlink() or kept.read_bytes() == original, f"{case.name} not kept as landed"


@pytest.fixture(scope="module")
def corpus_files(tmp_path_factory):
    """The corpus written once to a submission folder (the symlink is made where it lands)."""
    folder = tmp_path_factory.mktemp("submitted")
    return {c.name: c.write(folder) for c in CASES if c.name != "symlink_outside.csv"}


def test_corpus_through_wppi_ingest(tmp_path, corpus_files):
    home = tmp_path / "wppi"
    landing = home / "landing" / "partner"
    landing.mkdir(parents=True)
    link = BY_NAME["symlink_outside.csv"].write(landing)
    # One run takes every file (about 100 MB in all); a busy CI machine needs the margin.
    code, summaries = ingest_json(home, *corpus_files.values(), link, timeout=1200)
    assert code == 1  # some files were refused whole
    by_file = {s["file"].rsplit("/", 1)[-1]: s for s in summaries}
    assert set(by_file) == set(BY_NAME)
    quarantine = _quarantine(home)
    for case in CASES:
        original = None if case.name == link.name else corpus_files[case.name].read_bytes()
        quarantined = quarantine.get(file_label(case.name), {})
        _check(case, by_file[case.name], quarantined, landing, original, shown=case.name)
    _assert_later_file_revised_earlier(home)


def test_corpus_through_the_landing_sensor(tmp_path, corpus_files):
    home = tmp_path / "wppi"
    landing = home / "landing" / "partner"
    landing.mkdir(parents=True)
    for case in CASES:
        if case.name in corpus_files:
            (landing / case.name).write_bytes(corpus_files[case.name].read_bytes())
        else:
            case.write(landing)
    context = dg.build_sensor_context(resources={"warehouse": warehouse_at(home)})
    requests = list(landing_sensor("partner", 30)(context))
    assert sorted(r.tags["wppi/file"] for r in requests) == sorted(map(file_label, BY_NAME))
    job = build_definitions(PipelineSettings(home=home)).resolve_job_def("partner_ingest")
    outcomes = {}
    with dg.DagsterInstance.ephemeral() as instance:
        for request in requests:
            result = job.execute_in_process(
                run_config=request.run_config, instance=instance, tags=request.tags
            )
            assert result.success, request.tags
            [outcome] = result.output_for_node("partner_observations")
            outcomes[outcome["file_name"]] = outcome
    quarantine = _quarantine(home)
    for case in CASES:
        original = None if case.name == "symlink_outside.csv" else corpus_files[case.name]
        label = file_label(case.name)
        _check(case, outcomes[label], quarantine.get(label, {}), landing,
               original and original.read_bytes())  # fmt: skip
    _assert_later_file_revised_earlier(home)
