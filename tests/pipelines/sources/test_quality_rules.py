"""Every quarantined row of the real bundle and excerpts names its rule in `/v1/quality`'s
table: no "other" (issue 19)."""

from __future__ import annotations

import re


def test_every_quarantined_real_row_counts_under_a_named_rule(real_run):
    checks = dict(real_run.query("select check_name, sum(rows) from batch_checks group by all"))
    assert "other" not in checks
    assert all(re.fullmatch(r"[a-z_]+(\.[a-z_]+)+", name) for name in checks), checks
    # The readers' own rules sit beside validation's.
    assert checks["value.empty"] > 0 and checks["sex.not_disaggregated"] > 0
    assert checks["indicator.unmapped"] > 0
    # Nothing of the shipped data is held back by its source's quarantine policy.
    assert "quarantine.rate_above_policy" not in checks
