"""A source that has brought nothing new for longer than its `update_every` fails its check."""

from __future__ import annotations

import shutil

import dagster as dg
import duckdb

from pipelines.definitions import build_definitions
from pipelines.defs.freshness import freshness_checks
from pipelines.settings import PipelineSettings
from pipelines.sources.registry import SOURCES
from tests.pipelines.sources.conftest import real_file
from warehouse.catalog import load_catalog

FILES = {
    "freedom_house": real_file("freedom_house_fiw/freedom-world_afg_extract.csv"),
    "cpj": real_file("cpj_journalists_killed/cpj_killed_afg_pak_irn_extract.csv"),
}


def test_every_published_source_declares_how_often_it_updates():
    sources = load_catalog().sources
    declared = {s.id: s.update_every for s in sources.values() if s.update_every}
    assert declared["worldbank.wdi"] == "P3M" and declared["insecurity_insight.sind"] == "P1M"
    checked = {
        key.asset_key.path[-1]
        for c in freshness_checks
        for key in c.check_keys
        if key.name == "source_fresh"
    }
    due = [s for s in SOURCES if s.source_id and sources[s.source_id].update_every]
    assert checked == {f"{s.id}_observations" for s in due}
    # The daily run evaluates them after each source's load, and a schedule on its own.
    defs = build_definitions(PipelineSettings())
    daily = defs.resolve_job_def("all_sources").asset_layer.asset_graph.asset_check_keys
    assert {k.asset_key.path[-1] for k in daily if k.name == "source_fresh"} == checked
    assert defs.resolve_schedule_def("daily_freshness").job_name == "source_freshness"


def test_fresh_source_passes_overdue_and_never_loaded_sources_fail(tmp_path):
    home = tmp_path / "home"
    for adapter, path in FILES.items():
        (home / "landing" / adapter).mkdir(parents=True)
        shutil.copyfile(path, home / "landing" / adapter / path.name)
    defs = build_definitions(PipelineSettings(home=home))
    ingest = defs.resolve_job_def("all_sources")
    selection = sorted(dg.AssetSelection.groups(*FILES).resolve(ingest.asset_layer.asset_graph))
    with dg.DagsterInstance.ephemeral() as instance:
        loaded = ingest.execute_in_process(instance=instance, asset_selection=selection)
        assert loaded.success
        freshness = defs.resolve_job_def("source_freshness")
        first = freshness.execute_in_process(instance=instance)
        passed = {
            e.asset_key.path[-1]
            for e in first.get_asset_check_evaluations()
            if e.passed and e.check_name == "source_fresh"
        }
        assert passed == {"freedom_house_observations", "cpj_observations"}  # just loaded
        # CPJ (update_every P3M) last brought something 100 days ago.
        con = duckdb.connect(str(home / "warehouse" / "build.duckdb"))
        con.execute("update batches set loaded_at = loaded_at - interval 100 day "
                    "where adapter = 'cpj'")  # fmt: skip
        con.close()
        result = freshness.execute_in_process(instance=instance)
    checks = {
        e.asset_key.path[-1]: e
        for e in result.get_asset_check_evaluations()
        if e.check_name == "source_fresh"
    }
    sources = load_catalog().sources
    assert len(checks) == len(
        [s for s in SOURCES if s.source_id and sources[s.source_id].update_every]
    )
    assert checks["freedom_house_observations"].passed
    overdue = checks["cpj_observations"]
    assert not overdue.passed and overdue.severity == dg.AssetCheckSeverity.ERROR
    assert overdue.metadata["update_every"].value == "P3M"
    # 100 days minus three months (89 to 92 days), whole days, run time aside
    assert 7 <= overdue.metadata["overdue_days"].value <= 11
    never = checks["vdem_observations"]
    assert not never.passed and never.metadata["last_new_data"].value == "never"


def test_unesco_uis_is_fresh_by_delivery_and_stale_by_its_datas_latest_period(tmp_path):
    """The bundled UIS file arrives today, but its Afghan series end in 2018."""
    home = tmp_path / "home"
    uis = real_file("unesco_uis/NATMON_data_AFG.csv")
    (home / "landing" / "unesco_uis").mkdir(parents=True)
    shutil.copyfile(uis, home / "landing" / "unesco_uis" / uis.name)
    defs = build_definitions(PipelineSettings(home=home))
    ingest = defs.resolve_job_def("unesco_uis_ingest")
    freshness = defs.resolve_job_def("source_freshness")
    with dg.DagsterInstance.ephemeral() as instance:
        assert ingest.execute_in_process(instance=instance).success
        result = freshness.execute_in_process(instance=instance)
    checks = {
        e.check_name: e
        for e in result.get_asset_check_evaluations()
        if e.asset_key.path[-1] == "unesco_uis_observations"
    }
    assert checks["source_fresh"].passed  # delivered just now
    stale = checks["data_period_fresh"]
    assert not stale.passed and stale.severity == dg.AssetCheckSeverity.ERROR
    assert stale.metadata["latest_period_end"].value == "2018-12-31"
    assert stale.metadata["data_period"].value == "P3Y"
    assert stale.metadata["data_age_days"].value > 7 * 365
    # A source whose data reaches into the last three years passes (a revision to 2025).
    con = duckdb.connect(str(home / "warehouse" / "build.duckdb"))
    con.execute("update observations set period_end = current_date - interval 30 day "
                "where source_id = 'unesco.uis' and period_end = '2018-12-31'")  # fmt: skip
    con.close()
    with dg.DagsterInstance.ephemeral() as instance:
        again = freshness.execute_in_process(instance=instance)
    [fresh] = [
        e
        for e in again.get_asset_check_evaluations()
        if e.asset_key.path[-1] == "unesco_uis_observations" and e.check_name == "data_period_fresh"
    ]
    assert fresh.passed
