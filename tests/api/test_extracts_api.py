"""Extract downloads: listing, checksums, ranges, the `latest` alias and no path traversal."""

import hashlib
import io
import os
import shutil

import pyarrow.parquet as pq
import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from api.settings import ApiSettings
from warehouse.extract_store import read_manifest
from warehouse.snapshots import current_snapshot

OBS = "observations.parquet"
PROBLEM = "application/problem+json"


@pytest.fixture(scope="module")
def home(sample_home, tmp_path_factory):
    """A copy of the sample home, so tests may plant symlinks and odd files in it."""
    home = tmp_path_factory.mktemp("extracts_api") / "wppi"
    shutil.copytree(sample_home / "snapshots", home / "snapshots")
    shutil.copytree(sample_home / "extracts", home / "extracts")
    return home


@pytest.fixture(scope="module")
def client(home):
    with TestClient(create_app(ApiSettings(home=home))) as client:
        yield client


@pytest.fixture(scope="module")
def snapshot_id(home):
    return current_snapshot(home / "snapshots").id


def test_list_gives_files_sizes_and_checksums(client, home, snapshot_id):
    response = client.get("/v1/extracts")
    assert response.status_code == 200
    body = response.json()
    assert body["latest"] == snapshot_id
    [entry] = body["data"]
    assert entry["snapshot"] == snapshot_id and entry["current"]
    folder = home / "extracts" / snapshot_id
    for listed in entry["files"]:
        data = (folder / listed["name"]).read_bytes()
        assert listed["bytes"] == len(data)
        assert listed["sha256"] == hashlib.sha256(data).hexdigest()
        assert listed["url"] == f"/v1/extracts/{snapshot_id}/{listed['name']}"
    assert {f["name"] for f in entry["files"]} >= {OBS, "datapackage.json"}


@pytest.mark.parametrize("alias", ["latest", "snapshot"])
def test_download_matches_the_manifest(client, home, snapshot_id, alias):
    name = snapshot_id if alias == "snapshot" else "latest"
    response = client.get(f"/v1/extracts/{name}/{OBS}")
    assert response.status_code == 200
    sha256 = hashlib.sha256(response.content).hexdigest()
    manifest = read_manifest(home / "extracts" / snapshot_id)
    assert manifest["resources"][0]["hash"] == f"sha256:{sha256}"
    assert int(response.headers["content-length"]) == manifest["resources"][0]["wppi_bytes"]
    assert response.headers["etag"] == f'"{sha256}"'
    assert response.headers["accept-ranges"] == "bytes"
    assert response.headers["content-type"] == "application/vnd.apache.parquet"
    again = client.get(f"/v1/extracts/{name}/{OBS}", headers={"If-None-Match": f'"{sha256}"'})
    assert again.status_code == 304 and not again.content


def test_range_requests_return_the_asked_bytes(client, home, snapshot_id):
    data = (home / "extracts" / snapshot_id / OBS).read_bytes()
    url = f"/v1/extracts/latest/{OBS}"
    head = client.get(url, headers={"Range": "bytes=0-3"})
    assert head.status_code == 206 and head.content == b"PAR1" == data[:4]
    assert head.headers["content-range"] == f"bytes 0-3/{len(data)}"
    tail = client.get(url, headers={"Range": "bytes=-8"})  # the footer length and magic
    assert tail.status_code == 206 and tail.content == data[-8:]
    middle = client.get(url, headers={"Range": "bytes=100-199"})
    assert middle.content == data[100:200] and middle.headers["content-length"] == "100"
    beyond = client.get(url, headers={"Range": f"bytes={len(data)}-"})
    assert beyond.status_code == 416
    assert beyond.headers["content-range"] == f"bytes */{len(data)}"


def test_head_gives_length_without_a_body(client, home, snapshot_id):
    response = client.head(f"/v1/extracts/latest/{OBS}")
    assert response.status_code == 200 and response.content == b""
    size = (home / "extracts" / snapshot_id / OBS).stat().st_size
    assert int(response.headers["content-length"]) == size


@pytest.mark.parametrize(
    "path",
    [
        "/v1/extracts/latest/..%2F..%2Fsnapshots%2FCURRENT",
        "/v1/extracts/latest/%2e%2e%2fdatapackage.json",
        "/v1/extracts/latest/%2e%2e",
        "/v1/extracts/..%2Fsnapshots/CURRENT",
        "/v1/extracts/%2e%2e/CURRENT",
        "/v1/extracts/latest/%2Fetc%2Fpasswd",
        "/v1/extracts/latest//etc/passwd",
        "/v1/extracts/latest/../../snapshots/CURRENT",
        "/v1/extracts/latest/..\\..\\snapshots\\CURRENT",
        "/v1/extracts/latest/observations.parquet%00.json",
        "/v1/extracts/latest/stray.parquet",
        "/v1/extracts/latest/linked.parquet",
        "/v1/extracts/20990102T000000.000Z-0123abcd/observations.parquet",
        "/v1/extracts/20990101T000000.000Z-deadbeef/observations.parquet",
    ],
)
def test_nothing_outside_the_manifest_is_served(client, home, snapshot_id, path):
    folder = home / "extracts" / snapshot_id
    # Files that exist on disk but that no manifest lists: never served.
    (folder / "stray.parquet").write_bytes(b"not listed")
    link = folder / "linked.parquet"
    if not link.is_symlink():
        link.symlink_to(home / "snapshots" / "CURRENT")
    linked_extract = home / "extracts" / "20990102T000000.000Z-0123abcd"  # a snapshot-like name
    if not linked_extract.is_symlink():
        linked_extract.symlink_to(folder)
    response = client.get(path)
    assert response.status_code == 404, response.text
    assert response.headers["content-type"] == PROBLEM


def test_a_listed_file_replaced_by_a_symlink_is_refused(client, home, tmp_path, snapshot_id):
    """Even a name the manifest lists is not served when it is a symlink on disk."""
    root = tmp_path / "wppi"
    shutil.copytree(home / "snapshots", root / "snapshots")
    shutil.copytree(home / "extracts" / snapshot_id, root / "extracts" / snapshot_id)
    target = root / "extracts" / snapshot_id / "sources.parquet"
    target.unlink()
    os.symlink(root / "snapshots" / "CURRENT", target)
    with TestClient(create_app(ApiSettings(home=root))) as other:
        assert other.get(f"/v1/extracts/latest/{OBS}").status_code == 200
        response = other.get("/v1/extracts/latest/sources.parquet")
    assert response.status_code == 404
    assert response.headers["content-type"] == PROBLEM


def test_extract_and_api_agree_cell_by_cell_for_a_suppressed_series(client):
    indicator, geo = "business.women_led_closures", "AF-BAM"
    body = client.get("/v1/series", params={"indicator": indicator, "geo": geo}).json()
    served = {
        (s["sex"], s["age_group"], p["period"], p["source"]): (p["value"], p["obs_status"])
        for s in body["series"]
        for p in s["points"]
    }
    data = client.get(f"/v1/extracts/latest/observations-{indicator}.parquet").content
    table = pq.read_table(io.BytesIO(data)).to_pylist()
    extracted = {
        (r["sex"], r["age_group"], r["period_start"].strftime("%Y-%m"), r["source_id"]): (
            r["value"],
            r["obs_status"],
        )
        for r in table
        if r["geo_code"] == geo and r["superseded_at"] is None
    }
    assert extracted == served
    suppressed = [cell for cell in served.values() if cell[1] == "S"]
    assert suppressed and all(value is None for value, _ in suppressed)


def test_no_extract_before_the_first_publish(tmp_path):
    with TestClient(create_app(ApiSettings(home=tmp_path))) as empty:
        assert empty.get("/v1/extracts").json() == {"latest": None, "data": []}
        response = empty.get(f"/v1/extracts/latest/{OBS}")
    assert response.status_code == 404 and response.headers["content-type"] == PROBLEM


@pytest.fixture(scope="module")
def live(home):
    """The app under uvicorn on a free loopback port, for requests no client library rewrites."""
    import socket
    import threading
    import time

    import uvicorn

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    config = uvicorn.Config(create_app(ApiSettings(home=home)), log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield sock.getsockname()[1]
    server.should_exit = True
    thread.join(timeout=10)
    sock.close()


def raw_get(port: int, target: str) -> tuple[int, dict, bytes]:
    import http.client

    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.putrequest("GET", target, skip_accept_encoding=True)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


@pytest.mark.parametrize(
    "target",
    [
        "/v1/extracts/latest/../../snapshots/CURRENT",
        "/v1/extracts/latest/..",
        "/v1/extracts/../snapshots/CURRENT",
        "/v1/extracts/latest/%2e%2e%2f%2e%2e%2fsnapshots%2fCURRENT",
        "/v1/extracts/latest//etc/passwd",
        "/v1/extracts/latest/%2Fetc%2Fpasswd",
    ],
)
def test_raw_traversal_paths_are_refused_by_the_live_server(live, target):
    status, _, body = raw_get(live, target)
    assert status == 404, body
    assert b"root:" not in body and b"duckdb" not in body


def test_live_download_of_latest_matches_the_manifest(live, home, snapshot_id):
    status, headers, body = raw_get(live, f"/v1/extracts/latest/{OBS}")
    assert status == 200 and int(headers["content-length"]) == len(body)
    manifest = read_manifest(home / "extracts" / snapshot_id)
    assert manifest["resources"][0]["hash"] == f"sha256:{hashlib.sha256(body).hexdigest()}"
