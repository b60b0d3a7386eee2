"""`wppi sources check FILE`: how a file would be recognised, read and mapped, without
loading anything (nothing is landed, nothing is written to the warehouse)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from pipelines.reading import ReadLimits
from pipelines.sources.detect import FOLDERS, recognition
from pipelines.sources.intake import read_landed_file
from pipelines.sources.long_records import unmapped_codes
from pipelines.sources.registry import BY_ID
from warehouse.catalog import load_catalog


def check_file(path: Path, limits: ReadLimits, source_id: str | None = None) -> dict:
    """Recognition, rows read, rows mapped per catalog indicator and each unmapped spelling."""
    if not path.is_file():
        return {
            "file": str(path),
            "source": None,
            "recognised_by": None,
            "error": f"{path}: no such file",
        }
    if source_id:
        how = "--source"
    elif (folder := FOLDERS.get(path.parent.name)) is not None:
        source_id, how = folder.id, f"folder {path.parent.name!r}"
    else:
        source_id, how = recognition(path)
    report = {"file": str(path), "source": source_id, "recognised_by": how}
    if source_id is None:
        return {**report, "error": f"{path}: no declared source recognises this file"}
    source = BY_ID[source_id]
    raw = read_landed_file(source, path.parent, path.name, None, limits, set_aside_refused=False)
    report |= {"format": source.description, "rows_in": raw.rows_in}
    if raw.error:
        return {**report, "error": raw.error}
    conformed = source.conform(raw, load_catalog())
    table = conformed.table
    mapped = Counter(
        zip(table["indicator_code"].to_pylist(), table["sex"].to_pylist(), strict=True)
    )
    return {
        **report,
        "rows_mapped": table.num_rows,
        "rows_quarantined": conformed.raw.malformed.num_rows,
        "indicators": [
            {"indicator_code": code, "sex": sex, "rows": rows}
            for (code, sex), rows in sorted(mapped.items())
        ],
        "unmapped": unmapped_codes(conformed.raw.malformed),
        "error": None,
    }
