"""Written extracts on disk: list them, find a file safely, verify, copy and prune them.

The API serves files only through `extract_file`, which accepts a file only when the
extract's own manifest names it and it is a regular file inside the extract folder, so no
client string ever becomes a path on its own.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from warehouse.files import file_digest
from warehouse.snapshots import SNAPSHOT_ID

MANIFEST = "datapackage.json"


@dataclass(frozen=True)
class ExtractFile:
    name: str
    bytes: int
    sha256: str
    rows: int | None  # None for the manifest itself


@dataclass(frozen=True)
class Extract:
    snapshot_id: str
    created: str
    schema_version: str
    files: list[ExtractFile]


def byte_count(resource: dict) -> int:
    """A resource's size: `wppi_bytes` (schema 2: frictionless cannot count a Parquet file's
    bytes, so the standard `bytes` would fail its validation), `bytes` in older extracts."""
    return resource["wppi_bytes"] if "wppi_bytes" in resource else resource["bytes"]


def read_manifest(folder: Path) -> dict:
    return json.loads((folder / MANIFEST).read_text(encoding="utf-8"))


def _files(folder: Path, manifest: dict) -> list[ExtractFile]:
    files = [
        ExtractFile(r["path"], byte_count(r), r["hash"].removeprefix("sha256:"), r["rows"])
        for r in manifest["resources"]
    ]
    size, sha256 = file_digest(folder / MANIFEST)
    return [*files, ExtractFile(MANIFEST, size, sha256, None)]


def describe_extract(folder: Path) -> Extract:
    manifest = read_manifest(folder)
    return Extract(
        snapshot_id=manifest["wppi_snapshot_id"],
        created=manifest["created"],
        schema_version=manifest["wppi_schema_version"],
        files=_files(folder, manifest),
    )


def extract_folders(root: Path) -> list[Path]:
    """Complete extracts under `root` (those with a manifest), oldest snapshot first."""
    if not root.is_dir():
        return []
    found = [
        path
        for path in root.iterdir()
        if SNAPSHOT_ID.match(path.name) and not path.is_symlink() and (path / MANIFEST).is_file()
    ]
    return sorted(found, key=lambda path: path.name)


def list_extracts(root: Path) -> list[Extract]:
    return [describe_extract(folder) for folder in extract_folders(root)]


def extract_file(root: Path, snapshot_id: str, name: str) -> tuple[Path, ExtractFile] | None:
    """The file `name` of the extract of `snapshot_id`, or None unless it is safe to serve.

    Safe means: a well-formed snapshot id, a name the manifest lists, and a regular file (not
    a symlink) directly inside the extract folder, itself not a symlink.
    """
    if not SNAPSHOT_ID.match(snapshot_id):
        return None
    folder = root / snapshot_id
    try:
        if not stat.S_ISDIR(os.lstat(folder).st_mode) or not (folder / MANIFEST).is_file():
            return None
        listed = {f.name: f for f in _files(folder, read_manifest(folder))}
        entry = listed.get(name)
        if entry is None or Path(name).name != name:
            return None
        path = folder / name
        if not stat.S_ISREG(os.lstat(path).st_mode):
            return None
    except FileNotFoundError:
        return None
    return path, entry


def verify_extract(folder: Path) -> list[str]:
    """Problems found checking every file against datapackage.json (empty when all is well)."""
    try:
        manifest = read_manifest(folder)
    except FileNotFoundError:
        return [f"{folder / MANIFEST}: missing"]
    except (ValueError, OSError) as exc:
        return [f"{folder / MANIFEST}: unreadable ({exc})"]
    problems = []
    for resource in manifest.get("resources", []):
        path = folder / resource["path"]
        if not path.is_file():
            problems.append(f"{resource['path']}: missing")
            continue
        size, sha256 = file_digest(path)
        if f"sha256:{sha256}" != resource["hash"]:
            problems.append(
                f"{resource['path']}: sha256 {sha256} does not match the manifest's"
                f" {resource['hash'].removeprefix('sha256:')}"
            )
        elif size != byte_count(resource):
            problems.append(
                f"{resource['path']}: {size} bytes, manifest says {byte_count(resource)}"
            )
    return problems


def copy_extract(
    folder: Path, root: Path, progress: Callable[[str, int, int], None] | None = None
) -> Path:
    """Copy an extract into `root/<its name>` (aside first, then renamed); return the copy.

    An identical copy already there is kept; a differing one is never overwritten.
    """
    target = root / folder.name
    names = sorted(p.name for p in folder.iterdir() if p.is_file())
    if target.is_dir():
        if verify_extract(target) or read_manifest(target) != read_manifest(folder):
            raise FileExistsError(f"{target}: a different extract is already there")
        return target
    root.mkdir(parents=True, exist_ok=True)
    tmp = root / f".tmp-{uuid.uuid4().hex}"
    tmp.mkdir()
    try:
        for done, name in enumerate(names, start=1):
            shutil.copyfile(folder / name, tmp / name)
            if progress:
                progress(name, done, len(names))
        problems = verify_extract(tmp)
        if problems:
            raise OSError(f"copy of {folder} is damaged: {'; '.join(problems)}")
        os.rename(tmp, target)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return target


def prune_extracts(root: Path, retention: int, current_id: str | None) -> list[str]:
    """Delete all but the newest `retention` extracts; the current snapshot's is never deleted."""
    folders = extract_folders(root)
    keep = {path.name for path in folders[-max(retention, 1) :]}
    if current_id is not None:
        keep.add(current_id)
    removed = []
    for path in folders:
        if path.name not in keep:
            shutil.rmtree(path)
            removed.append(path.name)
    return removed
