"""The benchmark generator: deterministic, and its data passes validation but for its bad rows."""

from __future__ import annotations

from datetime import date

import pyarrow.compute as pc

from bench.catalog import bench_catalog
from bench.generate import generate
from pipelines.sources.partner import conform_partner, read_partner_file
from pipelines.validation import validate_batch

TODAY = date(2026, 11, 28)


def test_generation_is_deterministic_and_sized(tmp_path):
    first = generate(0.0005, 3, tmp_path / "a")
    second = generate(0.0005, 3, tmp_path / "b")
    assert first == second
    assert first["rows"] == 5000
    for name in ("partner/obs-2000.csv", "partner/obs-2026.csv", "revisions.csv"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    generate(0.0005, 4, tmp_path / "c")
    other = (tmp_path / "c" / "partner" / "obs-2000.csv").read_bytes()
    assert other != (tmp_path / "a" / "partner" / "obs-2000.csv").read_bytes()


def test_only_the_planted_bad_rows_are_quarantined(tmp_path):
    meta = generate(0.003, 7, tmp_path)  # 30,000 rows, so a few planted bad values
    catalog = bench_catalog(meta["indicators"])
    conformed = conform_partner(read_partner_file(tmp_path / "partner" / "obs-2026.csv"), catalog)
    batch, _ = validate_batch(conformed, catalog, TODAY)
    table = conformed.table
    planted = pc.or_(pc.equal(table["value_raw"], "n/a"), pc.greater(table["period_start"], TODAY))
    expected = sorted(pc.filter(table["_line"], planted).to_pylist())
    assert sorted(batch.quarantined["line"].to_pylist()) == expected
    assert batch.accepted.num_rows + batch.quarantined.num_rows == batch.rows_in
    reasons = {r for rs in batch.quarantined["reasons"].to_pylist() for r in rs}
    assert reasons and all("[value." in r or "[period.not_future]" in r for r in reasons)
