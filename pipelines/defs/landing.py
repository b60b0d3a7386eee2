"""Landing folders in Dagster: which files a raw asset takes, and the sensor that starts one
ingestion run per new content in a source's landing folder."""

import dagster as dg
from pydantic import Field

from pipelines.resources import WarehouseResource
from pipelines.sources.intake import inside_folder, landed_sha256
from warehouse.load import file_statuses


class LandingFilesConfig(dg.Config):
    files: list[str] = Field(
        default_factory=list,
        description="File names in the source's landing folder to ingest now; empty means "
        "every file whose content has not been ingested (loaded or rejected) before.",
    )


def ingested_files(warehouse: WarehouseResource) -> dict[str, str]:
    """Content hash -> status of every file the build warehouse has seen."""
    con = warehouse.open_build()
    try:
        return file_statuses(con)
    finally:
        con.close()


def files_config(source: str, names: list[str]) -> dict:
    """Run config that makes raw_<source> take exactly `names`."""
    return {"ops": {f"raw_{source}": {"config": {"files": names}}}}


def landing_sensor(source: str) -> dg.SensorDefinition:
    """A sensor on WPPI_HOME/landing/<source>/ that requests a <source>_ingest run per new
    content, naming the file so the run takes exactly that file.

    The run key is the file's sha256, so the same bytes never start a second run; a changed
    file is new content, hence a revision.
    """

    @dg.sensor(
        name=f"{source}_landing_sensor",
        job_name=f"{source}_ingest",
        minimum_interval_seconds=30,
        default_status=dg.DefaultSensorStatus.RUNNING,
        description=f"Start an ingestion run for each new file in landing/{source}/.",
    )
    def sensor(context: dg.SensorEvaluationContext, warehouse: WarehouseResource):
        folder = warehouse.layout.landing_for(source)
        folder.mkdir(parents=True, exist_ok=True)
        for path in sorted(folder.iterdir()):
            sha = None if path.name.startswith(".") else landed_sha256(folder, path.name)
            if sha is None and path.is_symlink() and not inside_folder(folder, path):
                # Run it anyway so the refusal is recorded with its reason, once per target.
                sha = f"outside:{path.name}:{path.resolve()}"
            if sha:
                yield dg.RunRequest(
                    run_key=sha,
                    run_config=files_config(source, [path.name]),
                    tags={"wppi/file": path.name, "wppi/source": source},
                )

    return sensor
