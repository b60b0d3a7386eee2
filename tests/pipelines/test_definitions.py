"""The Dagster definitions load and keep their public names (asset keys, jobs, automation)."""

import dagster as dg

from pipelines.definitions import build_definitions, defs
from pipelines.settings import PipelineSettings
from tests.conftest import land, row, warehouse_at
from warehouse.personal_data import file_label

EXPECTED_ASSETS = {
    "raw_partner",
    "conformed_partner",
    "validated_partner",
    "partner_observations",
    "published_snapshot",
    "extracts",
}
REAL_SOURCES = ("worldbank", "unhcr", "owid", "vdem", "wbl", "freedom_house", "giwps", "undp_hdr",
                "unesco_uis", "rsf", "insecurity_insight", "cpj", "policy_tracker",
                "hdx")  # fmt: skip
EXPECTED_ASSETS |= {
    f"{step}_{source}" for source in REAL_SOURCES for step in ("raw", "conformed", "validated")
} | {f"{source}_observations" for source in REAL_SOURCES}
EXPECTED_ASSETS |= {"live_worldbank", "live_unhcr"}  # live mode (issue 3)


def test_definitions_load_with_every_asset_job_schedule_and_sensor():
    repo = defs.get_repository_def()
    keys = {key.to_user_string() for key in repo.asset_graph.get_all_asset_keys()}
    assert keys == EXPECTED_ASSETS
    assert {"partner_ingest", "all_sources"} <= set(repo.job_names)
    assert defs.resolve_schedule_def("daily_sources").cron_schedule == "0 3 * * *"
    assert defs.resolve_sensor_def("partner_landing_sensor").job_name == "partner_ingest"


def test_landing_sensors_look_every_sensor_interval_seconds():
    assert defs.resolve_sensor_def("partner_landing_sensor").minimum_interval_seconds == 30
    quick = build_definitions(PipelineSettings(sensor_interval_seconds=5))
    assert quick.resolve_sensor_def("owid_landing_sensor").minimum_interval_seconds == 5


def test_sensor_requests_one_run_per_file_content(home):
    land(home, "a.csv", [row()])
    land(home, "b.csv", [row(value="2")])
    context = dg.build_sensor_context(resources={"warehouse": warehouse_at(home)})
    partner_landing_sensor = defs.resolve_sensor_def("partner_landing_sensor")
    requests = list(partner_landing_sensor(context))
    # Files by label: run configs are kept, and a name may hold personal data.
    assert [r.run_config["ops"]["raw_partner"]["config"]["files"] for r in requests] == [
        [file_label("a.csv")],
        [file_label("b.csv")],
    ]
    keys = [r.run_key for r in requests]
    assert len(set(keys)) == 2 and all(len(k) == 64 for k in keys)
    land(home, "b.csv", [row(value="3")])  # a changed file is new content: a new run key
    assert list(partner_landing_sensor(context))[1].run_key not in keys
