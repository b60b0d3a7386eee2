"""The API over a snapshot published from the bundled sample."""

import csv

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from api.settings import ApiSettings
from tests.conftest import SAMPLE_CSV, land, row, run_partner

PROBLEM = "application/problem+json"


def submitted(indicator, geo):
    with SAMPLE_CSV.open(newline="") as handle:
        return {
            r["period"]: float(r["value"])
            for r in csv.DictReader(handle)
            if r["indicator_code"] == indicator and r["geo_code"] == geo and r["sex"] == "_T"
        }


def test_healthz_names_the_snapshot(client):
    body = client.get("/healthz").json()
    assert body["status"] == "ok" and body["snapshot"] and body["observations"] > 2000


def test_indicators_list_and_detail(client):
    data = client.get("/v1/indicators").json()["data"]
    codes = [d["code"] for d in data]
    assert codes == sorted(codes) and "business.women_led_closures" in codes
    detail = client.get("/v1/indicators/employment.women_public_sector_share").json()["data"]
    assert (detail["unit"], detail["max_value"], detail["value_type"]) == (
        "percent",
        100,
        "percent",
    )


def test_geographies_filter_by_level_and_parent(client):
    provinces = client.get("/v1/geographies", params={"level": "province"}).json()["data"]
    assert len(provinces) == 34
    assert all(p["parent"] == "AFG" and set(p) == {"code", "name", "name_lang", "level", "parent",
                                                   "name_status"}
               for p in provinces)  # fmt: skip
    assert client.get("/v1/geographies", params={"parent": "AFG"}).json()["data"] == provinces


def test_series_returns_the_submitted_values_in_period_order(client):
    response = client.get(
        "/v1/series",
        params={"indicator": "media.women_journalists_active", "geo": "AF-KAB,AF-HER",
                "start": "2022-01", "end": "2022-Q2"},
    )  # fmt: skip
    assert response.status_code == 200
    body = response.json()
    assert response.headers["etag"].startswith(f'"{body["snapshot"]}.')
    assert [s["geo"] for s in body["series"]] == ["AF-HER", "AF-KAB"]
    kabul = body["series"][1]
    periods = [p["period"] for p in kabul["points"]]
    assert periods == ["2022-01", "2022-02", "2022-03", "2022-04", "2022-05", "2022-06"]
    expected = submitted("media.women_journalists_active", "AF-KAB")
    assert {p["period"]: p["value"] for p in kabul["points"]} == {p: expected[p] for p in periods}


def test_small_province_counts_are_suppressed_in_the_series(client):
    body = client.get(
        "/v1/series", params={"indicator": "business.women_led_closures", "geo": "AF-BAM"}
    ).json()
    points = body["series"][0]["points"]
    small = {p for p, v in submitted("business.women_led_closures", "AF-BAM").items() if 1 <= v < 5}
    assert small, "the sample is meant to hold small counts"
    for point in points:
        if point["period"] in small:
            assert point["obs_status"] == "S" and point["value"] is None


def test_sex_filter_and_country_level_series(client):
    body = client.get(
        "/v1/series",
        params={"indicator": "displacement.afghan_refugees", "geo": "PAK", "sex": "F"},
    ).json()
    [series] = body["series"]
    assert series["sex"] == "F" and [p["period"] for p in series["points"]] == [
        "2021", "2022", "2023", "2024"]  # fmt: skip


@pytest.mark.parametrize(
    ("params", "status", "parameter"),
    [
        ({"indicator": "business.closures"}, 404, "indicator"),
        ({"indicator": "business"}, 404, "indicator"),  # exact codes only, never substrings
        ({"indicator": "business.women_led_closures", "geo": "AF-KAB,XX"}, 404, "geo"),
        ({"indicator": "business.women_led_closures", "start": "2022-13"}, 422, "start"),
        ({"indicator": "business.women_led_closures", "end": "soon"}, 422, "end"),
        ({"indicator": "business.women_led_closures", "sex": "W"}, 422, "sex"),
        ({"indicator": "business.women_led_closures", "age_group": "old"}, 422, "age_group"),
        ({}, 422, "indicator"),
        ({"indicator": "civic.reprisals_whrd"}, 401, "indicator"),
    ],
)
def test_errors_are_problem_json_naming_the_parameter(client, params, status, parameter):
    response = client.get("/v1/series", params=params)
    assert response.status_code == status
    assert response.headers["content-type"] == PROBLEM
    body = response.json()
    assert body["parameter"] == parameter and body["status"] == status and body["detail"]


def test_unknown_indicator_detail_is_a_problem(client):
    response = client.get("/v1/indicators/nope")
    assert response.status_code == 404 and response.headers["content-type"] == PROBLEM


def test_no_snapshot_yet_is_503(tmp_path):
    with TestClient(create_app(ApiSettings(home=tmp_path))) as client:
        response = client.get("/v1/indicators")
        assert response.status_code == 503 and response.headers["content-type"] == PROBLEM
        assert client.get("/healthz").status_code == 503


def test_a_new_snapshot_is_served_without_restart(home):
    land(home, "a.csv", [row(value="10")])
    assert run_partner(home).success
    with TestClient(create_app(ApiSettings(home=home))) as client:
        params = {"indicator": "business.women_led_closures", "geo": "AF-KAB"}
        first = client.get("/v1/series", params=params).json()
        land(home, "b.csv", [row(value="11")])
        assert run_partner(home, files=["b.csv"]).success
        second = client.get("/v1/series", params=params).json()
    assert first["series"][0]["points"][0]["value"] == 10.0
    assert second["series"][0]["points"][0]["value"] == 11.0
    assert first["snapshot"] != second["snapshot"]


def test_no_endpoint_writes():
    for route in create_app().routes:
        assert getattr(route, "methods", {"GET"}) <= {"GET", "HEAD"}, route.path
