"""What a source is to WPPI, in one declaration: its id, where and how its files are
recognised, how they are read and mapped, and how it is fetched live if it can be.

Every other place that needs to know the sources (Dagster assets, sensors, jobs, freshness
checks, content detection, the CLI) reads `pipelines.sources.registry.SOURCES`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pipelines.batches import ConformedBatch, RawBatch
from pipelines.sources.live import LiveSource
from pipelines.sources.long_records import conform_by_aliases
from warehouse.catalog import Catalog

Reader = Callable[[Path], RawBatch]
Conform = Callable[[RawBatch, Catalog], ConformedBatch]


@dataclass(frozen=True)
class SourceDeclaration:
    """One source. `id` names its landing folder (landing/<id>/), its Dagster group and
    assets (raw_<id> ... <id>_observations), its job (<id>_ingest), its sensor
    (<id>_landing_sensor) and its `--source` choice."""

    id: str
    # What its files look like, for the message that refuses an unrecognised file.
    description: str
    read: Reader
    # Source spellings -> catalog codes; by default through the catalog's aliases for `id`.
    conform: Conform = conform_by_aliases
    # The catalog source (warehouse/catalog/sources.yaml) whose `update_every` sets the
    # freshness check; None for a source that brings many catalog sources (partner).
    source_id: str | None = None
    # Other names of the folder its files are delivered in (monitors' and publishers').
    folders: tuple[str, ...] = ()
    # Texts any one of which, found in a file's first 4 KB, marks the file as this source's.
    signatures: tuple[str, ...] = ()
    # Recognition by the first line's column names, for a template whose header may be
    # damaged (renamed, missing or extra columns) and must still reach its reader.
    header_like: Callable[[str], bool] | None = None
    # Takes files that are not text at all (empty, binary, compressed), so the refusal is
    # recorded with its reason; at most one source says so.
    default_intake: bool = False
    live: LiveSource | None = None

    def recognises(self, head: str) -> bool:
        """Whether the decoded first 4 KB of a file look like this source's."""
        if any(signature in head for signature in self.signatures):
            return True
        return self.header_like is not None and self.header_like(head)
