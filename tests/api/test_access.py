"""Access tiers over HTTP: keys, 401/403 problems, audit rows, unsuppressed values, and the
differencing attack run against /v1/series itself."""

import sqlite3

import duckdb
import pyarrow as pa
import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from api.settings import ApiSettings
from pipelines.cli import main as wppi
from tests.warehouse.attacker import recover
from tests.warehouse.test_suppression_attacks import cell
from warehouse.access import audit_rows, create_key, list_keys, revoke_key
from warehouse.catalog import load_catalog
from warehouse.connect import open_build
from warehouse.layout import Layout
from warehouse.load import QUARANTINE_SCHEMA, Batch, load_batches
from warehouse.observation import CANONICAL_SCHEMA
from warehouse.snapshots import publish

PROBLEM = "application/problem+json"
CLOSURES = "business.women_led_closures"
REPRISALS = "civic.reprisals_whrd"
AGGREGATION = {i.code: i.aggregation for i in load_catalog().indicators.values()}
PUBLIC_ROWS = [cell("AF-KAB", 3), cell("AF-HER", 40), cell("AF-KAN", 30), cell("AF-BAL", 12),
               cell("AFG", 85)]  # fmt: skip


def make_home(path, rows) -> Layout:
    layout = Layout(path).ensure()
    con = open_build(layout.build_warehouse)
    table = pa.Table.from_pylist(rows, schema=CANONICAL_SCHEMA)
    load_batches(con, "r1", [Batch("partner", "f", "s", len(rows), table)], load_catalog())
    publish(con, layout.snapshots, retention=2)
    con.close()
    return layout


@pytest.fixture(scope="module")
def homes(tmp_path_factory):
    """Two homes alike but for whether the restricted indicator has data."""
    with_data = make_home(tmp_path_factory.mktemp("with") / "wppi",
                          [*PUBLIC_ROWS, cell("AF-KAB", 2, indicator=REPRISALS)])  # fmt: skip
    without = make_home(tmp_path_factory.mktemp("without") / "wppi", PUBLIC_ROWS)
    return with_data, without


@pytest.fixture(scope="module")
def keys(homes):
    found = {}
    for layout in homes:
        _, restricted = create_key(layout.access, "monitor", ["public", "restricted"])
        _, public = create_key(layout.access, "public-only", ["public"])
        found[layout.home] = {"restricted": restricted, "public": public}
    return found


def client_for(layout: Layout) -> TestClient:
    return TestClient(create_app(ApiSettings(home=layout.home)))


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def series(client, indicator, token=None, **params):
    headers = bearer(token) if token else {}
    return client.get("/v1/series", params={"indicator": indicator, **params}, headers=headers)


@pytest.mark.parametrize(
    ("key", "status"), [(None, 401), ("public", 403), ("wppi_nope_nope", 401), ("junk", 401)]
)
def test_restricted_series_refused_alike_whether_or_not_data_exists(homes, keys, key, status):
    answers = []
    for layout in homes:
        token = keys[layout.home].get(key, key)
        with client_for(layout) as client:
            response = series(client, REPRISALS, token, geo="AF-KAB")
        assert response.status_code == status
        assert response.headers["content-type"] == PROBLEM
        if status == 401:
            assert response.headers["www-authenticate"].startswith("Bearer")
        answers.append((response.content, sorted(response.headers.items())))
    assert answers[0] == answers[1]  # nothing tells a public caller whether data exists


def test_restricted_key_reads_and_every_read_is_audited_without_its_values(homes, keys):
    layout = homes[0]
    token = keys[layout.home]["restricted"]
    with client_for(layout) as client:
        response = series(client, REPRISALS, token, geo="AF-KAB", start="2022-01")
    assert response.status_code == 200
    body = response.json()
    assert body["access"] == "restricted" and response.headers["cache-control"].startswith(
        "private"
    )
    assert body["series"][0]["points"][0]["value"] == 2.0  # unsuppressed
    rows = audit_rows(layout.access)
    key_id = token.split("_")[1]
    assert rows[-1][:2] == (key_id, "/v1/series")
    # The audit table holds key, endpoint and time only: no indicator, place or period.
    dump = "\n".join(sqlite3.connect(layout.access).iterdump())
    assert REPRISALS not in dump and "AF-KAB" not in dump and "2022-01" not in dump


def test_public_callers_see_suppression_and_restricted_keys_see_values(homes, keys):
    layout = homes[1]
    with client_for(layout) as client:
        public = series(client, CLOSURES, geo="AF-KAB").json()
        before = len(audit_rows(layout.access))
        full = series(client, CLOSURES, keys[layout.home]["restricted"], geo="AF-KAB").json()
        public_key = series(client, CLOSURES, keys[layout.home]["public"], geo="AF-KAB").json()
    assert public["access"] == "public" and public_key == public
    assert public["series"][0]["points"][0] | {"source": None} == {
        "period": "2022-01", "value": None, "lower": None, "upper": None, "obs_status": "S",
        "source": None, "demo": False,
    }  # fmt: skip
    assert full["series"][0]["points"][0]["value"] == 3.0
    assert len(audit_rows(layout.access)) == before + 1  # unsuppressed values are audited


def test_revoked_key_is_refused_at_once(homes):
    layout = homes[1]
    key, token = create_key(layout.access, "leaver", ["restricted"])
    with client_for(layout) as client:
        assert series(client, REPRISALS, token).status_code == 200
        assert revoke_key(layout.access, key.key_id)
        assert series(client, REPRISALS, token).status_code == 401
    assert not revoke_key(layout.access, key.key_id)


def test_differencing_attack_through_the_api_recovers_nothing(homes):
    layout = homes[1]
    with client_for(layout) as client:
        body = series(client, CLOSURES).json()
    snap = duckdb.connect(str(sorted(layout.snapshots.glob("*.duckdb"))[-1]), read_only=True)
    recorded = snap.execute("select max(recorded_at) from observations").fetchone()[0]
    snap.close()
    rows = [
        {"indicator_code": CLOSURES, "geo_code": s["geo"], "sex": s["sex"],
         "age_group": s["age_group"], "source_id": p["source"], "frequency": "M",
         "period_start": cell("AFG", 0)["period_start"], "period_end": cell("AFG", 0)["period_end"],
         "value": p["value"], "obs_status": p["obs_status"], "recorded_at": recorded,
         "superseded_at": None}
        for s in body["series"] for p in s["points"]
    ]  # fmt: skip
    assert [r["geo_code"] for r in rows if r["obs_status"] == "S"] == ["AF-BAL", "AF-KAB"]
    assert recover(rows, AGGREGATION) == {}


def test_keys_cli_creates_lists_and_revokes_storing_hashes_only(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("WPPI_HOME", str(tmp_path / "wppi"))
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster"))
    assert wppi(["keys", "create", "--name", "unhcr-desk", "--tier", "restricted"]) == 0
    token = capsys.readouterr().out.strip()
    path = Layout(tmp_path / "wppi").access
    [key] = list_keys(path)
    assert token.startswith(f"wppi_{key.key_id}_") and key.tiers == ("restricted",)
    secret = token.split("_", 2)[2]
    assert secret.encode() not in path.read_bytes()
    assert wppi(["keys", "list", "--json"]) == 0
    listed = capsys.readouterr().out
    assert key.key_id in listed and secret not in listed
    assert wppi(["keys", "revoke", key.key_id]) == 0
    assert list_keys(path)[0].revoked_at is not None
    with pytest.raises(SystemExit, match="no active key"):
        wppi(["keys", "revoke", key.key_id])
    with pytest.raises(SystemExit):
        wppi(["keys", "create", "--name", "x", "--tier", "secret"])


@pytest.mark.parametrize(
    "conditional",
    [{"If-None-Match": "*"}, {"If-Modified-Since": "Fri, 01 Jan 2100 00:00:00 GMT"}],
)
def test_a_restricted_change_feed_is_refused_before_conditional_handling(homes, conditional):
    with client_for(homes[0]) as client:
        params = {"since": "2000-01-01", "indicator": REPRISALS}
        refused = client.get("/v1/changes", params=params, headers=conditional)
        public = client.get("/v1/changes", params={**params, "indicator": CLOSURES},
                            headers=conditional)  # fmt: skip
    assert refused.status_code == 401 and refused.json()["parameter"] == "indicator"
    assert public.status_code == 304  # conditional handling itself still works


def _quality(client, token=None) -> list[dict]:
    answer = client.get("/v1/quality", headers=bearer(token) if token else {})
    assert answer.status_code == 200
    return [{k: v for k, v in row.items() if k not in ("run_id", "finished_at")}
            for row in answer.json()["data"]]  # fmt: skip


def test_quality_tells_only_restricted_keys_that_restricted_rows_arrived(homes, tmp_path):
    with_data, without = homes
    with client_for(with_data) as a, client_for(without) as b:
        anonymous = _quality(a)
        assert anonymous == _quality(b)  # the same, restricted row or not
        _, token = create_key(with_data.access, "auditor", ["restricted"])
        full = _quality(a, token)
    assert [r["rows_loaded"] for r in full] == [r["rows_loaded"] + 1 for r in anonymous]
    # A file of restricted rows alone (here quarantined) does not show either.
    home = make_home(tmp_path / "wppi", PUBLIC_ROWS)
    con = open_build(home.build_warehouse)
    bad = pa.Table.from_pylist([cell("AF-KAB", 2, indicator=REPRISALS)], schema=CANONICAL_SCHEMA)
    quarantined = pa.table(
        {
            "line": [2],
            "raw": ['{"indicator_code": "civic.reprisals_whrd"}'],
            "reasons": [["value: x [value.number]"]],
        },
        schema=QUARANTINE_SCHEMA,
    )
    load_batches(con, "r2", [Batch("partner", "g", "t", 1, bad.slice(0, 0), quarantined)],
                 load_catalog())  # fmt: skip
    publish(con, home.snapshots, retention=2)
    con.close()
    with client_for(home) as c, client_for(without) as b:
        assert _quality(c) == _quality(b)


def test_the_change_feed_never_gives_a_late_cell_as_a_difference(tmp_path):
    # Issue 15, route 1, through /v1/changes: the national total was published as 82; Kabul
    # (3) arrives with the revised total 85. "Revised from 82 to 85" would be Kabul.
    home = make_home(tmp_path / "wppi", [cell("AF-HER", 40), cell("AF-KAN", 30),
                                         cell("AF-BAL", 12), cell("AFG", 82)])  # fmt: skip
    con = open_build(home.build_warehouse)
    late = pa.Table.from_pylist([cell("AF-KAB", 3), cell("AFG", 85)], schema=CANONICAL_SCHEMA)
    load_batches(con, "r2", [Batch("partner", "g", "t", 2, late)], load_catalog())
    publish(con, home.snapshots, retention=2)
    con.close()
    with client_for(home) as client:
        feed = client.get("/v1/changes", params={"since": "2000-01-01"}).json()["data"]
    revised = [e for e in feed if e["change"] == "revised"]
    assert [(e["geo_code"], e["previous_value"], e["value"], e["obs_status"]) for e in revised
            ] == [("AFG", 82.0, None, "S")]  # fmt: skip
    kabul = [e for e in feed if e["geo_code"] == "AF-KAB"]
    assert [(e["change"], e["value"], e["obs_status"]) for e in kabul] == [("added", None, "S")]
