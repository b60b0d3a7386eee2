"""One value per series point: a series is keyed by source, `source=` picks one, a place
without data gets an explicit empty series with a note, and demo values say what they are."""

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from api.settings import ApiSettings
from tests.conftest import land, row, run_partner

CLOSURES = "business.women_led_closures"
SHARE = "employment.women_public_sector_share"
PROBLEM = "application/problem+json"


@pytest.fixture(scope="module")
def two_sources(tmp_path_factory):
    """Two sources giving the same place and months, one of them in one month only."""
    home = tmp_path_factory.mktemp("two_sources") / "wppi"
    rows = [row(period=p, value=v, source_id="partner.ngo") for p, v in
            (("2022-03", "12"), ("2022-04", "14"))]  # fmt: skip
    rows += [row(period="2022-03", value="20", source_id="partner.un")]
    land(home, "two.csv", rows)
    assert run_partner(home).success
    with TestClient(create_app(ApiSettings(home=home))) as client:
        yield client


def test_two_sources_for_one_cell_are_two_series_each_naming_its_publisher(two_sources):
    body = two_sources.get("/v1/series", params={"indicator": CLOSURES, "geo": "AF-KAB"}).json()
    by_source = {s["source"]: s for s in body["series"]}
    assert set(by_source) == {"partner.ngo", "partner.un"}
    assert [(p["period"], p["value"]) for p in by_source["partner.ngo"]["points"]] == [
        ("2022-03", 12.0), ("2022-04", 14.0)]  # fmt: skip
    assert [(p["period"], p["value"]) for p in by_source["partner.un"]["points"]] == [
        ("2022-03", 20.0)]  # fmt: skip
    assert by_source["partner.un"]["publisher"].startswith("United Nations")
    assert by_source["partner.ngo"]["publisher"].startswith("WPPI partner organisations")
    for series in body["series"]:
        periods = [p["period"] for p in series["points"]]
        assert len(periods) == len(set(periods))
        assert series["demo"] is False and not any(p["demo"] for p in series["points"])
    # CSV rows come in the same series order.
    csv_lines = two_sources.get(
        "/v1/series", params={"indicator": CLOSURES, "geo": "AF-KAB", "format": "csv"}
    ).text.splitlines()
    assert [line.split(",")[4:6] + line.split(",")[9:11] for line in csv_lines[1:]] == [
        ["2022-03", "12", "partner.ngo", "false"], ["2022-04", "14", "partner.ngo", "false"],
        ["2022-03", "20", "partner.un", "false"]]  # fmt: skip


@pytest.mark.parametrize(
    ("path", "extra"),
    [("/v1/series", {"geo": "AF-KAB"}), ("/v1/observations", {}),
     ("/v1/changes", {"since": "2000-01-01"})],
)  # fmt: skip
def test_source_selects_exactly_one_source(two_sources, path, extra):
    params = {"indicator": CLOSURES, **extra}
    body = two_sources.get(path, params={**params, "source": "partner.un"}).json()
    if path == "/v1/series":
        [series] = body["series"]
        assert series["source"] == "partner.un" and len(series["points"]) == 1
    else:
        assert [r["source_id"] for r in body["data"]] == ["partner.un"]
    # Exact ids only: a prefix or a different case is an unknown source, named as such.
    for wrong in ("partner", "PARTNER.UN", "partner.un "):
        response = two_sources.get(path, params={**params, "source": wrong})
        assert response.status_code == 404, wrong
        assert response.headers["content-type"] == PROBLEM
        assert response.json()["parameter"] == "source"


def test_the_source_parameter_is_part_of_the_cache_key(two_sources):
    params = {"indicator": CLOSURES, "geo": "AF-KAB"}
    every = two_sources.get("/v1/series", params=params)
    one = two_sources.get("/v1/series", params={**params, "source": "partner.ngo"})
    again = two_sources.get("/v1/series", params=params)
    assert len(every.json()["series"]) == 2 and len(one.json()["series"]) == 1
    assert every.headers["etag"] != one.headers["etag"]
    assert again.content == every.content


def test_a_place_without_data_is_an_explicit_empty_series_with_a_note(client):
    body = client.get("/v1/series", params={"indicator": SHARE, "geo": "AFG,AF-ZAB"}).json()
    national, empty = body["series"]
    assert national["geo"] == "AFG" and national["points"]  # the national row is served
    assert (empty["geo"], empty["points"], empty["source"]) == ("AF-ZAB", [], None)
    assert body["note"] == (
        f"No data for AF-ZAB with the filters given. Places with data for '{SHARE}': AFG."
    )
    found = client.get("/v1/series", params={"indicator": SHARE, "geo": "AFG"}).json()
    assert found["note"] is None


def test_sample_values_are_marked_demo_in_series_observations_and_sources(client):
    series = client.get("/v1/series", params={"indicator": SHARE, "geo": "AFG"}).json()
    [only] = series["series"]
    assert only["source"] == "wppi.sample" and only["demo"] is True
    assert all(p["demo"] for p in only["points"])
    rows = client.get("/v1/observations", params={"indicator": SHARE, "limit": 5}).json()
    assert rows["data"] and all(r["demo"] for r in rows["data"])
    sources = {s["id"]: s["demo"] for s in client.get("/v1/sources").json()["data"]}
    assert sources["wppi.sample"] is True
    assert not any(demo for source, demo in sources.items() if source != "wppi.sample")


def test_chart_page_warns_about_demo_data_and_labels_lines_with_publishers(client, two_sources):
    demo = client.get("/", params={"indicator": SHARE, "geo": "AFG"}).text
    assert 'class="demo-notice"' in demo and "Invented demonstration data" in demo
    assert "WPPI (invented figures for demonstration, not real data)" in demo
    real = two_sources.get("/", params={"indicator": CLOSURES, "geo": "AF-KAB"}).text
    assert "demo-notice" not in real
    assert real.count('<g class="series"') == 2
    assert "· United Nations human-rights monitoring" in real
    assert "· WPPI partner organisations" in real
