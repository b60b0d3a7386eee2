"""File helpers every layer shares: content hashes and durable writes.

A file's hash names snapshots, deduplicates landed files and checks extracts, so every
caller reads it the same way (1 MiB chunks, memory bounded by the chunk, not the file).
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import NamedTuple

_CHUNK = 1 << 20


class FileDigest(NamedTuple):
    size: int  # bytes
    sha256: str  # hex


def file_digest(path: Path) -> FileDigest:
    """The size and SHA-256 of a file's content."""
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(_CHUNK), b""):
            digest.update(chunk)
            size += len(chunk)
    return FileDigest(size, digest.hexdigest())


def fsync_path(path: Path) -> None:
    """Flush a file's (or a folder's entries') writes to disk, so a rename made after it
    survives a crash pointing at complete content."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
