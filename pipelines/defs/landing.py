"""Landing folders in Dagster: which files a raw asset takes, the sensor that starts one
ingestion run per new content in a source's landing folder, and the retention of incident
files.

The ledger of ingested content is the build warehouse's `batches` table (keyed by the file's
sha256), written by every run whoever started it: a sensor, the daily schedule, the CLI or a
backfill. The sensor reads it, so bytes the CLI ingested never start a second run.
"""

import time
from collections.abc import Iterable
from datetime import UTC, date, datetime
from pathlib import Path

import dagster as dg
import duckdb
from pydantic import Field

from pipelines.resources import WarehouseResource
from pipelines.sources.intake import inside_folder, landed_sha256
from warehouse.load import file_statuses
from warehouse.personal_data import file_label


class LandingFilesConfig(dg.Config):
    """Which landed files a run takes. Naming files or a landing-date range is a backfill:
    those files are ingested again unless their content loaded before (a rejected or held-back
    file may have been fixed, or its source's policy changed), so re-running one gives the
    same warehouse as the first run did."""

    files: list[str] = Field(
        default_factory=list,
        description="Files in the source's landing folder to ingest now, by label "
        "(`sha256:` + 16 hex digits of the name: a name may hold personal data, and run "
        "configs are kept); empty means every file whose content has not been ingested "
        "(loaded or rejected) before.",
    )
    landed_from: str | None = Field(
        default=None,
        description="Backfill: only files that landed on or after this UTC date (YYYY-MM-DD).",
    )
    landed_until: str | None = Field(
        default=None,
        description="Backfill: only files that landed on or before this UTC date (YYYY-MM-DD).",
    )

    @property
    def backfill(self) -> bool:
        """Whether the files were chosen (by label or date), not just 'whatever is new'."""
        return bool(self.files or self.landed_from or self.landed_until)

    def landed_within(self, path: Path) -> bool:
        """Whether `path` landed (was last written) within the configured UTC dates."""
        landed = datetime.fromtimestamp(path.stat().st_mtime, UTC).date()
        after = self.landed_from is None or landed >= date.fromisoformat(self.landed_from)
        return after and (
            self.landed_until is None or landed <= date.fromisoformat(self.landed_until)
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


def ledger(path: Path, wait: float = 5.0) -> dict[str, str] | None:
    """Content hash -> status of every file the build warehouse at `path` recorded, read
    without taking the writer's lock; None while a run holds it for longer than `wait`."""
    if not path.is_file():
        return {}
    deadline = time.monotonic() + wait
    while True:
        try:
            con = duckdb.connect(str(path), read_only=True)
            break
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower():
                raise
            if time.monotonic() > deadline:
                return None
            time.sleep(0.5)
    try:
        return file_statuses(con)
    finally:
        con.close()


def files_config(source: str, names: list[str]) -> dict:
    """Run config that makes raw_<source> take exactly `names` (given by label)."""
    return {"ops": {f"raw_{source}": {"config": {"files": [file_label(n) for n in names]}}}}


def landing_sensor(source: str, interval_seconds: int) -> dg.SensorDefinition:
    """A sensor on WPPI_HOME/landing/<source>/ that requests a <source>_ingest run per
    content not in the ledger, naming the file (by label) so the run takes exactly that file.

    Content already ingested (loaded or rejected) by any run starts nothing; the run key is
    the file's sha256, so content seen while its run is still queued starts nothing either.
    A changed file is new content, hence a revision.
    """

    @dg.sensor(
        name=f"{source}_landing_sensor",
        job_name=f"{source}_ingest",
        minimum_interval_seconds=interval_seconds,
        default_status=dg.DefaultSensorStatus.RUNNING,
        description=f"Start an ingestion run for each new file in landing/{source}/.",
    )
    def sensor(context: dg.SensorEvaluationContext, warehouse: WarehouseResource):
        folder = warehouse.layout.landing_for(source)
        folder.mkdir(parents=True, exist_ok=True)
        ingested = ledger(warehouse.layout.build_warehouse)
        if ingested is None:
            return dg.SkipReason("the build warehouse is being written; looking again next tick")
        requests = []
        for path in sorted(folder.iterdir()):
            sha = None if path.name.startswith(".") else landed_sha256(folder, path.name)
            if sha is None and path.is_symlink() and not inside_folder(folder, path):
                # Run it anyway so the refusal is recorded with its reason, once per target.
                sha = f"outside:{file_label(path.name)}:{file_label(str(path.resolve()))}"
            if sha and sha not in ingested:
                # Dagster keeps run keys, configs and tags: a label, never the name.
                requests.append(
                    dg.RunRequest(
                        run_key=sha,
                        run_config=files_config(source, [path.name]),
                        tags={"wppi/file": file_label(path.name), "wppi/source": source},
                    )
                )
        return requests or dg.SkipReason(f"nothing new in landing/{source}/")

    return sensor
