"""The same query gives the same rows in JSON, CSV, Parquet and SDMX-CSV (read by pysdmx),
and every format marks the sample's invented values as demo data."""

import csv
import io

import pyarrow.parquet as pq
import pytest
from pysdmx.io import read_sdmx

CLOSURES = "business.women_led_closures"
QUERIES = {
    "observations": ("/v1/observations", {"indicator": CLOSURES, "geo": "AF-KAB,AF-BAM",
                                          "start": "2022", "end": "2022", "limit": 10000}),
    "series": ("/v1/series", {"indicator": CLOSURES, "geo": "AF-KAB,AF-BAM", "start": "2022"}),
    "series_by_quarter": ("/v1/series", {"indicator": CLOSURES, "geo": "AF-BAM",
                                         "frequency": "Q"}),
}  # fmt: skip
# The columns every format carries, as they are named in CSV and SDMX-CSV.
SDMX_NAMES = {"indicator_code": "INDICATOR", "geo_code": "REF_AREA", "sex": "SEX",
              "age_group": "AGE", "period": "TIME_PERIOD", "value": "OBS_VALUE",
              "obs_status": "OBS_STATUS", "source_id": "SOURCE", "demo": "DEMO"}  # fmt: skip


def cell(value):
    """One cell as text, the way CSV writes it (None empty, whole floats without '.0')."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool) or value in ("True", "False"):  # pysdmx gives DEMO as "True"
        return str(value).lower()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(value)
    return str(value)


def normalised(records):
    return [tuple(cell(r[name]) for name in SDMX_NAMES) for r in records]


def json_records(body):
    if "data" in body:
        return body["data"]
    return [
        {"indicator_code": body["indicator"], "geo_code": s["geo"], "sex": s["sex"],
         "age_group": s["age_group"], "period": p["period"], "value": p["value"],
         "obs_status": p["obs_status"], "source_id": p["source"], "demo": p["demo"]}
        for s in body["series"] for p in s["points"]
    ]  # fmt: skip


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_every_format_serves_the_same_rows(client, name):
    path, params = QUERIES[name]
    from_json = normalised(json_records(client.get(path, params=params).json()))
    assert len(from_json) > 3
    assert "S" in {r[6] for r in from_json}, "the query should include suppressed points"
    # Every row here is the invented sample's, and says so (CSV, Parquet, SDMX-CSV below).
    assert {(r[7], r[8]) for r in from_json} == {("wppi.sample", "true")}

    response = client.get(path, params={**params, "format": "csv"})
    assert response.headers["content-type"].startswith("text/csv")
    assert normalised(csv.DictReader(io.StringIO(response.text))) == from_json

    response = client.get(path, params=params, headers={"Accept": "application/vnd.apache.parquet"})
    assert response.headers["content-type"] == "application/vnd.apache.parquet"
    table = pq.read_table(io.BytesIO(response.content))
    assert normalised(table.to_pylist()) == from_json

    response = client.get(path, params={**params, "format": "sdmx-csv"})
    assert response.headers["content-type"].startswith("application/vnd.sdmx.data+csv")
    [dataset] = read_sdmx(response.text).data
    assert dataset.short_urn == "Dataflow=WPPI:DF_WPPI(1.0)"
    frame = dataset.data.fillna("")
    sdmx_rows = [tuple(cell(row[column]) for column in SDMX_NAMES.values())
                 for row in frame.to_dict("records")]  # fmt: skip
    assert sdmx_rows == from_json


def test_accept_header_chooses_the_format_and_format_parameter_wins(client):
    params = {"indicator": CLOSURES, "geo": "AF-KAB"}
    by_accept = client.get("/v1/series", params=params, headers={"Accept": "text/csv"})
    assert by_accept.text.startswith("indicator_code,geo_code,")
    both = client.get("/v1/series", params={**params, "format": "json"},
                      headers={"Accept": "text/csv"})  # fmt: skip
    assert both.json()["indicator"] == CLOSURES
    sdmx = client.get("/v1/indicators", params={"format": "sdmx-csv"})
    assert sdmx.status_code == 422 and sdmx.json()["parameter"] == "format"
    catalog_csv = client.get("/v1/indicators", params={"format": "csv"}).text
    assert catalog_csv.splitlines()[0].startswith("code,name,definition")
