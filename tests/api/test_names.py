"""Names next to codes in the requested language (lang= or Accept-Language), in every format
of series and observations, with `name_lang` saying which language each name is in."""

import csv
import io

import pyarrow.parquet as pq

from api import labels
from warehouse.catalog import load_catalog
from warehouse.translations import load_translations

CLOSURES = "business.women_led_closures"
SERIES = {"indicator": CLOSURES, "geo": "AF-KAB,AF-NAN"}


def test_series_json_names_the_indicator_and_each_place_in_dari(client):
    body = client.get("/v1/series", params={**SERIES, "lang": "fa-AF"}).json()
    names = load_translations()
    assert body["indicator_name"] == names.indicator(CLOSURES, "fa-AF").name
    assert body["name_lang"] == "fa-AF"
    by_geo = {s["geo"]: s for s in body["series"]}
    assert by_geo["AF-NAN"]["geo_name"] == "ننگرهار" and by_geo["AF-NAN"]["name_lang"] == "fa-AF"
    assert by_geo["AF-KAB"]["geo_name"] == "کابل"


def test_accept_language_chooses_pashto_and_lang_wins_over_it(client):
    pashto = client.get("/v1/series", params=SERIES, headers={"Accept-Language": "ps, en;q=0.5"})
    assert pashto.headers["content-language"] == "ps"
    assert {s["geo_name"] for s in pashto.json()["series"]} == {"کابل", "ننګرهار"}
    english = client.get("/v1/series", params={**SERIES, "lang": "en"},
                         headers={"Accept-Language": "ps"})  # fmt: skip
    assert english.json()["indicator_name"] == "Women-led business closures"
    assert {s["geo_name"] for s in english.json()["series"]} == {"Kābul", "Nangarhār"}


def test_csv_and_parquet_rows_carry_both_names_and_their_language(client):
    params = {**SERIES, "lang": "ps"}
    rows = list(csv.DictReader(io.StringIO(
        client.get("/v1/series", params={**params, "format": "csv"}).text)))  # fmt: skip
    assert rows and {r["name_lang"] for r in rows} == {"ps"}
    assert {(r["geo_code"], r["geo_name"]) for r in rows} == {("AF-KAB", "کابل"),
                                                             ("AF-NAN", "ننګرهار")}  # fmt: skip
    assert {r["indicator_name"] for r in rows} == {
        load_translations().indicator(CLOSURES, "ps").name
    }
    table = pq.read_table(io.BytesIO(
        client.get("/v1/series", params={**params, "format": "parquet"}).content))  # fmt: skip
    assert table.column("geo_name").to_pylist() == [r["geo_name"] for r in rows]


def test_observation_rows_are_named_in_json_and_csv_alike(client):
    params = {"indicator": CLOSURES, "geo": "AF-HER", "limit": 5, "lang": "fa-AF"}
    data = client.get("/v1/observations", params=params).json()["data"]
    assert data and {(d["geo_name"], d["name_lang"]) for d in data} == {("هرات", "fa-AF")}
    text = client.get("/v1/observations", params={**params, "format": "csv"}).text
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [(r["geo_name"], r["indicator_name"]) for r in rows] == [
        (d["geo_name"], d["indicator_name"]) for d in data
    ]


def test_catalog_resources_are_named_in_the_language_asked(client):
    provinces = client.get("/v1/geographies", params={"level": "province", "lang": "ps"})
    data = provinces.json()["data"]
    assert len(data) == 34 and {p["name_lang"] for p in data} == {"ps"}
    assert {p["name_status"] for p in data} == {"unreviewed"}  # drafts say so
    indicators = client.get("/v1/indicators", params={"lang": "fa-AF"}).json()["data"]
    assert {i["name_lang"] for i in indicators} == {"fa-AF"}
    english = client.get("/v1/geographies", params={"level": "country"}).json()["data"]
    assert {p["name_status"] for p in english} == {"original"}
    dari = client.get("/v1/geographies", params={"level": "country", "lang": "fa-AF"})
    afg = next(p for p in dari.json()["data"] if p["code"] == "AFG")
    assert (afg["name_lang"], afg["name_status"]) == ("fa-AF", "iso-codes")
    assert len(indicators) == len(load_catalog().indicators)


def test_a_row_whose_place_has_no_translation_is_wholly_english_and_says_so():
    aruba = load_catalog().places["ABW"]
    assert labels.place_name("ABW", aruba.name, "country", "ps") == (aruba.name, "en")
    refugees = load_catalog().indicators["displacement.afghan_refugees"].name
    assert labels.row_names("displacement.afghan_refugees", "ABW", "ps") == (
        refugees, aruba.name, "en")  # fmt: skip
    translated = labels.row_names("displacement.afghan_refugees", "PAK", "ps")
    assert translated[1:] == ("پاکستان", "ps")
