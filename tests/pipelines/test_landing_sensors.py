"""One landing-folder sensor per source, generated from the source registry."""

from __future__ import annotations

import hashlib
import shutil

import dagster as dg

from pipelines.definitions import build_definitions
from pipelines.settings import PipelineSettings
from pipelines.sources.registry import BY_ID
from tests.conftest import warehouse_at
from tests.pipelines.sources.conftest import real_file
from warehouse.personal_data import file_label

FH = real_file("freedom_house_fiw/freedom-world_afg_extract.csv")


def test_every_source_has_a_sensor_on_its_own_job():
    defs = build_definitions(PipelineSettings())
    for adapter in BY_ID:
        sensor = defs.resolve_sensor_def(f"{adapter}_landing_sensor")
        assert sensor.job_name == f"{adapter}_ingest"
        assert sensor.default_status == dg.DefaultSensorStatus.RUNNING
    assert defs.resolve_sensor_def("partner_landing_sensor").job_name == "partner_ingest"


def test_a_file_in_a_source_folder_requests_one_run_that_ingests_it(tmp_path):
    home = tmp_path / "home"
    folder = home / "landing" / "freedom_house"
    folder.mkdir(parents=True)
    shutil.copyfile(FH, folder / FH.name)
    defs = build_definitions(PipelineSettings(home=home))
    sensor = defs.resolve_sensor_def("freedom_house_landing_sensor")
    context = dg.build_sensor_context(resources={"warehouse": warehouse_at(home)})
    [request] = list(sensor(context))
    assert request.run_key == hashlib.sha256(FH.read_bytes()).hexdigest()
    assert request.tags == {"wppi/file": file_label(FH.name), "wppi/source": "freedom_house"}
    # The same bytes under another name, or the next tick: the same run key, which Dagster
    # never launches twice for a sensor.
    shutil.copyfile(FH, folder / "copy.csv")
    assert {r.run_key for r in sensor(context)} == {request.run_key}
    # Other content is a new key.
    (folder / "copy.csv").write_bytes(FH.read_bytes().replace(b"\n", b"\r\n"))
    assert len({r.run_key for r in sensor(context)}) == 2
    (folder / "copy.csv").unlink()

    job = defs.resolve_job_def(request.job_name or sensor.job_name)
    with dg.DagsterInstance.ephemeral() as instance:
        first = job.execute_in_process(run_config=request.run_config, instance=instance,
                                       tags=request.tags)  # fmt: skip
        [outcome] = first.output_for_node("freedom_house_observations")
        # The excerpt's 6 rows x the 6 scores the adapter maps.
        assert (outcome["file_name"], outcome["rows_loaded"]) == (file_label(FH.name), 36)
        # Were the request made again, the run would find nothing new.
        again = job.execute_in_process(run_config=request.run_config, instance=instance)
        assert again.output_for_node("freedom_house_observations") == []
