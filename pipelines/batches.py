"""The batch shapes that travel between pipeline steps, shared by every source adapter."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import pyarrow as pa

from warehouse.load import QUARANTINE_SCHEMA
from warehouse.personal_data import file_label

# Conformed batches carry the canonical columns plus these, for validation and quarantine:
# the submitted text of each number, the source line, and the whole raw row as JSON.
TRACE_COLUMNS = ("value_raw", "lower_raw", "upper_raw", "_line", "_raw")


class FileRejected(Exception):
    """A whole file cannot be taken (unreadable, wrong format, wrong header)."""


@dataclass
class RawBatch:
    """One input file as read: every record as text, nothing interpreted yet."""

    adapter: str
    file_name: str | None
    file_sha256: str | None
    records: pa.Table  # source columns as strings, plus _line and _raw
    # Records that could not even be split into fields; they go straight to quarantine.
    malformed: pa.Table = field(default_factory=QUARANTINE_SCHEMA.empty_table)
    error: str | None = None

    @property
    def rows_in(self) -> int:
        return self.records.num_rows + self.malformed.num_rows

    def labelled(self) -> RawBatch:
        """The batch as Dagster may keep it (step outputs, metadata, the batches table):
        named by `file_label`, never by the file's name, which may hold personal data."""
        if self.file_name is None:
            return self
        label = file_label(self.file_name)
        error = self.error.replace(self.file_name, label) if self.error else None
        return replace(self, file_name=label, error=error)


@dataclass
class ConformedBatch:
    """A batch mapped to the canonical observation, not yet validated."""

    raw: RawBatch
    table: pa.Table  # warehouse.load.CANONICAL_SCHEMA columns plus TRACE_COLUMNS
    # Policy events and point notes (warehouse/events.py), and the sources the file
    # re-issues whole (warehouse.load.Batch.replaces), for the adapters that have them.
    events: pa.Table | None = None
    notes: pa.Table | None = None
    replaces: tuple[str, ...] = ()
