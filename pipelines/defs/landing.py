"""Landing folders: which file names are safe to read, their content hashes, the sensor
that starts one ingestion run per new content in a source's landing folder, and the
retention of incident files."""

import time
from collections.abc import Callable, Iterable
from pathlib import Path

import dagster as dg

from pipelines.resources import WarehouseResource
from pipelines.sources.partner import sha256_file
from warehouse.load import file_statuses
from warehouse.personal_data import file_label

# Sources whose files list incidents one by one, with victims' names, places and free text:
# WPPI keeps only counts, so the raw files leave landing once ingested (and retained).
INCIDENT_ADAPTERS = frozenset({"cpj", "insecurity_insight"})


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


def inside_folder(folder: Path, path: Path) -> bool:
    """False for a name or symlink that leads out of the landing folder."""
    return path.resolve().is_relative_to(folder.resolve())


def landed_sha256(folder: Path, name: str) -> str | None:
    """Content hash of a landed file, or None when it is missing or leads outside the folder."""
    path = folder / name
    return sha256_file(path) if path.is_file() and inside_folder(folder, path) else None


def landing_sensor(
    adapter: str, job_name: str, run_config: Callable[[str], dict] | None = None
) -> dg.SensorDefinition:
    """A sensor on WPPI_HOME/landing/<adapter>/ that requests a `job_name` run per new content.

    The run key is the file's sha256, so the same bytes never start a second run; a changed
    file is new content, hence a revision. `run_config(name)` tells the run which file to take
    (partner); without it the run reads every file of the folder not ingested before.
    """

    @dg.sensor(
        name=f"{adapter}_landing_sensor",
        job_name=job_name,
        minimum_interval_seconds=30,
        default_status=dg.DefaultSensorStatus.RUNNING,
        description=f"Start an ingestion run for each new file in landing/{adapter}/.",
    )
    def sensor(context: dg.SensorEvaluationContext, warehouse: WarehouseResource):
        folder = warehouse.layout.landing_for(adapter)
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
                    run_config=run_config(path.name) if run_config else {},
                    tags={"wppi/file": file_label(path.name), "wppi/source": adapter},
                )

    return sensor
