"""A source's quarantine policy holds a mostly failing file back from publishing while the
other sources of the same run publish; a run that changes no observation publishes nothing;
every quarantine reason names its rule, in Dagster and in `/v1/quality` (issue 19)."""

from __future__ import annotations

import shutil
from pathlib import Path

import dagster as dg
import duckdb
from fastapi.testclient import TestClient

from api.main import create_app
from api.settings import ApiSettings
from pipelines.definitions import ALL_ASSETS
from pipelines.quarantine_rules import rule_of
from pipelines.sources.registry import BY_ID
from pipelines.step_storage import RunScopedIOManager
from tests.conftest import warehouse_at
from tests.pipelines.sources.conftest import real_file
from warehouse.layout import Layout
from warehouse.snapshots import current_snapshot, list_snapshots

FH = real_file("freedom_house_fiw/freedom-world_afg_extract.csv")
UIS_HEAD = "indicator_id,country_id,year,value,magnitude,qualifier\n" + (
    "#indicator+code,#country+code,#date+year,#indicator+value+num,,\n"
)


def _uis(values: list[str]) -> str:
    """A UIS NATMON file of girls' primary enrolment (GER.1.F) for AFG, one year per value."""
    return UIS_HEAD + "".join(f"GER.1.F,AFG,{2000 + i},{v},," + "\n" for i, v in enumerate(values))


def _land(home: Path, source: str, name: str, text: str | None = None) -> None:
    folder = home / "landing" / source
    folder.mkdir(parents=True, exist_ok=True)
    if text is None:
        shutil.copyfile(FH, folder / name)
    else:
        (folder / name).write_text(text, encoding="utf-8")


def _run(home: Path) -> dg.ExecuteInProcessResult:
    """Both sources' steps and publish, in one run, as the daily schedule runs them."""
    result = dg.materialize(
        ALL_ASSETS,
        selection=dg.AssetSelection.groups("freedom_house", "unesco_uis", "publish"),
        resources={
            "warehouse": warehouse_at(home),
            "io_manager": RunScopedIOManager(base_dir=str(Layout(home).step_outputs)),
        },
    )
    assert result.success
    return result


def _check(result: dg.ExecuteInProcessResult, asset: str, name: str):
    [found] = [
        e
        for e in result.get_asset_check_evaluations()
        if e.check_name == name and e.asset_key.path[-1] == asset
    ]
    return found


def _published(home: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(current_snapshot(home / "snapshots").path), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_a_file_over_its_sources_threshold_is_held_back_while_other_sources_publish(tmp_path):
    home = tmp_path / "wppi"
    assert BY_ID["unesco_uis"].quarantine.max_rate == 0.5
    _land(home, "freedom_house", FH.name)
    # 3 of 4 rows give no usable figure (75%): above UIS's 50%, so the good row waits too.
    _land(home, "unesco_uis", "uis_broken.csv", _uis(["104.2", "x", "", "n/a"]))
    result = _run(home)

    check = _check(result, "validated_unesco_uis", "quarantine_within_policy")
    assert not check.passed and check.severity == dg.AssetCheckSeverity.ERROR
    [held] = check.metadata["files_held_back"].value.values()
    assert "3 of 4 rows failed rules (75%)" in held and "threshold of 50%" in held
    assert _check(result, "validated_freedom_house", "quarantine_within_policy").passed

    sources = dict(_published(home, "select source_id, count(*) from observations group by all"))
    assert sources == {"freedomhouse.fiw": 36}  # the other source of the same run
    con = duckdb.connect(str(home / "warehouse" / "build.duckdb"), read_only=True)
    try:
        [batch] = con.execute(
            "select status, rows_in, rows_loaded, rows_quarantined from batches "
            "where adapter = 'unesco_uis'"
        ).fetchall()
        reasons = con.execute(
            "select line, reasons from quarantine join batches using (batch_id) "
            "where adapter = 'unesco_uis' order by line"
        ).fetchall()
    finally:
        con.close()
    assert batch == ("rejected", 4, 0, 4)  # every row in quarantine, the counts add up
    assert [line for line, _ in reasons] == [3, 4, 5, 6]
    # The row that passed is quarantined by the policy; the others keep their own rules too.
    held, number = "quarantine.rate_above_policy", {"value.number", "value.present"}
    assert {line: {rule_of(r) for r in found} for line, found in reasons} == {
        3: {held},
        4: {*number, held},
        5: {"value.empty"},
        6: {*number, held},
    }

    # Dagster names the rules of every quarantined row, readers' rules included.
    rules = {held: 3, "value.number": 2, "value.present": 2, "value.empty": 1}
    by_rule = _check(result, "validated_unesco_uis", "rows_pass_rules").metadata
    assert by_rule["failed_rows_by_rule"].value == rules
    observations = result.asset_materializations_for_node("unesco_uis_observations")[0]
    assert observations.metadata["rows_in"] == dg.IntMetadataValue(4)
    assert observations.metadata["rows_quarantined"] == dg.IntMetadataValue(4)
    assert observations.metadata["files_held_back"] == dg.IntMetadataValue(1)

    # /v1/quality names the same rules, never "other".
    with TestClient(create_app(ApiSettings(home=home))) as client:
        answer = client.get("/v1/quality")
    assert answer.status_code == 200, answer.text
    [uis] = [row for row in answer.json()["data"] if row["adapter"] == "unesco_uis"]
    assert {c["check"]: c["rows"] for c in uis["failed_checks"]} == rules


def test_a_run_that_changes_no_observation_publishes_nothing(tmp_path):
    home = tmp_path / "wppi"
    _land(home, "freedom_house", FH.name)
    _land(home, "unesco_uis", "uis.csv", _uis(["104.2", "98.1"]))
    _run(home)
    snapshots = home / "snapshots"
    first = current_snapshot(snapshots)
    extracts = sorted(p.name for p in (home / "extracts").iterdir())

    # The same figures again under new bytes (CRLF), a file held back whole, and a file
    # whose every row is quarantined: batches are recorded, nothing anyone reads changes.
    _land(home, "freedom_house", "again.csv", FH.read_text().replace("\n", "\r\n"))
    _land(home, "unesco_uis", "held.csv", _uis(["99.0", "x", "y"]))
    _land(home, "unesco_uis", "empty_values.csv", _uis(["", ""]))
    result = _run(home)

    loads = {
        node: result.output_for_node(node) for node in ("freedom_house_observations",
                                                       "unesco_uis_observations")
    }  # fmt: skip
    assert [o["rows_unchanged"] for o in loads["freedom_house_observations"]] == [36]
    assert sorted(o["rows_quarantined"] for o in loads["unesco_uis_observations"]) == [2, 3]
    published = result.asset_materializations_for_node("published_snapshot")[0].metadata
    assert published["snapshot_id"].value == first.id
    assert published["new_snapshot"].value is False
    assert current_snapshot(snapshots) == first
    assert [s.id for s in list_snapshots(snapshots)] == [first.id]
    assert sorted(p.name for p in (home / "extracts").iterdir()) == extracts

    # A real change publishes again.
    _land(home, "unesco_uis", "revised.csv", _uis(["104.9"]))
    _run(home)
    assert current_snapshot(snapshots) != first
