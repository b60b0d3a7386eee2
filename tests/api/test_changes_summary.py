"""What changed, summarised: `since=` as a duration, `summary=true`, and the Atom feed of
snapshots; restricted indicators never appear in either."""

import xml.etree.ElementTree as ET
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest

from api.change_summary import since_instant

ATOM = "{http://www.w3.org/2005/Atom}"
RESTRICTED = "civic.reprisals_whrd"


def detailed(client, **params) -> list[dict]:
    rows, query = [], {"limit": 10000, **params}
    while True:
        body = client.get("/v1/changes", params=query).json()
        rows += body["data"]
        if not body["next"]:
            return rows
        query = {**query, "cursor": body["next"].split("cursor=")[1]}


def test_a_duration_counts_back_from_now():
    now = datetime(2026, 3, 10, 12, 0, 0)
    assert since_instant("P7D", now) == datetime(2026, 3, 3, 12, 0, 0)
    assert since_instant("PT12H", now) == datetime(2026, 3, 10, 0, 0, 0)
    assert since_instant("P1M", now) == datetime(2026, 2, 10, 12, 0, 0)
    assert since_instant("P9999Y", now) == datetime.min  # before the calendar: everything


def test_since_a_week_ago_is_since_that_instant(client):
    week = detailed(client, since="P7D")
    assert week, "the sample was loaded just now"
    instant = (datetime.now(UTC) - timedelta(days=7)).strftime("%Y-%m-%dT%H:%M:%S")
    assert week == detailed(client, since=instant)
    assert detailed(client, since="PT0S") == []  # nothing is recorded in the future


def test_summary_counts_the_rows_of_the_feed(client):
    rows = detailed(client, since="2000-01-01")
    expected = Counter((r["indicator_code"], r["source_id"], r["change"]) for r in rows)
    body = client.get("/v1/changes", params={"since": "P7D", "summary": "true"}).json()
    assert body["next"] is None and body["since"].endswith("Z")
    got = Counter()
    for entry in body["data"]:
        for change in ("added", "revised", "withdrawn"):
            if entry[change]:
                got[(entry["indicator_code"], entry["source_id"], change)] = entry[change]
    assert got == expected
    csv_text = client.get("/v1/changes", params={"since": "P7D", "summary": "true",
                                                 "format": "csv"}).text  # fmt: skip
    assert csv_text.splitlines()[0] == "indicator_code,source_id,added,revised,withdrawn"
    assert RESTRICTED not in csv_text and RESTRICTED not in str(body)


def test_a_restricted_indicator_is_refused_in_the_summary_as_in_the_rows(client):
    for summary in ("true", "false"):
        response = client.get("/v1/changes", params={"since": "P7D", "summary": summary,
                                                     "indicator": RESTRICTED})  # fmt: skip
        assert response.status_code == 401 and response.json()["parameter"] == "indicator"


@pytest.mark.parametrize("bad", ["P", "PT", "P7", "7D", "P1DT2H", "-P7D", "P7d"])
def test_only_one_unit_durations_and_instants_are_accepted(client, bad):
    response = client.get("/v1/changes", params={"since": bad})
    assert response.status_code == 422 and response.json()["parameter"] == "since"


def test_atom_feed_has_an_entry_per_snapshot_with_its_change_counts(client):
    response = client.get("/v1/snapshots.atom")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    snapshots = client.get("/v1/snapshots").json()["data"]
    entries = feed.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}id").text for e in entries] == [
        f"urn:wppi:snapshot:{s['id']}" for s in snapshots]  # fmt: skip
    rows = detailed(client, since="2000-01-01")
    added = sum(r["change"] == "added" for r in rows)
    assert sum(int(e.find(f"{ATOM}title").text.split()[0]) for e in entries) == added
    assert RESTRICTED not in response.text
    again = client.get("/v1/snapshots.atom", headers={"If-None-Match": response.headers["etag"]})
    assert again.status_code == 304
    assert client.get("/v1/snapshots.atom", params={"x": "1"}).status_code == 400
