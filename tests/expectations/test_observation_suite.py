"""The catalog-derived suite, run through Great Expectations on a good and a bad batch."""

from datetime import date

import pytest

from pipelines.sources.partner import conform_partner, read_partner_file
from pipelines.validation import validate_batch
from tests.conftest import row, write_partner_csv
from warehouse.catalog import load_catalog

TODAY = date(2026, 11, 28)

GOOD = [
    row(),
    row(period="2022-Q1", value="0", obs_status="Z"),
    row(indicator="movement.restriction_level", geo="AFG", period="2022", value="3"),
    row(indicator="employment.women_public_sector_share", geo="AFG", value="12.5", lower="10",
        upper="15", obs_status="E"),
    row(indicator="education.girls_secondary_schools_open", geo="AF-HER", value="0"),
    row(indicator="displacement.afghan_refugees", geo="PAK", period="2023", sex="F",
        value="700000", source_id="partner.un"),
    row(indicator="civic.women_led_protests", geo="AF-BAL", period="2022-03-08", value="",
        obs_status="U"),
    row(indicator="media.women_journalists_active", geo="AF-KAB", value="40", sex="", age_group=""),
]  # fmt: skip

# Each bad row breaks exactly one rule (besides, at most, rules implied by the same fault).
BAD = [
    ("indicator.known", row(indicator="business.women_closures")),
    ("geo.known", row(geo="AF-XYZ")),
    ("geo.allowed", row(geo="PAK")),
    ("period.parseable", row(period="2023-02-30")),
    ("period.not_future", row(period="2031-01")),
    ("period.not_before_earliest", row(period="0001-01")),
    ("sex.known", row(sex="female")),
    ("sex.allowed", row(sex="F")),
    ("age_group.known", row(age_group="adult")),
    ("obs_status.known", row(obs_status="S")),
    ("verification.known", row(verification="rumour")),
    ("source.known", row(source_id="someone")),
    ("value.number", row(value="1,234")),
    ("value.present", row(value="")),
    ("value.absent", row(value="4", obs_status="M")),
    ("value.zero", row(value="3", obs_status="Z")),
    ("value.in_range", row(indicator="employment.women_public_sector_share", geo="AFG",
                           value="120")),
    ("value.in_range", row(indicator="movement.restriction_level", value="-1")),
    ("value.whole", row(value="2.5")),
    ("lower.number", row(lower="n/a")),
    ("lower.not_above_value", row(value="10", lower="11")),
    ("upper.not_below_value", row(value="10", upper="9")),
]  # fmt: skip


def _validate(tmp_path, rows):
    path = write_partner_csv(tmp_path / "batch.csv", rows)
    catalog = load_catalog()
    return validate_batch(conform_partner(read_partner_file(path), catalog), catalog, TODAY)


def test_good_batch_passes_every_rule(tmp_path):
    batch, report = _validate(tmp_path, GOOD)
    assert batch.quarantined.num_rows == 0, batch.quarantined.to_pylist()
    assert batch.accepted.num_rows == len(GOOD)
    assert report.results and not report.failed_rules
    media = batch.accepted.filter(
        batch.accepted["indicator_code"].to_numpy(zero_copy_only=False)
        == "media.women_journalists_active"
    ).to_pylist()[0]
    assert (media["sex"], media["age_group"]) == ("_T", "_T")  # defaults for empty cells


@pytest.fixture(scope="module")
def bad_batch(tmp_path_factory):
    """One file: a good row on line 2, then every bad row (line 3 onwards)."""
    rows = [row(period="2021-01")]
    # Distinct years keep the bad rows from also colliding on the observation key.
    for index, (_, bad) in enumerate(BAD):
        default_period = bad["period"] == row()["period"]
        rows.append({**bad, "period": f"{2000 + index}-03"} if default_period else bad)
    batch, _ = _validate(tmp_path_factory.mktemp("bad"), rows)
    return batch


def test_only_the_good_row_of_the_bad_batch_loads(bad_batch):
    assert bad_batch.accepted.num_rows == 1
    assert bad_batch.quarantined.num_rows == len(BAD)


@pytest.mark.parametrize("index", range(len(BAD)), ids=[f"{r}-{i}" for i, (r, _) in enumerate(BAD)])
def test_bad_row_is_quarantined_for_its_rule(bad_batch, index):
    rule = BAD[index][0]
    by_line = {r["line"]: r for r in bad_batch.quarantined.to_pylist()}
    quarantined = by_line[index + 3]
    assert any(reason.endswith(f"[{rule}]") for reason in quarantined["reasons"]), quarantined


def test_duplicate_keys_in_one_file_quarantine_every_copy(tmp_path):
    batch, _ = _validate(tmp_path, [row(), row(value="13"), row(period="2022-04")])
    assert batch.accepted.num_rows == 1
    lines = sorted(r["line"] for r in batch.quarantined.to_pylist())
    assert lines == [2, 3]
    assert all("[key.unique]" in " ".join(r["reasons"]) for r in batch.quarantined.to_pylist())


def test_reason_names_the_field_to_fix(tmp_path):
    batch, report = _validate(tmp_path, [row(value="lots")])
    [quarantined] = batch.quarantined.to_pylist()
    assert quarantined["reasons"][0].startswith("value: not a number")
    assert '"value": "lots"' in quarantined["raw"] or '"value":"lots"' in quarantined["raw"]
    assert {r.rule for r in report.failed_rules} >= {"value.number"}
