"""Other releases and layouts of known publishers' files load with exact accounting and
exact values. Each fixture under tests/fixtures/sources/ is written in the variant's shape."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from pipelines.sources.detect import recognise
from pipelines.sources.registry import BY_ID
from pipelines.validation import validate_batch
from warehouse.catalog import load_catalog
from warehouse.load import Batch

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "sources"
TODAY = date(2026, 6, 1)


def ingest(name: str) -> tuple[str, Batch]:
    """Recognise a fixture by content, read, conform and validate it as a run would."""
    path = FIXTURES / name
    source = BY_ID[recognise(path)]
    catalog = load_catalog()
    batch, _ = validate_batch(source.conform(source.read(path), catalog), catalog, TODAY)
    assert batch.error is None, batch.error
    assert batch.rows_in == batch.accepted.num_rows + batch.quarantined.num_rows
    return source.id, batch


def loaded(batch: Batch) -> dict[tuple, float]:
    rows = batch.accepted.to_pylist()
    return {(r["indicator_code"], r["geo_code"], r["period_start"].year, r["sex"]): r["value"]
            for r in rows}  # fmt: skip


def reasons(batch: Batch) -> list[str]:
    return [reason for row in batch.quarantined.to_pylist() for reason in row["reasons"]]


def test_wdi_bulk_csv_of_any_mapped_indicator_with_its_metadata_companions():
    source, batch = ingest("API_SG.GEN.PARL.ZS_DS2_en_csv_v2_layout.csv")
    assert source == "worldbank"
    share = "politics.women_parliament_share"
    assert loaded(batch) == {
        (share, "AFG", 2015, "_T"): 27.7108433734940,
        (share, "AFG", 2016, "_T"): 27.7108433734940,
        (share, "AFG", 2017, "_T"): 27.7108433734940,
        (share, "AFG", 2018, "_T"): 27.7108433734940,
        (share, "AFG", 2019, "_T"): 27.0161290322581,
        (share, "AFG", 2020, "_T"): 27.0161290322581,
    }
    # The South Asia aggregate is not a country: quarantined, named.
    assert batch.quarantined.num_rows == 1 and "place 'SAS'" in reasons(batch)[0]
    for companion in ("Metadata_Country_", "Metadata_Indicator_"):
        source, batch = ingest(f"{companion}API_SG.GEN.PARL.ZS_DS2_en_csv_v2_layout.csv")
        assert source == "worldbank" and batch.rows_in == 0


def test_owid_grapher_csv_for_another_indicator_maps_by_its_code_and_skips_regions():
    source, batch = ingest("owid_grapher_women_in_parliament.csv")
    assert source == "owid"
    share = "politics.women_parliament_share"
    assert loaded(batch) == {(share, "AFG", 2019, "_T"): 27.02, (share, "PAK", 2019, "_T"): 20.21}
    found = reasons(batch)
    assert len(found) == 2
    assert any("'OWID_WRL'" in r for r in found) and any("place ''" in r for r in found)


def test_owid_dataset_csv_without_code_is_placed_by_entity_name():
    source, batch = ingest("owid_dataset_maternal_mortality.csv")
    assert source == "owid"
    mmr = "health.maternal_mortality_ratio"
    assert loaded(batch) == {(mmr, "AFG", 2020, "_T"): 620.0, (mmr, "IRN", 2020, "_T"): 22.0}
    found = reasons(batch)
    assert len(found) == 2  # World is no country; births_attended_share has no indicator
    assert any("'World'" in r for r in found)
    assert any("'births_attended_share' is not mapped" in r for r in found)


def test_older_vdem_release_with_an_index_column_and_float_noise():
    source, batch = ingest("vdem_v10_country_year_layout.csv")
    assert source == "vdem"
    assert loaded(batch) == {
        ("rights.women_political_empowerment_index", "AFG", 2018, "_T"): 0.16,
        ("rights.women_political_empowerment_index", "AFG", 2019, "_T"): 0.1700000000000001,
        ("movement.women_domestic_movement_freedom", "AFG", 2018, "_T"): 2.8510000000000004,
    }
    # NA stays missing; the uncertainty bounds are V-Dem columns WPPI does not map (yet).
    assert reasons(batch) == ["indicator: 'v2x_gender_codelow' is not mapped to a catalog "
                              "indicator [indicator.unmapped]"] * 2  # fmt: skip


def test_rsf_yearly_file_with_decimal_commas():
    source, batch = ingest("rsf_2024_decimal_comma_layout.csv")
    assert source == "rsf"
    assert loaded(batch) == {
        ("media.press_freedom_score", "NOR", 2024, "_T"): 91.89,
        ("media.press_freedom_rank", "NOR", 2024, "_T"): 1.0,
        ("media.press_freedom_score", "AFG", 2024, "_T"): 19.09,
        ("media.press_freedom_rank", "AFG", 2024, "_T"): 178.0,
    }
    assert batch.quarantined.num_rows == 0


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.glob("*.csv")))
def test_every_variant_is_recognised_by_content(name):
    assert recognise(FIXTURES / name) is not None


REFUGEES = "displacement.afghan_refugees"


def test_unhcr_hdx_population_input_table_quoted_crlf():
    source, batch = ingest("unhcr_hdx_population_totals_layout.csv")
    assert source == "unhcr"
    assert loaded(batch) == {(REFUGEES, "PAK", 2022, "_T"): 1751935.0,
                             (REFUGEES, "IRN", 2022, "_T"): 750000.0}  # fmt: skip
    found = reasons(batch)
    assert len(found) == 2  # the missing ASY stays missing; Syrian origin has no indicator
    assert any(r.startswith("asylum_seekers: '' is missing") for r in found)
    assert any("of origin SYR" in r for r in found)


def test_unhcr_hdx_demographics_unknown_sex_is_not_disaggregated_never_zero_women():
    source, batch = ingest("unhcr_hdx_demographics_layout.csv")
    assert source == "unhcr"
    # Germany sums its two locations by sex; the USA has a row of unknown sex, so neither of
    # its rows gives a figure by sex (no "0 women", no undercount), and no total is derived.
    assert loaded(batch) == {(REFUGEES, "DEU", 2022, "F"): 155.0,
                             (REFUGEES, "DEU", 2022, "M"): 187.0}  # fmt: skip
    found = reasons(batch)
    assert sum("not disaggregated for USA 2022" in r for r in found) == 2
    assert any("of origin IRQ" in r for r in found) and len(found) == 3
    assert not any("Germany" in row["raw"] for row in batch.quarantined.to_pylist())


def test_unhcr_population_older_vintage_na_stays_missing():
    source, batch = ingest("unhcr_population_older_vintage_layout.csv")
    assert source == "unhcr"
    assert loaded(batch) == {(REFUGEES, "PAK", 2000, "_T"): 2001472.0}
    found = reasons(batch)
    assert found == [
        "asylum_seekers: 'NA' is missing or not a whole count; refugees + asylum_seekers is "
        "not known [count.not_whole]",
        "refugees: 'NA' is missing or not a whole count; refugees + asylum_seekers is not known "
        "[count.not_whole]",
    ]


IDPS = "displacement.idps"


def test_hdx_hxl_table_with_gender_rows_loads_totals_as_given():
    source, batch = ingest("hdx_hxl_idps_by_gender_layout.csv")
    assert source == "hdx"
    # 6,550,000 is not 3,100,000 + 3,200,000: the published total stands, nothing derived.
    assert loaded(batch) == {(IDPS, "AFG", 2023, "F"): 3100000.0,
                             (IDPS, "AFG", 2023, "M"): 3200000.0,
                             (IDPS, "AFG", 2023, "_T"): 6550000.0}  # fmt: skip
    assert reasons(batch) == [
        "indicator: '#population' is not mapped to a catalog indicator [indicator.unmapped]"
    ]


def test_hdx_hxl_table_with_sex_attributes_on_the_tags():
    source, batch = ingest("hdx_hxl_idps_wide_sex_layout.csv")
    assert source == "hdx"
    assert loaded(batch) == {(IDPS, "AFG", 2022, "F"): 2950000.0,
                             (IDPS, "AFG", 2022, "M"): 3050000.0,
                             (IDPS, "AFG", 2022, "_T"): 5900000.0}  # fmt: skip
    assert batch.quarantined.num_rows == 0


def test_owid_short_column_names_map_through_owid_and_the_republished_publishers_codes():
    source, batch = ingest("owid_grapher_short_column_names_layout.csv")
    assert source == "owid"
    assert loaded(batch) == {
        ("rights.women_political_empowerment_index", "AFG", 2021, "_T"): 0.112,
        ("employment.labour_force_participation", "AFG", 2021, "F"): 14.8,  # WDI id, lower case
        ("media.journalist_harassment", "AFG", 2021, "_T"): -1.5,  # a V-Dem variable
    }
    assert reasons(batch) == ["indicator: 'wom_emp_vdem__estimate_low' is not mapped to a "
                              "catalog indicator [indicator.unmapped]"]  # fmt: skip


def test_rsf_edition_named_only_in_its_score_column():
    source, batch = ingest("rsf_edition_without_year_column_layout.csv")
    assert source == "rsf"
    assert loaded(batch) == {("media.press_freedom_score", "AFG", 2026, "_T"): 17.88,
                             ("media.press_freedom_rank", "AFG", 2026, "_T"): 175.0}  # fmt: skip


def test_hdx_hxl_table_by_province_places_rows_by_admin1_name():
    source, batch = ingest("hdx_hxl_idps_by_province_layout.csv")
    assert source == "hdx"
    assert loaded(batch) == {(IDPS, "AF-KAB", 2024, "F"): 120000.0,
                             (IDPS, "AF-KAB", 2024, "M"): 118500.0,
                             (IDPS, "AF-HER", 2024, "_T"): 310000.0}  # fmt: skip
    periods = {(r["period_start"].isoformat(), r["frequency"]) for r in batch.accepted.to_pylist()}
    assert periods == {("2024-06-01", "M")}


def test_owid_region_column_is_an_annotation_not_a_figure():
    source, batch = ingest("owid_grapher_with_region_column_layout.csv")
    assert source == "owid"
    share = "politics.women_parliament_share"
    assert loaded(batch) == {(share, "AFG", 2020, "_T"): 27.3, (share, "AFG", 2021, "_T"): 27.3}
    assert batch.quarantined.num_rows == 0


def test_undp_hdro_long_table_through_its_mapping_file():
    source, batch = ingest("undp_hdro_long_layout.csv")
    assert source == "undp_hdr"
    assert loaded(batch) == {("hdr.gender_inequality_index", "AFG", 2022, "_T"): 0.665}
    assert sorted(reasons(batch)) == [
        "indicator: 'gnipc_f' is not mapped to a catalog indicator [indicator.unmapped]",
        "value: empty (the source gives no figure) [value.empty]",
    ]
