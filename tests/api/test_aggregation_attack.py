"""Attack: recover a suppressed month from quarterly or annual aggregates. It must fail."""

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from api.settings import ApiSettings
from tests.conftest import land, row, run_partner

CLOSURES = "business.women_led_closures"
MONTHS = {"2022-01": "10", "2022-02": "3", "2022-03": "12", "2022-04": "9", "2022-05": "8",
          "2022-06": "7", "2022-07": "6", "2022-08": "11", "2022-09": "13", "2022-10": "14",
          "2022-11": "15", "2022-12": "16"}  # fmt: skip


@pytest.fixture(scope="module")
def attacked(tmp_path_factory):
    home = tmp_path_factory.mktemp("attack") / "wppi"
    land(home, "a.csv", [row(geo="AF-KAB", period=p, value=v) for p, v in MONTHS.items()])
    assert run_partner(home).success
    with TestClient(create_app(ApiSettings(home=home))) as client:
        yield client


def published(client, frequency=None):
    params = {"indicator": CLOSURES, "geo": "AF-KAB"}
    if frequency:
        params["frequency"] = frequency
    body = client.get("/v1/series", params=params).json()
    return {p["period"]: (p["value"], p["obs_status"]) for p in body["series"][0]["points"]}


def test_a_suppressed_month_cannot_be_recovered_from_quarters_or_years(attacked):
    months = published(attacked)
    assert months["2022-02"] == (None, "S")  # 3 is below the threshold of 5
    quarters, years = published(attacked, "Q"), published(attacked, "A")
    # Every aggregate containing the hidden month is itself hidden...
    assert quarters["2022-Q1"] == (None, "S") and years["2022"] == (None, "S")
    # ...while the others are the plain sums, so the rule hides no more than it must.
    assert quarters["2022-Q2"] == (24.0, "A") and quarters["2022-Q4"] == (45.0, "A")

    # The attack: a published aggregate minus the other published months inside it. For
    # every published aggregate that subtraction only ever gives back a month that is itself
    # published, so February's 3 can never come out.
    def covers(aggregate, month):
        quarter = f"{month[:4]}-Q{(int(month[5:]) - 1) // 3 + 1}"
        return aggregate in (month[:4], quarter)

    for aggregate, (total, _) in {**quarters, **years}.items():
        if total is None:
            continue
        inside = [m for m in months if covers(aggregate, m)]
        assert "2022-02" not in inside
        for month in inside:
            others = sum(months[o][0] for o in inside if o != month)
            assert total - others == months[month][0] != 3.0


def test_sample_suppressed_months_stay_hidden_in_every_aggregate(client):
    params = {"indicator": CLOSURES}
    body = client.get("/v1/series", params=params).json()
    hidden = {(s["geo"], p["period"]) for s in body["series"] for p in s["points"]
              if p["obs_status"] == "S"}  # fmt: skip
    assert hidden, "the sample holds small counts"
    for frequency, label in (("Q", lambda m: f"{m[:4]}-Q{(int(m[5:]) - 1) // 3 + 1}"),
                             ("A", lambda m: m[:4])):  # fmt: skip
        body = client.get("/v1/series", params={**params, "frequency": frequency}).json()
        aggregates = {(s["geo"], p["period"]): p for s in body["series"] for p in s["points"]}
        for geo, month in hidden:
            point = aggregates[(geo, label(month))]
            assert point["value"] is None and point["obs_status"] == "S", (geo, month)
