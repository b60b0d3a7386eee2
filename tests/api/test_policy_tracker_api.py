"""The policy tracker ingested through Dagster from the project's shipped copy, then served:
/v1/events, and series points that name their decrees or their citation."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest
from fastapi.testclient import TestClient

import pipelines
from api.examples import EVENTS_EXAMPLE
from api.main import create_app
from api.schemas import EventsBody
from api.settings import ApiSettings
from tests.conftest import run_sources
from warehouse.personal_data import file_label
from warehouse.snapshots import current_snapshot

SHIPPED = Path(pipelines.__file__).parent / "real_data" / "afghanistan_policy_tracker"
FILES = ("decrees.csv", "figures.csv")


def ingest(home: Path) -> None:
    folder = home / "landing" / "policy_tracker"
    folder.mkdir(parents=True, exist_ok=True)
    for name in FILES:
        shutil.copyfile(SHIPPED / name, folder / name)
    assert run_sources(home, ["policy_tracker"]).success


def build_rows(home: Path, query: str, params=None) -> list[tuple]:
    con = duckdb.connect(str(home / "warehouse" / "build.duckdb"), read_only=True)
    try:
        return con.execute(query, params or []).fetchall()
    finally:
        con.close()


@pytest.fixture(scope="module")
def tracker_home(tmp_path_factory) -> Path:
    home = tmp_path_factory.mktemp("tracker") / "wppi"
    ingest(home)
    return home


@pytest.fixture(scope="module")
def client(tracker_home):
    with TestClient(create_app(ApiSettings(home=tracker_home))) as client:
        yield client


def series(client, indicator: str, geo: str, period: str) -> list[dict]:
    params = {"indicator": indicator, "geo": geo, "start": period, "end": period}
    response = client.get("/v1/series", params=params)
    assert response.status_code == 200, response.text
    return [p for s in response.json()["series"] for p in s["points"]]


def test_herat_movement_level_june_2022_is_2_with_its_decrees(client):
    [point] = series(client, "movement.restriction_level", "AF-HER", "2022-06")
    assert point["value"] == 2 and point["source"] == "policy_tracker"
    assert set(point["basis"]) == {"mahram_long_distance_road_2021_12", "flights_mahram_2022_03"}
    events = {e["id"] for e in client.get("/v1/events").json()["data"]}
    assert set(point["basis"]) <= events


def test_girls_secondary_schools_closed_nationally_in_april_2022(client):
    [point] = series(client, "education.girls_secondary_schools_open", "AFG", "2022-04")
    assert point["value"] == 0 and point["basis"]


def test_women_journalists_november_2021_is_the_survey_count_with_its_citation(client):
    [point] = series(client, "media.women_journalists_active", "AFG", "2021-11")
    assert (point["value"], point["obs_status"]) == (410, "A")
    assert point["source"] == "policy_tracker.rsf_aija_2021"
    assert point["citation"]["url"].startswith("https://newslaundry.com/")
    assert "410 women" in point["citation"]["evidence"]


def test_basis_and_citation_reach_the_csv(client):
    params = {"indicator": "movement.restriction_level", "geo": "AF-HER", "start": "2022-06",
              "end": "2022-06", "format": "csv"}  # fmt: skip
    [row] = list(csv.DictReader(io.StringIO(client.get("/v1/series", params=params).text)))
    assert set(row["basis"].split("|")) == {"mahram_long_distance_road_2021_12",
                                            "flights_mahram_2022_03"}  # fmt: skip


def test_events_list_every_decree_with_its_citation_in_json_and_csv(client):
    shipped = list(csv.DictReader(io.StringIO((SHIPPED / "decrees.csv").read_text("utf-8"))))
    body = client.get("/v1/events").json()
    assert len(body["data"]) == len(shipped) == 43
    by_id = {e["id"]: e for e in body["data"]}
    for row in shipped:
        citation = by_id[row["decree_id"]]["citation"]
        cited = (
            row["source_url"],
            row["source_publisher"],
            row["source_title"],
            row["source_date"],
        )
        assert (
            citation["url"],
            citation["publisher"],
            citation["title"],
            citation["date"],
        ) == cited
        assert by_id[row["decree_id"]]["evidence"] == row["evidence"]
    law = by_id["vice_virtue_law_transport_2024_08"]
    assert (law["date_announced"], law["date_effective"]) == ("2024-08-21", "2024-07-31")
    response = client.get("/v1/events", params={"format": "csv"})
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [r["id"] for r in rows] == [e["id"] for e in body["data"]]
    assert client.get("/v1/events", headers={"Accept": "text/csv"}).text == response.text


def test_event_bodies_and_the_documented_example_match_the_model(client):
    body = client.get("/v1/events").json()
    for each in (body, EVENTS_EXAMPLE):
        EventsBody.model_validate(each)  # extra fields are forbidden
    [example] = EVENTS_EXAMPLE["data"]
    assert example in body["data"]  # the documented event is the shipped one, word for word


def test_a_province_lists_its_own_and_the_national_decrees_only(client):
    data = client.get("/v1/events", params={"geo": "AF-HER"}).json()["data"]
    scopes = {e["scope"] for e in data}
    assert scopes == {"AF-HER", "AFG"}
    national = client.get("/v1/events", params={"geo": "AFG"}).json()["data"]
    assert {e["scope"] for e in national} == {"AFG"}
    assert len(data) == len(national) + sum(e["scope"] == "AF-HER" for e in data)


def test_event_filters_by_domain_and_effective_month(client):
    params = {"domain": "movement", "start": "2024-07", "end": "2024-07"}
    data = client.get("/v1/events", params=params).json()["data"]
    assert [e["id"] for e in data] == ["vice_virtue_law_transport_2024_08"]
    month_only = client.get("/v1/events", params={"start": "2022-05", "end": "2022-05"}).json()
    assert "driving_licences_herat_2022_05" in {e["id"] for e in month_only["data"]}


@pytest.mark.parametrize(
    ("params", "status", "parameter"),
    [({"domain": "sport"}, 422, "domain"), ({"geo": "AF-XXX"}, 404, "geo"),
     ({"start": "2022-13"}, 422, "start"), ({"scope": "AFG"}, 400, "scope")],
)  # fmt: skip
def test_bad_event_parameters_are_problems_naming_them(client, params, status, parameter):
    response = client.get("/v1/events", params=params)
    assert response.status_code == status
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["parameter"] == parameter


def test_events_answer_304_to_their_etag(client):
    tag = client.get("/v1/events").headers["etag"]
    assert client.get("/v1/events", headers={"If-None-Match": tag}).status_code == 304


def test_decree_counts_levels_and_flags_are_never_suppressed(client):
    # One justice decree (national) is in force in every province: a count of 1, public record.
    [point] = series(client, "policy.restrictions_in_force_justice", "AF-HER", "2024-06")
    assert (point["value"], point["obs_status"]) == (1, "A")


def test_rows_add_up_per_file_and_every_decree_is_an_event_or_quarantined(tracker_home):
    batches = build_rows(tracker_home, "select file_name, rows_in, rows_loaded, rows_quarantined "
                         "from batches where adapter = 'policy_tracker'")  # fmt: skip
    assert sorted(b[0] for b in batches) == sorted(map(file_label, FILES))  # names as labels
    for _, rows_in, loaded, quarantined in batches:
        assert rows_in == loaded + quarantined
    [(events,)] = build_rows(tracker_home, "select count(*) from policy_events")
    [(quarantined,)] = build_rows(tracker_home, "select count(*) from quarantine where "
                                  f"file_name = '{file_label('decrees.csv')}'")  # fmt: skip
    assert events + quarantined == 43
    figures = {b[0]: b for b in batches}[file_label("figures.csv")]
    assert figures[1] == 22


def test_ingesting_the_same_files_again_changes_nothing(tracker_home, client):
    count = ("select (select count(*) from policy_events), (select count(*) from observations),"
             " (select count(*) from point_notes)")  # fmt: skip
    before = build_rows(tracker_home, count)
    ingest(tracker_home)
    assert build_rows(tracker_home, count) == before


def test_a_new_edition_revises_events_and_points_and_retires_what_it_drops(tmp_path):
    home = tmp_path / "wppi"
    ingest(home)
    rows = list(csv.DictReader(io.StringIO((SHIPPED / "decrees.csv").read_text("utf-8"))))
    edition = [r for r in rows if r["decree_id"] != "band_e_amir_ban_2023_08"]  # Bamyan only
    for row in edition:
        if row["decree_id"] == "stay_home_security_2021_08":  # the only AFG decree in 2021-08
            row["date_announced"] = "2021-09-01"
        if row["decree_id"] == "flights_mahram_2022_03":
            row["summary"] = "Revised summary."
    folder = home / "landing" / "policy_tracker"
    with (folder / "decrees.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, list(rows[0]))
        writer.writeheader()
        writer.writerows(edition)
    assert run_sources(home, ["policy_tracker"]).success
    with TestClient(create_app(ApiSettings(home=home))) as client:
        events = {e["id"]: e for e in client.get("/v1/events").json()["data"]}
        assert len(events) == 42 and "band_e_amir_ban_2023_08" not in events
        assert events["flights_mahram_2022_03"]["summary"] == "Revised summary."
        assert series(client, "policy.restrictions_in_force", "AFG", "2021-08") == []
        [bamyan] = series(client, "policy.restrictions_in_force_public_space", "AF-BAM", "2023-09")
        assert "band_e_amir_ban_2023_08" not in bamyan["basis"]
    closed = build_rows(home, "select count(*) from policy_events where superseded_at is not null")
    assert closed == [(3,)]  # the dropped decree and the two revised ones' old versions


def test_the_extract_carries_the_events_and_the_point_notes(tracker_home):
    snapshot = current_snapshot(tracker_home / "snapshots")
    folder = tracker_home / "extracts" / snapshot.id
    events = pq.read_table(folder / "events.parquet").to_pylist()
    assert len(events) == 43 and all(e["citation_url"] for e in events)
    notes = pq.read_table(folder / "point_notes.parquet")
    assert notes.num_rows == build_rows(tracker_home, "select count(*) from point_notes")[0][0]
    manifest = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    listed = {r["path"]: r["rows"] for r in manifest["resources"]}
    assert listed["events.parquet"] == 43 and listed["point_notes.parquet"] == notes.num_rows
