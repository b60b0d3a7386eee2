"""The rule a quarantine reason names: every reason ends in `[rule]` (validation's rules and
the readers' own), which `/v1/quality` and Dagster metadata count rows by."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

RULE = re.compile(r"\[([a-z_.]+)\]$")
# Reasons stored before every reader named its rule; warehouse/sql/queries/publish_snapshot.sql
# labels them the same way.
PREFIXES = {"file:": "file.readable", "row:": "row.field_count"}


def rule_of(reason: str) -> str:
    """The rule a reason names, e.g. `indicator.unmapped`; `other` only for a reason that
    names none."""
    found = RULE.search(reason)
    if found:
        return found.group(1)
    return next((rule for prefix, rule in PREFIXES.items() if reason.startswith(prefix)), "other")


def rows_by_rule(reason_lists: Iterable[list[str]]) -> Counter[str]:
    """Quarantined rows per rule (a row failing two rules counts under both)."""
    counts: Counter[str] = Counter()
    for reasons in reason_lists:
        counts.update({rule_of(reason) for reason in reasons})
    return counts
