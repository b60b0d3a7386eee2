"""The no-personal-data suite: Great Expectations rules run on every batch before any other.

A batch is checked as one text column holding each distinct value of every string field of
the canonical observation, normalised first (warehouse/personal_data.py: `normalise`), and
per row any pair of its figures shaped like coordinates, so four expectations cover every
column; a hit rejects the whole batch (pipelines/validation.py), naming the rows that hold
the value.
"""

from __future__ import annotations

from collections import defaultdict

import pyarrow as pa
import pyarrow.compute as pc

from expectations.observation_rules import Rule
from warehouse.observation import CANONICAL_SCHEMA
from warehouse.personal_data import DESCRIPTIONS, PATTERNS, coordinate_pairs, normalise

TEXT_COLUMNS = [f.name for f in CANONICAL_SCHEMA if pa.types.is_string(f.type)]
NUMBER_COLUMNS = [f.name for f in CANONICAL_SCHEMA if pa.types.is_floating(f.type)]
JOINED = "_text"


def personal_data_rules() -> list[Rule]:
    return [
        Rule(
            f"personal_data.{kind}",
            "text",
            f"a field {DESCRIPTIONS[kind]}",
            "ExpectColumnValuesToNotMatchRegex",
            {"column": JOINED, "regex": pattern},
        )
        for kind, pattern in PATTERNS.items()
    ]


def distinct_text(table: pa.Table) -> tuple[list[str], list[tuple[pa.Array, int]]]:
    """Each distinct value of each canonical text field (what GX checks, nulls as ""), and
    per field its dictionary indices with the position of its first value in that list.

    No pattern crosses FIELD_SEPARATOR, so a row matches when one of its fields does:
    checking each distinct value once finds the same rows as checking every joined row,
    and a file's codes repeat so much that this is a few hundred values, not one per row.
    """
    values: list[str] = []
    fields = []
    columns = [table[name].cast(pa.string()) for name in TEXT_COLUMNS]
    for column in [*columns, coordinate_pairs(table, NUMBER_COLUMNS)]:
        if isinstance(column, pa.ChunkedArray):
            column = column.combine_chunks()
        encoded = pc.dictionary_encode(column)
        fields.append((encoded.indices, len(values)))
        values.extend(normalise(v or "") for v in encoded.dictionary.to_pylist())
    return values, fields


def row_reasons(
    fields: list[tuple[pa.Array, int]], value_reasons: dict[int, list[str]]
) -> dict[int, list[str]]:
    """GX's failed value ids (rows of the `distinct_text` frame) as the rows holding them."""
    found: dict[int, list[str]] = defaultdict(list)
    for indices, first in fields:
        for value_id, reasons in value_reasons.items():
            local = value_id - first
            if local < 0:
                continue
            for row in pc.indices_nonzero(pc.equal(indices, local)).to_pylist():
                found[row] += [r for r in reasons if r not in found[row]]
    return dict(found)
