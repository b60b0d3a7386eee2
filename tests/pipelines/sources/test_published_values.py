"""Published figures equal the source figures, read here from the real files independently."""

from __future__ import annotations

import json
from collections import Counter
from datetime import datetime

import pytest

from tests.pipelines.sources.conftest import real_file, real_rows
from warehouse.personal_data import file_label


def first(rows, **match):
    [row] = [r for r in rows if all(r[k] == v for k, v in match.items())]
    return row


def test_worldbank_bulk_databank_and_hxl(real_run):
    bulk = real_file("worldbank_wdi/API_SL.TLF.TOTL.IN_DS2_en_csv_v2_5996631_afg_extract.csv")
    lines = bulk.read_text(encoding="utf-8-sig").splitlines()[4:]  # four preamble lines
    rows = real_rows_from(lines)
    afg = first(rows, **{"Country Code": "AFG"})
    for year in ("1990", "2020"):
        assert real_run.value("employment.labour_force_total", "AFG", f"{year}-01-01") == float(
            afg[year]
        )
    assert afg["2021"] == ""  # the post-takeover gap stays a gap
    assert not real_run.query(
        "select 1 from observations where indicator_code = 'employment.labour_force_total' "
        "and geo_code = 'AFG' and period_start = '2021-01-01'"
    )
    databank = real_rows("worldbank_wdi/WDI_databank_2021_semicolon_afg_extract.csv", ";")
    parl = first(databank, **{"Country Code": "AFG", "Series Code": "SG.GEN.PARL.ZS"})
    assert real_run.value(
        "politics.women_parliament_share", "AFG", "2021-01-01", source="worldbank.wdi"
    ) == float(parl["2021 [YR2021]"].replace(",", "."))
    wbl = first(databank, **{"Country Code": "AFG", "Series Code": "SG.LAW.INDX"})
    assert real_run.value("law.wbl_index", "AFG", "2021-01-01", source="worldbank.wdi") == float(
        wbl["2021 [YR2021]"].replace(",", ".")
    )
    hxl = real_rows("worldbank_wdi/hdx_indicators_AFG_hxl.csv")[1:]  # below the #tag row
    mmr = first(hxl, **{"Indicator Code": "SH.STA.MMRT", "Year": "2017"})
    assert real_run.value(
        "health.maternal_mortality_ratio", "AFG", "2017-01-01", source="worldbank.wdi"
    ) == float(mmr["Value"])


def real_rows_from(lines: list[str]) -> list[dict]:
    import csv

    return list(csv.DictReader(lines))


def test_unhcr_refugees_by_asylum_country_and_sex(real_run):
    population = real_rows("unhcr_refugees/population_afg_extract.csv")
    for coa, year in (("IRN", "2023"), ("PAK", "2022"), ("DEU", "2025")):
        row = first(population, coo_iso="AFG", coa_iso=coa, year=year)
        expected = int(row["refugees"]) + int(row["asylum_seekers"])
        assert real_run.value("displacement.afghan_refugees", coa, f"{year}-01-01") == expected
    demographics = real_rows("unhcr_refugees/demographics_afg_2025_extract.csv")
    hosted = [r for r in demographics if r["coo_iso"] == "AFG" and r["coa_iso"] == "PAK"
              and r["pop_type"] in ("REF", "ASY")]  # fmt: skip
    for sex, column in (("F", "f_total"), ("M", "m_total")):
        expected = sum(int(r[column]) for r in hosted)
        assert real_run.value("displacement.afghan_refugees", "PAK", "2025-01-01", sex) == expected


def test_owid_vdem_wbl_freedom_house(real_run):
    owid = real_rows("owid_grapher/WomenInLocalGov.csv")
    value_column = list(owid[0])[3]
    for code in ("AFG", "NOR", "PAK"):
        row = next(r for r in owid if r["Code"] == code)
        assert real_run.value(
            "politics.women_local_government_share", code, f"{row['Year']}-01-01"
        ) == float(row[value_column])
    vdem = real_rows("vdem/vdemlite_v14_women_media_extract.csv")
    vdem_cases = (
        ("2022", "v2x_gencl", "rights.women_civil_liberties_index"),
        ("2023", "v2mefemjrn", "media.female_journalists_share"),
        ("2023", "v2cldmovew", "movement.women_domestic_movement_freedom"),
    )
    for year, column, code in vdem_cases:
        row = first(vdem, country_text_id="AFG", year=year)
        assert real_run.value(code, "AFG", f"{year}-01-01") == float(row[column])
    wbl = real_rows("wbl_women_business_law/women-business-and-the-law-historical_afg_extract.csv")
    for year in ("2021", "2023", "2024"):
        row = first(wbl, **{"ISO Code": "AFG", "year": year})
        assert real_run.value(
            "law.wbl_index", "AFG", f"{year}-01-01", source="worldbank.wbl"
        ) == float(row["wbl_index"])
    fiw = real_rows("freedom_house_fiw/freedom-world_afg_extract.csv")
    for year, column, code in (("2025", "total", "rights.freedom_house_total"),
                               ("2022", "cl", "rights.freedom_house_civil_liberties"),
                               ("2024", "g1", "movement.freedom_house_movement")):  # fmt: skip
        row = first(fiw, country="Afghanistan", year=year)
        assert real_run.value(code, "AFG", f"{year}-01-01") == float(row[column])


def test_giwps_undp_unesco(real_run):
    wps23 = first(real_rows("giwps_wps_index/women-peace-and-security-index_2023_processed.csv"),
                  iso3="AFG")  # fmt: skip
    assert real_run.value("wps.index", "AFG", "2023-01-01") == float(
        wps23["women_peace_and_security_index"]
    )
    wps25 = first(real_rows("giwps_wps_index/wps-index-2025-analysis_clean.csv"), Code="AFG")
    assert real_run.value("wps.index", "AFG", "2025-01-01") == float(
        wps25["Women, Peace, and Security Index"]
    )
    assert real_run.value("wps.rank", "AFG", "2025-01-01") == float(wps25["WPS Index Rank"])
    hdro = real_rows("undp_hdr/hdro_indicators_afg.csv")
    for indicator_id, code, sex in (("lfpr_f", "employment.labour_force_participation", "F"),
                                    ("mys_f", "education.mean_years_schooling", "F")):  # fmt: skip
        row = first(hdro, indicator_id=indicator_id, year="2022")
        assert real_run.value(code, "AFG", "2022-01-01", sex, source="undp.hdr") == float(
            row["value"]
        )
    gii = first(real_rows("undp_hdr/hdro_indicators_aggregates_afg.csv"), indicator_id="gii",
                year="2021")  # fmt: skip
    assert real_run.value("hdr.gender_inequality_index", "AFG", "2021-01-01") == float(gii["value"])
    table4 = real_file("undp_hdr/hdr2021_22_table4_gdi_semicolon.csv").read_text("utf-8-sig")
    [afg] = [line.split(";") for line in table4.splitlines() if ";Afghanistan;" in line]
    assert real_run.value(
        "hdr.gender_development_index", "AFG", "2021-01-01", source="undp.hdr_2021_22"
    ) == float(afg[2].replace(",", "."))
    assert real_run.value("hdr.hdi", "AFG", "2021-01-01", "F", source="undp.hdr_2021_22") == float(
        afg[6].replace(",", ".")
    )
    uis = real_rows("unesco_uis/NATMON_data_AFG.csv")[1:]
    uis_cases = (
        ("GER.2t3.F", "education.gross_enrolment_secondary", "F"),
        ("GER.1.M", "education.gross_enrolment_primary", "M"),
    )
    for indicator_id, code, sex in uis_cases:
        row = max((r for r in uis if r["indicator_id"] == indicator_id and r["value"]),
                  key=lambda r: r["year"])  # fmt: skip
        assert real_run.value(code, "AFG", f"{row['year']}-01-01", sex) == float(row["value"])


def test_rsf_scores_published(real_run):
    assert real_run.value("media.press_freedom_score", "AFG", "2024-01-01") == 19.09
    owid = real_rows("rsf_press_freedom/owid_World_Press_Freedom_Index_RSF_2022_afg_extract.csv")
    row = first(owid, Entity="Afghanistan", Year="2021")
    assert real_run.value("media.press_freedom_score_legacy", "AFG", "2021-01-01") == float(
        row["Press Freedom Score"]
    )


def test_incidents_are_counted_by_month_and_country(real_run):
    kika = real_rows("insecurity_insight/2020-2025-AFG_Aid_Worker_KIKA_Incident_Data.csv")
    per_month = Counter(r["Date"][:7] for r in kika)
    month, count = per_month.most_common(1)[0]
    assert real_run.value("security.aid_worker_incidents", "AFG", f"{month}-01") == count
    female = sum(int(r[f"Female Aid Workers {h}"]) for r in kika if r["Date"][:7] == month
                 for h in ("Killed", "Injured", "Kidnapped", "Arrested"))  # fmt: skip
    assert real_run.value("security.aid_worker_victims", "AFG", f"{month}-01", "F") == female
    crsv = real_rows(
        "insecurity_insight/2021-2025-AFG_Conflict_Related_Sexual_Violence_Incident_Data.csv"
    )
    year_2024 = [r for r in crsv if r["Date"].startswith("2024-09")]
    assert real_run.value("security.crsv_victims", "AFG", "2024-09-01") == sum(
        int(r["Number of Reported Victims"]) for r in year_2024
    )
    cpj = real_rows("cpj_journalists_killed/cpj_killed_afg_pak_irn_extract.csv")
    killed = Counter(
        (r["country"], datetime.strptime(r["entry_date"], "%m/%d/%y").year, r["gender"])
        for r in cpj
    )
    assert (
        real_run.value("media.journalists_killed", "AFG", "2021-01-01", "F")
        == killed[("Afghanistan", 2021, "Female")]
    )
    total = sum(n for (country, year, _), n in killed.items() if (country, year) == (
        "Pakistan", 2011))  # fmt: skip
    assert real_run.value("media.journalists_killed", "PAK", "2011-01-01") == total


def test_province_counts_sum_to_country_where_provinces_are_known(real_run):
    rows = real_run.query_build(
        "select geo_code, value from observations where superseded_at is null "
        "and indicator_code = 'education.attack_incidents' and period_start = '2022-05-01'"
    )
    values = dict(rows)
    edu = real_rows("insecurity_insight/2020-2025-AFG_Education_in_Danger_Incident_Data.csv")
    month = [r for r in edu if r["Date"].startswith("2022-05")]
    assert values["AFG"] == len(month)
    known = [r for r in month if r["Admin 1"] != "No Information"]
    assert sum(v for geo, v in values.items() if geo != "AFG") == len(known)


@pytest.mark.parametrize("name", ["WomenInLocalGov.csv", "population_afg_extract.csv"])
def test_quarantine_names_the_unmapped_spelling(real_run, name):
    rows = real_run.query_build(
        "select raw, reasons from quarantine where file_name = ?", [file_label(name)]
    )
    assert rows
    for raw, reasons in rows:
        assert any("'" in reason for reason in reasons), reasons
        json.loads(raw)
