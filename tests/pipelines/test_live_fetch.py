"""Live mode against a local stand-in for the World Bank and UNHCR APIs (127.0.0.1, free port).

The bodies are built at test time from the real files shipped in pipelines/real_data: the
World Bank bulk CSV's Afghan labour-force figures and UNHCR's population rows, put in each
API's JSON layout (World Bank API v2 `[meta, entries]`, UNHCR population API v1
`{page, maxPages, items}`). The values are real; the envelopes follow the APIs' documented
layouts (no recorded API response is shipped).
"""

from __future__ import annotations

import csv

import dagster as dg
import duckdb
import orjson
import pytest

from pipelines.definitions import build_definitions
from pipelines.fetch import Fetcher, FetchError, FetchPolicy, Validators
from pipelines.settings import PipelineSettings
from pipelines.sources.live import (
    UNHCR_LIVE,
    WORLDBANK_LIVE,
    fetch_pages,
    unhcr_requests,
    worldbank_requests,
)
from tests.pipelines.api_server import ApiServer, Fault, api_server
from tests.pipelines.sources.conftest import real_file, real_rows

WB_CODE = "SL.TLF.TOTL.IN"
WB_PATH = f"/v2/country/AFG/indicator/{WB_CODE}"
UNHCR_PATH = "/population/v1/population/"


def worldbank_figures() -> dict[str, int]:
    """Year -> Afghan labour force, read from the recorded bulk CSV (preamble skipped)."""
    lines = real_file("worldbank_wdi/API_SL.TLF.TOTL.IN_DS2_en_csv_v2_5996631_afg_extract.csv"
                      ).read_text(encoding="utf-8-sig").splitlines()  # fmt: skip
    start = next(i for i, line in enumerate(lines) if line.startswith('"Country Name"'))
    row = next(r for r in csv.DictReader(lines[start:]) if r["Country Code"] == "AFG")
    return {year: int(value) for year, value in row.items() if year.isdigit() and value}


def worldbank_pages() -> dict[int, bytes]:
    entries = [
        {"indicator": {"id": WB_CODE, "value": "Labor force, total"},
         "country": {"id": "AF", "value": "Afghanistan"}, "countryiso3code": "AFG",
         "date": year, "value": value, "unit": "", "obs_status": "", "decimal": 0}
        for year, value in sorted(worldbank_figures().items(), reverse=True)
    ]  # fmt: skip
    half = len(entries) // 2
    meta = {"pages": 2, "per_page": half, "total": len(entries), "sourceid": "2"}
    return {1: orjson.dumps([{**meta, "page": 1}, entries[:half]]),
            2: orjson.dumps([{**meta, "page": 2}, entries[half:]])}  # fmt: skip


def unhcr_items() -> list[dict]:
    rows = [r for r in real_rows("unhcr_refugees/population_afg_extract.csv")
            if r["coo_iso"] == "AFG" and r["year"] in ("2021", "2022", "2023")]  # fmt: skip
    return [{k: int(v) if v.isdigit() and k != "year" else (None if v == "NA" else v)
             for k, v in row.items()} | {"year": int(row["year"])} for row in rows]  # fmt: skip


def unhcr_pages() -> dict[int, bytes]:
    items = unhcr_items()
    half = len(items) // 2
    return {1: orjson.dumps({"page": 1, "maxPages": 2, "total": len(items), "items": items[:half]}),
            2: orjson.dumps({"page": 2, "maxPages": 2, "total": len(items),
                             "items": items[half:]})}  # fmt: skip


@pytest.fixture
def server():
    with api_server(ApiServer(bodies={WB_PATH: worldbank_pages(), UNHCR_PATH: unhcr_pages()})) as s:
        yield s


def fast(**overrides) -> FetchPolicy:
    return FetchPolicy(**{"connect_timeout": 1.0, "read_timeout": 1.0, "attempts": 3,
                          "backoff": 0.05, "backoff_max": 0.2, **overrides})  # fmt: skip


def fetch_worldbank(server: ApiServer, home, policy: FetchPolicy) -> list:
    [request] = worldbank_requests(f"{server.base_url}/v2", "AFG", [WB_CODE])
    with Fetcher(policy, Validators(home / "fetch_state.json")) as fetcher:
        return fetch_pages(WORLDBANK_LIVE, request, fetcher, home / "landing" / "worldbank")


def files(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


def test_daily_run_fetches_both_apis_lands_and_ingests_then_asks_conditionally(server, tmp_path):
    home = tmp_path / "home"
    settings = PipelineSettings(
        home=home, live_fetch=True, worldbank_api_url=f"{server.base_url}/v2",
        worldbank_indicators=[WB_CODE], unhcr_api_url=server.base_url,
        fetch_connect_timeout=1, fetch_read_timeout=2, fetch_backoff=0.05,
    )  # fmt: skip
    job = build_definitions(settings).resolve_job_def("all_sources")
    selection = sorted(dg.AssetSelection.groups("live", "worldbank", "unhcr", "publish")
                       .resolve(job.asset_layer.asset_graph))  # fmt: skip
    with dg.DagsterInstance.ephemeral() as instance:
        first = job.execute_in_process(instance=instance, asset_selection=selection)
        assert first.success
        wb = first.output_for_node("worldbank_observations")
        unhcr = first.output_for_node("unhcr_observations")
        assert len(wb) == 2 and len(unhcr) == 2  # one landed file per page
        assert sum(o["rows_loaded"] for o in wb) == len(worldbank_figures())
        items = unhcr_items()
        assert sum(o["rows_in"] for o in unhcr) == len(items)
        con = duckdb.connect(str(home / "warehouse" / "build.duckdb"), read_only=True)
        labour = dict(con.execute(
            "select year(period_start)::varchar, value from observations "
            "where indicator_code = 'employment.labour_force_total' and geo_code = 'AFG'"
        ).fetchall())  # fmt: skip
        iran_2023 = con.execute(
            "select value from observations where indicator_code = "
            "'displacement.afghan_refugees' and geo_code = 'IRN' and year(period_start) = 2023"
        ).fetchone()[0]
        con.close()
        assert labour == {y: float(v) for y, v in worldbank_figures().items()}
        [iran] = [i for i in items if i["coa_iso"] == "IRN" and i["year"] == 2023]
        assert iran_2023 == iran["refugees"] + iran["asylum_seekers"]
        landed = files(home / "landing" / "worldbank") + files(home / "landing" / "unhcr")
        assert len(landed) == 4 and not any(name.startswith(".") for name in landed)
        assert sorted(p.name for p in (home / "fetch_state").iterdir()) == [
            "unhcr.json",
            "worldbank.json",
        ]

        server.requests.clear()
        second = job.execute_in_process(instance=instance, asset_selection=selection)
        assert second.success
        assert second.output_for_node("worldbank_observations") == []
        assert second.output_for_node("unhcr_observations") == []
    # Every page was asked for with its validators and answered 304: nothing new landed.
    assert len(server.requests) == 4
    for request in server.requests:
        assert request["headers"]["if-none-match"].startswith('"')
        assert request["headers"]["if-modified-since"] == "Tue, 01 Oct 2024 00:00:00 GMT"
    assert files(home / "landing" / "worldbank") + files(home / "landing" / "unhcr") == landed


def test_live_mode_is_off_by_default_and_requests_nothing(tmp_path, monkeypatch):
    monkeypatch.delenv("WPPI_LIVE_FETCH", raising=False)
    settings = PipelineSettings(home=tmp_path / "home", worldbank_api_url="http://127.0.0.1:9/v2",
                                unhcr_api_url="http://127.0.0.1:9")  # fmt: skip
    assert settings.live_fetch is False
    job = build_definitions(settings).resolve_job_def("all_sources")
    selection = sorted(dg.AssetSelection.groups("live").resolve(job.asset_layer.asset_graph))
    result = job.execute_in_process(instance=dg.DagsterInstance.ephemeral(),
                                    asset_selection=selection)  # fmt: skip
    assert result.success  # port 9 (discard) is never contacted: a request would fail here
    assert not (tmp_path / "home" / "fetch_state").exists()


def test_a_500_is_retried_after_a_backoff_then_lands(server, tmp_path):
    server.faults = [Fault(500)]
    landed = fetch_worldbank(server, tmp_path, fast(backoff=0.3, backoff_max=1))
    assert len(landed) == 2
    first, retry = server.requests[:2]
    assert (first["page"], retry["page"]) == (1, 1)
    assert retry["at"] - first["at"] >= 0.3


def test_a_persistent_500_fails_naming_url_and_status_and_lands_nothing(server, tmp_path):
    server.faults = [Fault(500)] * 3
    with pytest.raises(FetchError) as error:
        fetch_worldbank(server, tmp_path, fast())
    message = str(error.value)
    assert f"{server.base_url}{WB_PATH}?format=json&per_page=1000&page=1" in message
    assert "HTTP 500 after 3 attempt(s)" in message and "nothing landed" in message
    assert len(server.requests) == 3
    assert files(tmp_path / "landing" / "worldbank") == []
    assert not (tmp_path / "fetch_state.json").exists()


def test_a_timeout_is_retried_then_fails_clearly(server, tmp_path):
    server.faults = [Fault(sleep=0.6), Fault(sleep=0.6)]
    with pytest.raises(FetchError, match=r"timed out \(ReadTimeout\) after 2 attempt\(s\)"):
        fetch_worldbank(server, tmp_path, fast(read_timeout=0.15, attempts=2))
    assert len(server.requests) == 2
    assert files(tmp_path / "landing" / "worldbank") == []


def test_a_truncated_body_is_never_landed(server, tmp_path):
    server.faults = [Fault(truncate=True), Fault(truncate=True)]
    with pytest.raises(FetchError, match="RemoteProtocolError") as error:
        fetch_worldbank(server, tmp_path, fast(attempts=2))
    assert "page=1" in str(error.value)
    assert files(tmp_path / "landing" / "worldbank") == []
    # Cut once, whole the next time: the retry lands the complete body.
    server.faults = [Fault(truncate=True)]
    landed = fetch_worldbank(server, tmp_path, fast())
    assert [p.read_bytes() for p in landed] == [worldbank_pages()[1], worldbank_pages()[2]]


def test_a_body_that_is_not_the_api_response_is_not_landed(server, tmp_path):
    server.bodies[UNHCR_PATH] = {1: b"<html>maintenance</html>"}
    [request] = unhcr_requests(server.base_url)
    with (
        Fetcher(fast(), Validators(tmp_path / "fetch_state.json")) as fetcher,
        pytest.raises(FetchError, match="body is not usable"),
    ):
        fetch_pages(UNHCR_LIVE, request, fetcher, tmp_path / "landing" / "unhcr")
    assert files(tmp_path / "landing" / "unhcr") == []
    assert not (tmp_path / "fetch_state.json").exists()
