"""The policy tracker adapter on the project's shipped copy: events, derived series, figures."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest

import pipelines
from pipelines.sources.detect import detect_source, recognise
from pipelines.sources.policy_tracker import (
    DECREE_COLUMNS,
    conform_policy_tracker,
    read_policy_tracker_file,
)
from pipelines.validation import validate_batch
from warehouse.catalog import load_catalog

SHIPPED = Path(pipelines.__file__).parent / "real_data" / "afghanistan_policy_tracker"
PROVINCES = {c for c, p in load_catalog().places.items() if p.parent == "AFG"}


def shipped_rows(name: str) -> list[dict]:
    """A shipped file read independently of the adapter."""
    return list(csv.DictReader(io.StringIO((SHIPPED / name).read_text(encoding="utf-8"))))


def conform(path: Path):
    batch = read_policy_tracker_file(path)
    return batch, conform_policy_tracker(batch, load_catalog())


@pytest.fixture(scope="module")
def decrees():
    return conform(SHIPPED / "decrees.csv")[1]


@pytest.fixture(scope="module")
def points(decrees) -> dict[tuple, tuple[float, list[str]]]:
    """(indicator, geo, period_start) -> (value, basis) of every derived point."""
    table = decrees.table.to_pylist()
    notes = decrees.notes.to_pylist()
    assert len(table) == len(notes)
    out = {}
    for row, note in zip(table, notes, strict=True):
        key = (row["indicator_code"], row["geo_code"], row["period_start"])
        assert key == (note["indicator_code"], note["geo_code"], note["period_start"])
        assert key not in out
        out[key] = (row["value"], note["basis"])
    return out


def basis(points, indicator: str, geo: str, month: str) -> list[str]:
    found = points.get((indicator, geo, date.fromisoformat(f"{month}-01")))
    return found[1] if found else []


def test_every_decree_becomes_an_event_with_its_citation(decrees):
    rows = shipped_rows("decrees.csv")
    events = {e["id"]: e for e in decrees.events.to_pylist()}
    assert len(rows) == 43 and set(events) == {r["decree_id"] for r in rows}
    assert decrees.raw.malformed.num_rows == 0
    for row in rows:
        event = events[row["decree_id"]]
        assert event["scope"] == ("AFG" if row["scope"] == "AF" else row["scope"])
        assert (event["citation_url"], event["citation_date"], event["evidence"]) == (
            row["source_url"], row["source_date"], row["evidence"])  # fmt: skip


def test_national_decree_reaches_all_34_provinces_and_the_national_row(points):
    geos = {geo for (code, geo, start), (_, b) in points.items()
            if code == "movement.restriction_level" and start == date(2022, 1, 1)
            and "mahram_long_distance_road_2021_12" in b}  # fmt: skip
    assert len(PROVINCES) == 34 and geos == PROVINCES | {"AFG"}


def test_a_provincial_decree_stays_in_its_province(points):
    rows = {r["decree_id"]: r for r in shipped_rows("decrees.csv")}
    provincial = {d: r["scope"] for d, r in rows.items() if r["scope"] != "AF"}
    assert provincial["hammam_ban_herat_2022_01"] == "AF-HER"
    for (_, geo, _), (_, used) in points.items():
        for decree in used:
            assert provincial.get(decree, geo) == geo, (decree, geo)
    assert "hammam_ban_herat_2022_01" in basis(points, "policy.restrictions_in_force", "AF-HER",
                                               "2022-02")  # fmt: skip


def test_herat_movement_level_in_june_2022_is_2_with_the_decrees_behind_it(points):
    value, used = points[("movement.restriction_level", "AF-HER", date(2022, 6, 1))]
    assert value == 2
    assert set(used) == {"mahram_long_distance_road_2021_12", "flights_mahram_2022_03"}
    levels = {v for (code, _, _), (v, _) in points.items() if code == "movement.restriction_level"}
    assert levels == {2}  # the national level-2 rule is older than every level-1 decree


def test_girls_secondary_schools_closed_only_where_a_decree_says_so(points):
    value, used = points[("education.girls_secondary_schools_open", "AFG", date(2022, 4, 1))]
    assert value == 0
    assert set(used) == {
        "secondary_reopen_boys_only_2021_09",
        "girls_secondary_kept_closed_2022_03",
    }
    flags = {
        k: v for k, (v, _) in points.items() if k[0] == "education.girls_secondary_schools_open"
    }
    assert set(flags.values()) == {0}
    assert min(start for _, _, start in flags) == date(2021, 9, 1)  # nothing inferred before


def test_effective_date_before_announcement_counts_from_the_effective_month(points):
    law = "vice_virtue_law_transport_2024_08"  # effective 2024-07-31, announced 2024-08-21
    assert law in basis(points, "policy.restrictions_in_force_movement", "AFG", "2024-07")
    assert law not in basis(points, "policy.restrictions_in_force_movement", "AFG", "2024-06")


def test_a_month_only_date_means_that_month(points):
    licences = "driving_licences_herat_2022_05"  # date_announced 2022-05
    assert licences in basis(points, "policy.restrictions_in_force_movement", "AF-HER", "2022-05")
    assert licences not in basis(points, "policy.restrictions_in_force_movement", "AF-HER",
                                 "2022-04")  # fmt: skip


def test_a_lifted_decree_leaves_the_series_after_its_last_month(points):
    rule = "restaurant_segregation_herat_2022_05"  # lifted 2022-05-14 (policy_tracker.yaml)
    assert rule in basis(points, "policy.restrictions_in_force_public_space", "AF-HER", "2022-05")
    assert rule not in basis(points, "policy.restrictions_in_force_public_space", "AF-HER",
                             "2022-06")  # fmt: skip


def test_series_end_at_the_latest_month_the_tracker_names(points):
    assert max(start for _, _, start in points) == date(2025, 9, 1)


def test_figures_keep_status_bounds_citation_and_every_row(tmp_path):
    batch, figures = conform(SHIPPED / "figures.csv")
    rows = shipped_rows("figures.csv")
    assert batch.rows_in == len(rows) == 22
    assert figures.table.num_rows + figures.raw.malformed.num_rows == 22
    loaded = {(r["indicator_code"], r["geo_code"], str(r["period_start"]), r["source_id"]): r
              for r in figures.table.to_pylist()}  # fmt: skip
    survey = loaded[("media.women_journalists_active", "AFG", "2021-11-01",
                     "policy_tracker.rsf_aija_2021")]  # fmt: skip
    assert (survey["value"], survey["obs_status"]) == (410, "A")
    # Two surveys' baselines for the same month stay two points, under their own sources.
    assert loaded[("media.women_journalists_active", "AFG", "2021-08-01",
                   "policy_tracker.rsf_2022")]["value"] == 2756  # fmt: skip
    assert loaded[("media.women_journalists_active", "AFG", "2021-08-01",
                   "policy_tracker.rsf_aija_2021")]["value"] == 2490  # fmt: skip
    ceiling = loaded[("media.women_journalists_active", "AF-KAB", "2021-08-01",
                      "policy_tracker.figures")]  # fmt: skip
    assert (ceiling["value"], ceiling["upper"], ceiling["obs_status"]) == (100, 100, "E")
    floor = loaded[("civic.women_led_protests_cumulative", "AFG", "2023-08-01",
                    "policy_tracker.figures")]  # fmt: skip
    assert (floor["value"], floor["lower"], floor["obs_status"]) == (221, 221, "E")
    notes = {n["period_start"]: n for n in figures.notes.to_pylist()
             if n["source_id"] == "policy_tracker.rsf_aija_2021"}  # fmt: skip
    assert notes[date(2021, 11, 1)]["citation_url"].startswith("https://newslaundry.com/")
    reasons = [r for q in figures.raw.malformed.to_pylist() for r in q["reasons"]]
    assert any("'other' (figure un_afghan_women_staff_2023_04)" in r for r in reasons)


def test_bad_decree_rows_are_quarantined_naming_the_field(tmp_path):
    rows = shipped_rows("decrees.csv")[:4]
    rows[0]["date_announced"] = "24 Aug 2021"
    rows[1]["scope"] = "AF-XYZ"
    rows[2]["movement_level"] = "3"  # allowed: the catalog has level 3
    rows[2]["domain"] = "movement"
    rows[3]["evidence"] = " ".join(["word"] * 26)
    path = tmp_path / "decrees.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, DECREE_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    batch, conformed = conform(path)
    reasons = {q["line"]: q["reasons"] for q in conformed.raw.malformed.to_pylist()}
    assert set(reasons) == {2, 3, 5}
    assert reasons[2][0].startswith("date_announced: '24 Aug 2021'")
    assert reasons[2][0].endswith("[tracker.date_announced]")  # counted by /v1/quality
    assert reasons[3][0].startswith("scope: 'AF-XYZ'")
    assert reasons[5][0].startswith("evidence: 26 words")
    assert [e["id"] for e in conformed.events.to_pylist()] == [rows[2]["decree_id"]]
    assert conformed.raw.rows_in == conformed.table.num_rows + 3


def test_the_tracker_is_recognised_by_folder_and_by_content(tmp_path):
    assert detect_source(SHIPPED / "decrees.csv") == "policy_tracker"
    for name in ("decrees.csv", "figures.csv"):
        (tmp_path / name).write_bytes((SHIPPED / name).read_bytes())
        assert recognise(tmp_path / name) == "policy_tracker"


def test_two_figures_for_one_cell_of_one_source_are_both_held_back(tmp_path):
    """A new edition's figure from a survey with no source of its own must not overwrite
    (or sit beside) another survey's figure for the same month: both go to quarantine."""
    text = (SHIPPED / "figures.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    [survey] = [r for r in rows if r["figure_id"] == "rsf_aija_women_media_workers_2021_11"]
    clash = {**survey, "figure_id": "another_survey_2021_11", "value": "500"}
    path = tmp_path / "figures.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, list(rows[0]))
        writer.writeheader()
        writer.writerows([{**survey, "figure_id": "one_more_2021_11"}, clash])
    _, conformed = conform(path)
    batch, _ = validate_batch(conformed, load_catalog(), date(2026, 12, 3))
    assert batch.accepted.num_rows == 0 and batch.quarantined.num_rows == 2
    for reasons in batch.quarantined["reasons"].to_pylist():
        assert any("[key.unique]" in reason for reason in reasons)


def test_every_derived_value_is_what_its_basis_decrees_state(points):
    rows = {r["decree_id"]: r for r in shipped_rows("decrees.csv")}
    for (code, geo, start), (value, used) in points.items():
        assert used, (code, geo, start)
        stated = [rows[d] for d in used]
        if code == "movement.restriction_level":
            assert {int(r["movement_level"]) for r in stated} == {value}
        elif code == "education.girls_secondary_schools_open":
            assert {int(r["girls_secondary_open"]) for r in stated} == {value}
        else:
            assert value == len(used) == len(set(used))
            domain = code.removeprefix("policy.restrictions_in_force").lstrip("_")
            assert all(r["domain"] == domain for r in stated) or domain == ""
