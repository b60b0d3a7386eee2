"""Every endpoint of the monitors' API over the sample snapshot, and over revised data."""

import csv
from collections import defaultdict
from statistics import fmean

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from api.settings import ApiSettings
from tests.conftest import SAMPLE_CSV, land, row, run_partner
from warehouse.catalog import load_catalog

PROBLEM = "application/problem+json"
CLOSURES = "business.women_led_closures"


def sample_rows(indicator, geo):
    with SAMPLE_CSV.open(newline="") as handle:
        return {r["period"]: r for r in csv.DictReader(handle)
                if r["indicator_code"] == indicator and r["geo_code"] == geo
                and r["sex"] == "_T"}  # fmt: skip


def test_indicators_filter_by_exact_topic_and_search_words(client):
    media = client.get("/v1/indicators", params={"topic": "media"}).json()["data"]
    expected = sorted(c for c, i in load_catalog().indicators.items() if i.topic == "media")
    assert [i["code"] for i in media] == expected and "media.women_journalists_active" in expected
    by_definition = client.get("/v1/indicators", params={"q": "Mahram"}).json()["data"]
    assert "movement.restriction_level" in [i["code"] for i in by_definition]
    assert all("mahram" in (i["name"] + i["definition"]).lower() for i in by_definition)
    both_words = client.get("/v1/indicators", params={"q": "women closures"}).json()["data"]
    assert [i["code"] for i in both_words] == [CLOSURES]
    assert client.get("/v1/indicators", params={"q": "women xyzzy"}).json()["data"] == []
    # The search never turns a partial code into a match on the code itself.
    assert client.get("/v1/indicators/business").status_code == 404
    response = client.get("/v1/indicators", params={"topic": "busi"})
    assert response.status_code == 422 and response.json()["parameter"] == "topic"


def test_indicator_detail_has_coverage(client):
    detail = client.get(f"/v1/indicators/{CLOSURES}").json()["data"]
    with SAMPLE_CSV.open(newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if r["indicator_code"] == CLOSURES]
    coverage = detail["coverage"]
    assert coverage["places"] == len({r["geo_code"] for r in rows})
    assert coverage["geos"] == sorted({r["geo_code"] for r in rows})
    assert coverage["first_period"] == min(r["period"] for r in rows)
    assert coverage["last_period"] == max(r["period"] for r in rows)
    assert coverage["sources"] == ["wppi.sample"] and coverage["last_updated"].endswith("Z")


def test_restricted_indicator_detail_reveals_no_coverage(client):
    detail = client.get("/v1/indicators/civic.reprisals_whrd").json()["data"]
    assert detail["tier"] == "restricted" and detail["coverage"] is None
    answers = set()
    for geo in ("AF-KAB", "AF-ZAB", "AFG"):  # same answer whether or not data exists
        response = client.get("/v1/series", params={"indicator": "civic.reprisals_whrd",
                                                    "geo": geo})  # fmt: skip
        assert response.status_code == 401
        answers.add(response.json()["detail"])
    assert len(answers) == 1 and "API key" in answers.pop()
    observed = client.get("/v1/observations", params={"limit": 10000}).json()["data"]
    assert "civic.reprisals_whrd" not in {o["indicator_code"] for o in observed}


def test_place_names_in_dari_and_pashto_with_english_fallback(client):
    countries = client.get("/v1/geographies", params={"level": "country", "lang": "fa-AF"})
    assert countries.headers["content-language"] == "fa-AF"
    afg = next(p for p in countries.json()["data"] if p["code"] == "AFG")
    assert afg["name"] == "افغانستان" and afg["name_lang"] == "fa-AF"
    pashto = client.get("/v1/geographies", params={"level": "country"},
                        headers={"Accept-Language": "ps, en;q=0.5"}).json()["data"]  # fmt: skip
    assert next(p for p in pashto if p["code"] == "PAK")["name_lang"] == "ps"
    provinces = client.get("/v1/geographies", params={"level": "province", "lang": "ps"})
    kabul = next(p for p in provinces.json()["data"] if p["code"] == "AF-KAB")
    assert kabul["name_lang"] == "ps" and kabul["name"] == "کابل"  # catalog/translations.yaml
    aruba = next(p for p in pashto if p["code"] == "ABW")  # iso-codes has no Pashto name
    assert aruba["name_lang"] == "en" and aruba["name"] == "Aruba"
    german = client.get("/v1/geographies", headers={"Accept-Language": "de"}).json()["data"]
    assert {p["name_lang"] for p in german} == {"en"}


def test_sources(client):
    data = client.get("/v1/sources").json()["data"]
    assert [s["id"] for s in data] == sorted(load_catalog().sources)
    assert all(s["publisher"] and s["licence"] and s["url"] for s in data)


def points(client, **params):
    body = client.get("/v1/series", params=params).json()
    return {p["period"]: p for p in body["series"][0]["points"]}


@pytest.mark.parametrize(
    ("indicator", "geo", "combine"),
    [
        (CLOSURES, "AF-KAB", sum),  # counts are summed
        ("media.women_journalists_active", "AF-KAB", lambda values: values[-1]),  # last
        ("employment.women_public_sector_share", "AFG", fmean),  # rates are averaged
    ],
)
def test_series_aggregate_by_the_catalog_rule(client, indicator, geo, combine):
    submitted = sample_rows(indicator, geo)
    monthly = points(client, indicator=indicator, geo=geo)
    quarters = points(client, indicator=indicator, geo=geo, frequency="Q")
    by_quarter, hidden = defaultdict(list), set()
    for period, r in sorted(submitted.items()):
        quarter = f"{period[:4]}-Q{(int(period[5:7]) - 1) // 3 + 1}"
        by_quarter[quarter].append(float(r["value"]))
        if monthly[period]["obs_status"] == "S":
            hidden.add(quarter)
    assert set(quarters) == set(by_quarter)
    for quarter, values in by_quarter.items():
        if quarter in hidden:
            assert (quarters[quarter]["value"], quarters[quarter]["obs_status"]) == (None, "S")
        else:
            assert quarters[quarter]["value"] == pytest.approx(combine(values)), quarter
    assert len(hidden) < len(by_quarter)
    years = points(client, indicator=indicator, geo=geo, frequency="A")
    assert set(years) == {q[:4] for q in by_quarter}


def test_series_cannot_split_coarser_periods(client):
    response = client.get("/v1/series", params={"indicator": "displacement.afghan_refugees",
                                                "frequency": "Q"})  # fmt: skip
    assert response.status_code == 422 and response.json()["parameter"] == "frequency"
    response = client.get("/v1/series", params={"indicator": CLOSURES, "frequency": "W"})
    assert response.status_code == 422 and response.json()["parameter"] == "frequency"


def test_observations_pages_cover_every_row_once_in_a_stable_order(client):
    params = {"indicator": f"{CLOSURES},movement.restriction_level", "start": "2022"}
    whole = client.get("/v1/observations", params={**params, "limit": 10000}).json()
    assert whole["next"] is None and len(whole["data"]) > 700
    paged, url, pages = [], "/v1/observations", 0
    query = {**params, "limit": 250}
    while url:
        body = client.get(url, params=query).json()
        paged += body["data"]
        url, query, pages = body["next"], None, pages + 1
    assert pages == -(-len(whole["data"]) // 250)
    assert paged == whole["data"]
    keys = [(o["indicator_code"], o["geo_code"], o["sex"], o["age_group"], o["period_start"])
            for o in paged]  # fmt: skip
    assert keys == sorted(keys) and len(set(keys)) == len(keys)


@pytest.mark.parametrize(
    ("params", "status", "parameter"),
    [
        ({"limit": 10001}, 422, "limit"),
        ({"limit": 0}, 422, "limit"),
        ({"cursor": "not-a-cursor"}, 422, "cursor"),
        ({"indicator": "business"}, 404, "indicator"),
        ({"indicator": "civic.reprisals_whrd"}, 401, "indicator"),
        ({"as_of": "yesterday"}, 422, "as_of"),
        ({"updated_after": "2024-13-01"}, 422, "updated_after"),
        ({"geo": "AF-KA"}, 404, "geo"),
        ({"indicatr": CLOSURES}, 400, "indicatr"),  # unknown parameters are rejected
    ],
)
def test_observation_errors_name_the_parameter(client, params, status, parameter):
    response = client.get("/v1/observations", params=params)
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["parameter"] == parameter


def test_unknown_and_repeated_parameters_are_rejected_everywhere(client):
    for path in ("/v1/indicators", "/v1/geographies", "/v1/sources", "/v1/quality",
                 "/v1/snapshots", f"/v1/indicators/{CLOSURES}"):  # fmt: skip
        response = client.get(path, params={"colour": "red"})
        assert response.status_code == 400 and response.json()["parameter"] == "colour", path
    response = client.get(f"/v1/series?indicator={CLOSURES}&geo=AF-KAB&geo=AF-HER")
    assert response.status_code == 400 and response.json()["parameter"] == "geo"


def test_quality_reports_the_latest_run_per_source(client):
    [run] = client.get("/v1/quality").json()["data"]
    assert run["adapter"] == "partner" and run["batches"] == 1
    assert run["rows_in"] == run["rows_loaded"] + run["rows_quarantined"] == 2988
    assert sum(c["rows"] for c in run["failed_checks"]) >= run["rows_quarantined"]
    assert "file_name" not in run


def test_snapshots_list_names_the_current_one(client):
    [snap] = client.get("/v1/snapshots").json()["data"]
    assert snap["current"] and snap["id"] == client.get("/healthz").json()["snapshot"]


def test_etag_304_and_cache_headers(client):
    params = {"indicator": CLOSURES, "geo": "AF-KAB"}
    first = client.get("/v1/series", params=params)
    tag = first.headers["etag"]
    assert first.headers["cache-control"].startswith("public")
    assert first.headers["last-modified"].endswith("GMT")
    again = client.get("/v1/series", params=params, headers={"If-None-Match": tag})
    assert again.status_code == 304 and again.headers["etag"] == tag and not again.content
    # The same query in another order is the same resource; another query is not.
    swapped = client.get(f"/v1/series?geo=AF-KAB&indicator={CLOSURES}")
    assert swapped.headers["etag"] == tag and swapped.content == first.content
    other = client.get("/v1/series", params={**params, "geo": "AF-HER"})
    assert other.headers["etag"] != tag
    csv_version = client.get("/v1/series", params={**params, "format": "csv"})
    assert csv_version.headers["etag"] != tag
    since = client.get("/v1/series", params=params,
                       headers={"If-Modified-Since": first.headers["last-modified"]})  # fmt: skip
    assert since.status_code == 304


def test_revisions_as_of_updated_after_changes_and_cache_invalidation(home):
    land(home, "a.csv", [row(value="10"), row(geo="AF-HER", value="20")])
    assert run_partner(home).success
    with TestClient(create_app(ApiSettings(home=home))) as client:
        params = {"indicator": CLOSURES, "geo": "AF-KAB"}
        before = client.get("/v1/observations", params=params).json()["data"]
        first_recorded = before[0]["recorded_at"]
        old_tag = client.get("/v1/series", params=params).headers["etag"]
        land(home, "b.csv", [row(value="11"), row(geo="AF-HER", value="20"),
                             row(geo="AF-BAL", value="call +93 700 000 000")])  # fmt: skip
        assert run_partner(home, files=["b.csv"]).success

        now = client.get("/v1/series", params=params)
        assert now.json()["series"][0]["points"][0]["value"] == 11.0
        assert now.headers["etag"] != old_tag  # a new snapshot invalidates cached responses
        stale = client.get("/v1/series", params=params, headers={"If-None-Match": old_tag})
        assert stale.status_code == 200
        as_of = {**params, "as_of": first_recorded.removesuffix("Z")}
        assert points(client, **as_of)["2022-03"]["value"] == 10.0
        old_rows = client.get("/v1/observations", params=as_of).json()["data"]
        assert [o["value"] for o in old_rows] == [10.0]
        assert old_rows[0]["superseded_at"] is not None
        nothing_yet = client.get("/v1/series", params={**params, "as_of": "2000-01-01"})
        [empty] = nothing_yet.json()["series"]  # the place asked for, explicitly empty
        assert (empty["geo"], empty["points"]) == ("AF-KAB", [])
        assert "No data for AF-KAB" in nothing_yet.json()["note"]
        recent = client.get(
            "/v1/observations",
            params={"indicator": CLOSURES, "updated_after": first_recorded.removesuffix("Z")},
        ).json()
        assert [(o["geo_code"], o["value"]) for o in recent["data"]] == [("AF-KAB", 11.0)]

        feed = client.get("/v1/changes", params={"since": "2000-01-01"}).json()["data"]
        assert [(c["geo_code"], c["change"], c["value"], c["previous_value"]) for c in feed] == [
            ("AF-HER", "added", 20.0, None), ("AF-KAB", "added", 10.0, None),
            ("AF-KAB", "revised", 11.0, 10.0)]  # fmt: skip
        later = client.get("/v1/changes", params={"since": first_recorded.removesuffix("Z")})
        assert [c["change"] for c in later.json()["data"]] == ["revised"]
        assert len(client.get("/v1/snapshots").json()["data"]) == 2

        # Quality shows the latest run only, with its failed checks by rule name; neither the
        # raw row nor the reason text leaves the build warehouse.
        quality = client.get("/v1/quality")
        [run] = quality.json()["data"]
        assert (run["rows_in"], run["rows_loaded"], run["rows_quarantined"]) == (3, 2, 1)
        assert {"check": "value.number", "rows": 1} in run["failed_checks"]
        assert "+93" not in quality.text and "not a number" not in quality.text


def test_search_finds_spellings_and_publisher_codes_and_says_which_have_data(client):
    def codes(**params):
        return [i["code"] for i in client.get("/v1/indicators", params=params).json()["data"]]

    assert codes(q="labor") == codes(q="labour") and "employment.labour_force_total" in codes(
        q="labor")  # fmt: skip
    assert codes(q="SL.TLF.CACT.FE.ZS") == ["employment.labour_force_participation"]
    everything = client.get("/v1/indicators").json()["data"]
    with_data = {i["code"] for i in everything if i["has_data"]}
    assert CLOSURES in with_data  # the sample holds closures, not World Bank data
    assert "employment.labour_force_total" not in with_data
    assert set(codes(has_data="true")) == with_data
    assert set(codes(has_data="false")) == {i["code"] for i in everything if i["has_data"] is False}
    restricted = next(i for i in everything if i["code"] == "civic.reprisals_whrd")
    assert restricted["has_data"] is None
    assert "civic.reprisals_whrd" not in codes(has_data="true") + codes(has_data="false")
