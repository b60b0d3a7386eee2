"""RSF yearly files: encodings detected and repaired, lost decimal points restored, per year."""

from __future__ import annotations

from decimal import Decimal

import pytest

from pipelines.sources.long_records import decode
from pipelines.sources.rsf import read_rsf_file, repair_score
from tests.pipelines.sources.conftest import real_folder, real_rows

FOLDER = real_folder("rsf_press_freedom")


def yearly(year: int):
    return FOLDER / f"rwb{year}_afg_extract.csv"


def afg(year: int, indicator: str = "score") -> Decimal:
    """The adapter's AFG value in one yearly file."""
    records = read_rsf_file(yearly(year)).records.to_pylist()
    [value] = [r["value"] for r in records if r["place"] == "AFG" and r["indicator"] == indicator]
    return Decimal(value)


def file_field(year: int, column: str) -> str:
    """A field of the AFG row, read independently (';'-separated, cp1252 is enough for it)."""
    rows = real_rows(f"rsf_press_freedom/rwb{year}_afg_extract.csv", ";", "latin-1")
    [row] = [r for r in rows if r["ISO"] == "AFG"]
    return row[column]


@pytest.mark.parametrize("year", range(2013, 2022))
def test_2013_to_2021_scores_are_100_minus_the_owid_figure(year):
    # OWID republished these years with decimals intact, in the old orientation.
    owid = real_rows("rsf_press_freedom/owid_World_Press_Freedom_Index_RSF_2022_afg_extract.csv")
    [old] = [r["Press Freedom Score"] for r in owid
             if r["Entity"] == "Afghanistan" and r["Year"] == str(year)]  # fmt: skip
    assert afg(year) == Decimal(100) - Decimal(old)
    assert afg(year, "rank") == Decimal(file_field(year, "Rank N"))


def test_2022_score_is_the_2023_score_minus_its_change():
    # 2023's "Score evolution" keeps its decimal comma: 2022 = 2023 - change.
    change = Decimal(file_field(2023, "Score evolution").replace(",", "."))
    assert afg(2022) == afg(2023) - change == Decimal("38.27")
    assert afg(2022, "rank") == Decimal(file_field(2022, "Rank"))


@pytest.mark.parametrize("year", range(2023, 2027))
def test_2023_to_2026_scores_equal_last_year_plus_the_published_change(year):
    change = Decimal(file_field(year, "Score evolution").replace(",", "."))
    assert afg(year) == afg(year - 1) + change
    assert afg(year, "rank") == Decimal(file_field(year, "Rank"))


def test_repair_puts_the_point_after_two_digits_even_without_trailing_zero():
    assert repair_score("3827") == "38.27"
    assert repair_score("623") == "62.3"  # 2020's 62.30 lost its trailing zero
    assert repair_score("-20,66") == "-20.66"


@pytest.mark.parametrize("year", range(2013, 2027))
def test_each_year_decodes_to_the_right_country_names(year):
    text = decode(yearly(year), yearly(year).read_bytes())
    assert "Norvège" in text  # double-encoded UTF-8 (2013-21), UTF-8, cp1252 (2025-26)
    assert "Ã" not in text
    if year < 2025:
        assert "النرويج" in text  # the Arabic name survives where the file still has it


def test_a_score_that_contradicts_last_year_plus_change_is_quarantined(tmp_path):
    source = yearly(2024).read_bytes().decode("utf-8")
    path = tmp_path / "rwb2024_afg_extract.csv"
    path.write_text(source.replace(";1909;178;", ";1919;178;"), encoding="utf-8")
    batch = read_rsf_file(path)
    assert batch.malformed.num_rows == 1
    assert "Score evolution" in batch.malformed["reasons"][0].as_py()[0]
