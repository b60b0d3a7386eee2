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
from pipelines.reading import FileRefused, ReadLimits, check_landed, set_aside
from pipelines.sources.declaration import SourceDeclaration
from warehouse.files import file_digest


def inside_folder(folder: Path, path: Path) -> bool:
    """False for a name or symlink that leads out of the landing folder."""
    return path.resolve().is_relative_to(folder.resolve())


def landed_sha256(folder: Path, name: str) -> str | None:
    """Content hash of a landed file, or None when it is missing or leads outside the folder."""
    path = folder / name
    return file_digest(path).sha256 if path.is_file() and inside_folder(folder, path) else None


def read_landed_file(
    source: SourceDeclaration,
    folder: Path,
    name: str,
    sha: str | None,
    limits: ReadLimits,
    set_aside_refused: bool = True,
) -> RawBatch:
    """Read landing/<source>/<name> with the source's reader, or a batch saying why not.

    A file over a reading limit (or not a regular file) is refused before any reader sees it
    and moved to landing/<source>/refused/, so it never blocks the next run (unless
    `set_aside_refused` is off: `wppi sources check` only looks).
    """
    path = folder / name
    try:
        if not inside_folder(folder, path):
            raise FileRejected(f"{name}: points outside the landing folder; refused")
        check_landed(path, limits)
        return source.read(path)
    except (FileRejected, OSError, UnicodeDecodeError) as exc:
        if isinstance(exc, FileRefused) and set_aside_refused:
            exc = set_aside(path, exc)
        message = str(exc) if isinstance(exc, FileRejected) else f"{name}: cannot be read ({exc})"
        empty = pa.table({"_line": pa.array([], pa.int64()), "_raw": pa.array([], pa.string())})
        return RawBatch(source.id, name, sha, empty, error=message)
