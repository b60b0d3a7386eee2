"""What a source is to WPPI, in one declaration: its id, where and how its files are
recognised, how they are read and mapped, and how it is fetched live if it can be.

Every other place that needs to know the sources (Dagster assets, sensors, jobs, freshness
checks, content detection, the CLI) reads `pipelines.sources.registry.SOURCES`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from pipelines.batches import ConformedBatch, RawBatch
from pipelines.quarantine_rules import rule_of
from pipelines.sources.live import LiveSource
from pipelines.sources.long_records import conform_by_aliases
from warehouse.catalog import Catalog

Reader = Callable[[Path], RawBatch]
Conform = Callable[[RawBatch, Catalog], ConformedBatch]


# Publisher codes outside WPPI's catalog: quarantined for the record, not defects of a file.
UNMAPPED_RULES = ("indicator.unmapped", "geo_code.unmapped")


@dataclass(frozen=True)
class QuarantinePolicy:
    """How much of a file may fail rules before the file is held back whole.

    Above `max_rate` (share of the file's rows) its accepted rows are not loaded either, so a
    mostly broken delivery never reaches a snapshot: its rows are quarantined under the rule
    `quarantine.rate_above_policy` and the source's `quarantine_within_policy` check fails.
    Rows failing only `not_counted` rules are not defects of the delivery: a bulk file
    carries the publisher's other indicators and regions, which WPPI does not map.
    """

    max_rate: float = 0.5
    not_counted: tuple[str, ...] = UNMAPPED_RULES

    def __post_init__(self) -> None:
        if not 0 <= self.max_rate <= 1:
            raise ValueError(f"quarantine policy: max_rate {self.max_rate} is not within 0..1")

    def breach(self, reason_lists: Iterable[list[str]], rows_in: int) -> str | None:
        """Why a file whose quarantined rows have these reasons is held back, or None."""
        failed = sum(
            any(rule_of(reason) not in self.not_counted for reason in reasons)
            for reasons in reason_lists
        )
        if not rows_in or failed / rows_in <= self.max_rate:
            return None
        return (
            f"{failed} of {rows_in} rows failed rules ({failed / rows_in:.0%}), above the "
            f"source's quarantine threshold of {self.max_rate:.0%}"
        )


@dataclass(frozen=True)
class Freshness:
    """Two expectations (ISO 8601 durations), each failing its own Dagster check: new
    content arrives within `delivery` of the last (by default the catalog source's
    `update_every`), and the latest period the data covers ends within `data_period` of
    today. A source that keeps re-sending old years is fresh by one and stale by the other.
    """

    delivery: str | None = None
    data_period: str | None = None


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
    quarantine: QuarantinePolicy = QuarantinePolicy()
    freshness: Freshness = Freshness()
    # Files list incidents one by one (victims' names, places, free text): WPPI keeps only
    # counts, so the raw files leave landing once ingested and older than the retention.
    incident_level: bool = False

    def recognises(self, head: str) -> bool:
        """Whether the decoded first 4 KB of a file look like this source's."""
        if any(signature in head for signature in self.signatures):
            return True
        return self.header_like is not None and self.header_like(head)
