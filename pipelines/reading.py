"""Limits every landed file must meet before a reader parses it (WPPI_MAX_* settings).

One hostile file must never stop later runs (issue 20): a FIFO that blocks a read for ever,
a 200 MB field, 100,000 columns or millions of empty rows that grow a run past its memory.
So before any reader opens a landed file, `check_landed` looks at it in fixed-size chunks
(memory bounded by the chunk, not the file) and refuses it when it is not a regular file or
breaks a limit, naming file, line and limit. `set_aside` then moves it to the source's
`refused/` folder, so the next run is not blocked by it; the run records the refusal.
"""

from __future__ import annotations

import csv
import os
import stat
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, fields
from pathlib import Path

import numpy as np

from pipelines.batches import FileRejected

REFUSED = "refused"  # landing/<source>/refused/: files set aside, never read again
_CHUNK = 1 << 20
_DELIMITERS = b",;\t|"
_KINDS = (
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISSOCK, "a socket"),
)


@dataclass(frozen=True)
class ReadLimits:
    """Generous for every real source (the widest, V-Dem's full table, has ~4,600 columns
    and 30 kB lines); far below what makes a run run out of memory."""

    max_file_bytes: int = 512 << 20
    max_rows_per_file: int = 2_000_000
    max_columns: int = 5_000
    max_line_bytes: int = 2 << 20

    @classmethod
    def of(cls, configured: object) -> ReadLimits:
        """The limits a settings object or resource holds under the same field names."""
        return cls(**{field.name: getattr(configured, field.name) for field in fields(cls)})


_csv_lock = threading.Lock()
_csv_readers = 0
_csv_limit = csv.field_size_limit()


@contextmanager
def csv_fields_unbounded() -> Iterator[None]:
    """Lift the csv module's field-size limit while a reader parses a file in memory.

    check_landed already bounds every line, and a field over csv's own limit (131072) would
    abort the whole file where the reader quarantines its row instead. The limit is global
    to the process, so it is lifted only while some read is inside this block (readers may
    run in threads at once) and restored when the last one leaves.
    """
    global _csv_readers, _csv_limit
    with _csv_lock:
        if _csv_readers == 0:
            _csv_limit = csv.field_size_limit(1 << 30)
        _csv_readers += 1
    try:
        yield
    finally:
        with _csv_lock:
            _csv_readers -= 1
            if _csv_readers == 0:
                csv.field_size_limit(_csv_limit)


class FileRefused(FileRejected):
    """A landed file that breaks a reading limit or is not a regular file; set aside."""


def landed_names(folder: Path) -> list[str]:
    """Names in a landing folder a run considers (hidden files and refused/ are not)."""
    return sorted(
        p.name for p in folder.iterdir() if not p.name.startswith(".") and p.name != REFUSED
    )


def check_landed(path: Path, limits: ReadLimits) -> None:
    """Raise FileRefused unless `path` is a regular file within every limit."""
    mode = os.stat(path).st_mode  # before opening: opening a FIFO or a device may block
    if not stat.S_ISREG(mode):
        kind = next((kind for test, kind in _KINDS if test(mode)), "a special file")
        raise FileRefused(f"{path.name}: is {kind}, not a regular file")
    size = os.stat(path).st_size
    if size > limits.max_file_bytes:
        raise FileRefused(
            f"{path.name}: {size:,} bytes, more than WPPI_MAX_FILE_BYTES={limits.max_file_bytes:,}"
        )
    with path.open("rb") as handle:
        _check_lines(path.name, handle, limits)


def _check_lines(name: str, handle, limits: ReadLimits) -> None:
    """Line count, longest line and header width of a delimited text file, chunk by chunk.

    JSON (first byte `{` or `[`) may be one long line and has no header: only its size counts.
    """
    lines = 0  # complete lines seen so far
    carry = 0  # length of the line still open at the end of the last chunk
    header = b""
    first = True
    while chunk := handle.read(_CHUNK):
        if first:
            first = False
            if chunk.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"{", b"["):
                return
        if lines == 0 and len(header) <= limits.max_line_bytes:
            header += chunk[: chunk.find(b"\n") if b"\n" in chunk else len(chunk)]
        ends = np.flatnonzero(np.frombuffer(chunk, np.uint8) == 10)
        if len(ends):
            lengths = np.diff(ends, prepend=-1) - 1
            lengths[0] += carry
            longest = int(lengths.argmax())
            if lengths[longest] > limits.max_line_bytes:
                _too_long(name, lines + longest + 1, int(lengths[longest]), limits)
            lines += len(ends)
            carry = len(chunk) - int(ends[-1]) - 1
        else:
            carry += len(chunk)
        if carry > limits.max_line_bytes:
            _too_long(name, lines + 1, carry, limits)
        if lines > limits.max_rows_per_file:
            raise FileRefused(
                f"{name}: line {lines:,}: more than WPPI_MAX_ROWS_PER_FILE="
                f"{limits.max_rows_per_file:,} lines"
            )
        if lines and header is not None:
            _check_header(name, header, limits)
            header = None
    if header:
        _check_header(name, header, limits)


def _check_header(name: str, header: bytes, limits: ReadLimits) -> None:
    columns = 1 + max(header.count(bytes([d])) for d in _DELIMITERS)
    if columns > limits.max_columns:
        raise FileRefused(
            f"{name}: line 1: {columns:,} columns, more than"
            f" WPPI_MAX_COLUMNS={limits.max_columns:,}"
        )


def _too_long(name: str, line: int, size: int, limits: ReadLimits) -> None:
    raise FileRefused(
        f"{name}: line {line:,}: {size:,} bytes in one line (a field at least that long), more"
        f" than WPPI_MAX_LINE_BYTES={limits.max_line_bytes:,}"
    )


def set_aside(path: Path, refusal: FileRefused) -> FileRejected:
    """Move a refused file into refused/ beside it (never overwriting), so no later run
    reads it again (an operator can inspect it there and land a fixed copy); return the
    refusal saying where the file went."""
    folder = path.parent / REFUSED
    try:
        folder.mkdir(exist_ok=True)
        target = folder / path.name
        n = 1
        while target.exists() or target.is_symlink():
            target = folder / f"{path.stem}.{n}{path.suffix}"
            n += 1
        os.replace(path, target)
    except OSError as exc:  # a read-only landing folder: the refusal still stands
        return FileRejected(f"{refusal}; could not be moved to {REFUSED}/ ({exc.strerror})")
    return FileRejected(f"{refusal}; moved to {REFUSED}/")
