"""`latest=N` on series and observations: the most recent N periods with a value per series."""

CLOSURES = "business.women_led_closures"


def test_latest_figure_of_every_place_in_one_request(client):
    everything = client.get("/v1/series", params={"indicator": CLOSURES}).json()["series"]
    latest = client.get("/v1/series", params={"indicator": CLOSURES, "latest": 1}).json()
    by_key = {(s["geo"], s["sex"], s["age_group"]): s["points"] for s in latest["series"]}
    assert len(by_key) > 5
    for series in everything:
        valued = [p for p in series["points"] if p["value"] is not None]
        key = (series["geo"], series["sex"], series["age_group"])
        if valued:
            assert [p["period"] for p in by_key[key]] == [valued[-1]["period"]]
            assert by_key[key][0]["value"] == valued[-1]["value"]
        else:
            assert key not in by_key


def test_latest_counts_periods_after_aggregation(client):
    params = {"indicator": CLOSURES, "geo": "AF-KAB", "sex": "_T", "frequency": "A"}
    years = client.get("/v1/series", params=params).json()["series"][0]["points"]
    two = client.get("/v1/series", params={**params, "latest": 2}).json()["series"][0]["points"]
    assert two == [p for p in years if p["value"] is not None][-2:]


def test_observations_agree_with_series_and_page_through(client):
    params = {"indicator": CLOSURES, "latest": 2}
    series = client.get("/v1/series", params=params).json()["series"]
    expected = sorted((s["geo"], p["period"]) for s in series for p in s["points"])
    got, query = [], {**params, "limit": 7}
    while True:
        body = client.get("/v1/observations", params=query).json()
        got += [(row["geo_code"], row["period"]) for row in body["data"]]
        if not body["next"]:
            break
        query = {**query, "cursor": body["next"].split("cursor=")[1]}
    assert sorted(got) == expected


def test_latest_must_be_a_positive_count(client):
    for bad in ("0", "-1", "x"):
        response = client.get("/v1/series", params={"indicator": CLOSURES, "latest": bad})
        assert response.status_code == 422 and response.json()["parameter"] == "latest"
