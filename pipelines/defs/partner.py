"""Partner CSV submissions: the raw asset that reads files, and the landing-folder sensor."""

from pathlib import Path

import dagster as dg
import pyarrow as pa
from pydantic import Field

from pipelines.batches import FileRejected, RawBatch
from pipelines.defs.landing import ingested_files, inside_folder, landed_sha256, landing_sensor
from pipelines.defs.operations import SOURCE_RETRY
from pipelines.defs.source_steps import source_steps
from pipelines.resources import WarehouseResource
from pipelines.sources.partner import ADAPTER, conform_partner, read_partner_file
from warehouse.personal_data import file_label


class PartnerFilesConfig(dg.Config):
    files: list[str] = Field(
        default_factory=list,
        description="Files in the partner landing folder to ingest now, by label "
        "(`sha256:` + 16 hex digits of the name: a name may hold personal data, and run "
        "configs are kept); empty means every file whose content has not been ingested "
        "(loaded or rejected) before.",
    )


def _read(folder: Path, name: str, sha: str | None) -> RawBatch:
    """Read one landed file; a file that cannot be taken becomes a batch carrying the reason."""
    path = folder / name
    try:
        if not inside_folder(folder, path):
            raise FileRejected(f"{name}: points outside the landing folder; refused")
        return read_partner_file(path)
    except (FileRejected, OSError) as exc:
        message = str(exc) if isinstance(exc, FileRejected) else f"{name}: cannot be read ({exc})"
        empty = pa.table({"_line": pa.array([], pa.int64()), "_raw": pa.array([], pa.string())})
        return RawBatch(ADAPTER, name, sha, empty, error=message)


@dg.asset(group_name=ADAPTER, tags={"source": ADAPTER}, retry_policy=SOURCE_RETRY)
def raw_partner(
    context: dg.AssetExecutionContext, config: PartnerFilesConfig, warehouse: WarehouseResource
) -> list[RawBatch]:
    """Partner CSV files from the landing folder, read as text rows with their line numbers.

    A file whose bytes were loaded before is skipped: the same submission twice changes nothing.
    """
    folder = warehouse.layout.landing_for(ADAPTER)
    folder.mkdir(parents=True, exist_ok=True)
    seen = ingested_files(warehouse)
    landed = {file_label(p.name): p.name for p in folder.iterdir() if not p.name.startswith(".")}
    labels = config.files or sorted(landed, key=landed.get)
    batches = []
    for label in labels:
        name = landed.get(label, label)
        sha = landed_sha256(folder, name)
        if sha and (seen.get(sha) == "loaded" or (not config.files and sha in seen)):
            context.log.info(f"{label}: content already ingested ({seen[sha]}); skipped")
            continue
        batches.append(_read(folder, name, sha).labelled())
    context.add_output_metadata({"files": len(batches), "rows_in": sum(b.rows_in for b in batches)})
    return batches


# Each file names itself (by label) in the run's config, so the run takes exactly that file.
partner_landing_sensor = landing_sensor(
    ADAPTER,
    "partner_ingest",
    lambda name: {"ops": {"raw_partner": {"config": {"files": [file_label(name)]}}}},
)

partner_assets = [raw_partner, *source_steps(ADAPTER, conform_partner)]
