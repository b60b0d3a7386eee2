"""Landing folders in Dagster: which files a raw asset takes, the sensor that starts one
ingestion run per new content in a source's landing folder, and the retention of incident
files."""

import time
from collections.abc import Iterable
from pathlib import Path

import dagster as dg
from pydantic import Field

from pipelines.resources import WarehouseResource
from pipelines.sources.intake import inside_folder, landed_sha256
from warehouse.load import file_statuses
from warehouse.personal_data import file_label

# Sources whose files list incidents one by one, with victims' names, places and free text:
# WPPI keeps only counts, so the raw files leave landing once ingested (and retained).
INCIDENT_ADAPTERS = frozenset({"cpj", "insecurity_insight"})


class LandingFilesConfig(dg.Config):
    files: list[str] = Field(
        default_factory=list,
        description="Files in the source's landing folder to ingest now, by label "
        "(`sha256:` + 16 hex digits of the name: a name may hold personal data, and run "
        "configs are kept); empty means every file whose content has not been ingested "
        "(loaded or rejected) before.",
    )


def prune_incident_files(folder: Path, ingested: Iterable[str], retention_days: float) -> list[str]:
    """Delete the files of `folder` whose content was ingested (loaded or rejected: the hash
    is in `ingested`) and that landed more than `retention_days` ago; return their labels."""
    ingested = set(ingested)
    cutoff = time.time() - retention_days * 86400
    removed = []
    for path in sorted(folder.iterdir()) if folder.is_dir() else []:
        if path.is_symlink() or not path.is_file() or path.stat().st_mtime > cutoff:
            continue
        if landed_sha256(folder, path.name) in ingested:
            path.unlink()
            removed.append(file_label(path.name))
    return removed


def ingested_files(warehouse: WarehouseResource) -> dict[str, str]:
    """Content hash -> status of every file the build warehouse has seen."""
    con = warehouse.open_build()
    try:
        return file_statuses(con)
    finally:
        con.close()


def files_config(source: str, names: list[str]) -> dict:
    """Run config that makes raw_<source> take exactly `names` (given by label)."""
    return {"ops": {f"raw_{source}": {"config": {"files": [file_label(n) for n in names]}}}}


def landing_sensor(source: str) -> dg.SensorDefinition:
    """A sensor on WPPI_HOME/landing/<source>/ that requests a <source>_ingest run per new
    content, naming the file (by label) so the run takes exactly that file.

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
                sha = f"outside:{file_label(path.name)}:{file_label(str(path.resolve()))}"
            if sha:
                # Dagster keeps run keys, configs and tags: a label, never the name.
                yield dg.RunRequest(
                    run_key=sha,
                    run_config=files_config(source, [path.name]),
                    tags={"wppi/file": file_label(path.name), "wppi/source": source},
                )

    return sensor
