"""format=hxl: the CSV rows with the HXL hashtags HDX users filter on, places split into
#country+code and #adm1+code."""

import csv
import io

import pytest

CLOSURES = "business.women_led_closures"
WANTED = {"#indicator+code", "#country+code", "#adm1+code", "#date", "#value", "#status",
          "#meta+source"}  # fmt: skip


def hxl_rows(client, path, params):
    response = client.get(path, params={**params, "format": "hxl"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    header, tags, *rows = list(csv.reader(io.StringIO(response.text)))
    assert len(header) == len(tags) and all(tag.startswith("#") for tag in tags)
    return tags, [dict(zip(tags, row, strict=True)) for row in rows]


@pytest.mark.parametrize(
    ("path", "params"),
    [("/v1/series", {"indicator": CLOSURES, "geo": "AF-KAB,AFG"}),
     ("/v1/observations", {"indicator": CLOSURES, "geo": "AF-KAB,AFG", "limit": 10000})],
)  # fmt: skip
def test_hxl_rows_are_the_csv_rows_with_tags_and_places_split(client, path, params):
    tags, rows = hxl_rows(client, path, params)
    assert set(tags) >= WANTED and len(set(tags)) == len(tags)
    plain = list(csv.DictReader(io.StringIO(
        client.get(path, params={**params, "format": "csv"}).text)))  # fmt: skip
    assert len(rows) == len(plain) > 0
    for tagged, row in zip(rows, plain, strict=True):
        assert tagged["#indicator+code"] == row["indicator_code"]
        assert (tagged["#value"], tagged["#status"]) == (row["value"], row["obs_status"])
        assert tagged["#date"] == row["period"] and tagged["#meta+source"] == row["source_id"]
        province = row["geo_code"] != "AFG"
        assert tagged["#country+code"] == "AFG"
        assert tagged["#adm1+code"] == (row["geo_code"] if province else "")
