"""The one place a landed file is handed to its source's reader.

Whatever the source, a file that cannot be taken (outside its landing folder, unreadable,
undecodable, refused by the reader) becomes a batch carrying the reason, so the run records
the refusal instead of failing. Checks on the file itself (size and shape limits, special
files) belong here, before any reader sees it.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa

from pipelines.batches import FileRejected, RawBatch
from pipelines.sources.declaration import SourceDeclaration
from warehouse.snapshots import sha256_file


def inside_folder(folder: Path, path: Path) -> bool:
    """False for a name or symlink that leads out of the landing folder."""
    return path.resolve().is_relative_to(folder.resolve())


def landed_sha256(folder: Path, name: str) -> str | None:
    """Content hash of a landed file, or None when it is missing or leads outside the folder."""
    path = folder / name
    return sha256_file(path) if path.is_file() and inside_folder(folder, path) else None


def read_landed_file(
    source: SourceDeclaration, folder: Path, name: str, sha: str | None
) -> RawBatch:
    """Read landing/<source>/<name> with the source's reader, or a batch saying why not."""
    path = folder / name
    try:
        if not inside_folder(folder, path):
            raise FileRejected(f"{name}: points outside the landing folder; refused")
        return source.read(path)
    except (FileRejected, OSError, UnicodeDecodeError) as exc:
        message = str(exc) if isinstance(exc, FileRejected) else f"{name}: cannot be read ({exc})"
        empty = pa.table({"_line": pa.array([], pa.int64()), "_raw": pa.array([], pa.string())})
        return RawBatch(source.id, name, sha, empty, error=message)
