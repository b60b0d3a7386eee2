"""The no-personal-data suite: Great Expectations rules run on every batch before any other.

A batch is checked as one joined text column (every string field of the canonical
observation, separated by FIELD_SEPARATOR), so four expectations cover every column; a hit
rejects the whole batch (pipelines/validation.py).
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

from expectations.observation_rules import Rule
from warehouse.load import CANONICAL_SCHEMA
from warehouse.personal_data import DESCRIPTIONS, FIELD_SEPARATOR, PATTERNS

TEXT_COLUMNS = [f.name for f in CANONICAL_SCHEMA if pa.types.is_string(f.type)]
JOINED = "_text"


def personal_data_rules() -> list[Rule]:
    return [
        Rule(f"personal_data.{kind}", "text", f"a field {DESCRIPTIONS[kind]}",
             "ExpectColumnValuesToNotMatchRegex", {"column": JOINED, "regex": pattern})
        for kind, pattern in PATTERNS.items()
    ]  # fmt: skip


def joined_text(table: pa.Table) -> pa.Array:
    """Each row's canonical text fields as one string (nulls as empty fields)."""
    fields = [pc.fill_null(table[name].cast(pa.string()), "") for name in TEXT_COLUMNS]
    return pc.binary_join_element_wise(*fields, FIELD_SEPARATOR)
