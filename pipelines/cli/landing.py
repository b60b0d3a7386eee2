"""Landing files given on the command line in their sources' landing folders, and the
per-file summary lines of what a run made of them."""

from __future__ import annotations

import shutil
from pathlib import Path

from warehouse.files import file_digest
from warehouse.layout import Layout
from warehouse.personal_data import file_label

SUMMARY_KEYS = ("file", "rows_in", "rows_loaded", "rows_quarantined", "error")


def land_file(folder: Path, source: Path) -> str:
    """Copy a file into the landing folder, never overwriting different content of the same name."""
    target = folder / source.name
    sha256 = file_digest(source).sha256
    if target.exists() and file_digest(target).sha256 != sha256:
        target = folder / f"{source.stem}.{sha256[:8]}{source.suffix}"
    if not target.exists():
        shutil.copyfile(source, target)
    return target.name


def summary(file: str, rows_in=0, rows_loaded=0, rows_quarantined=0, error=None, note=None):
    """One line of a command's report: the keys `--json` prints for each file."""
    summary = {
        "file": file,
        "rows_in": rows_in,
        "rows_loaded": rows_loaded,
        "rows_quarantined": rows_quarantined,
        "error": error,
    }
    if note:
        summary["note"] = note
    return summary


def land_folder(layout: Layout, folder: Path) -> tuple[dict, list[dict]]:
    """Land every data file under `folder` in its source's landing folder.

    Returns {(source, landed name): given path} and per-file lines for files no source
    takes. Documentation files (PROVENANCE.md, ...) are not data and are passed over.
    """
    from pipelines.sources.detect import DOCUMENTATION, detect_source
    from pipelines.sources.registry import BY_ID

    landed: dict[tuple[str, str], str] = {}
    refused = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        if path.suffix.lower() in DOCUMENTATION or path.name.startswith("."):
            continue
        adapter = detect_source(path)
        if adapter is None:
            known = ", ".join(BY_ID)
            refused.append(
                summary(str(path), error=f"{path}: no adapter recognises this file ({known})")
            )
            continue
        landing = layout.landing_for(adapter)
        landing.mkdir(parents=True, exist_ok=True)
        landed[(adapter, land_file(landing, path))] = str(path)
    return landed, refused


def file_lines(landed: dict, outcomes: list[dict]) -> list[dict]:
    """A report line for each landed file from the run's outcomes, named as the operator gave
    it (runs know files only by their label)."""
    by_file = {(o["adapter"], o["file_name"]): o for o in outcomes}
    lines = []
    for (adapter, name), given in landed.items():
        outcome = by_file.get((adapter, file_label(name)))  # runs know files by label
        if outcome and outcome["error"]:  # the operator's own terminal may name the file
            outcome = {**outcome, "error": outcome["error"].replace(file_label(name), name)}
        line = (
            summary(given, **{k: outcome[k] for k in SUMMARY_KEYS[1:]})
            if outcome
            else summary(given, note="content already ingested; nothing changed")
        )
        if outcome and outcome.get("unmapped"):
            line["unmapped"] = outcome["unmapped"]
        lines.append({**line, "adapter": adapter})
    return lines
