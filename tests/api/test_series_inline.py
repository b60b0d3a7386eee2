"""A single series read from its blocks is built and encoded on the event loop, with no
worker thread (a hand-off there and back cost more than the read); what needs SQL or more
rows than the loop may spend goes to a thread and answers the same bytes."""

from __future__ import annotations

import anyio.to_thread
import pytest

from api import snapshot_store
from warehouse.series_blocks import SeriesBlocks


@pytest.fixture
def thread_calls(monkeypatch) -> list[str]:
    """Names of the functions the app hands to a worker thread during a test."""
    calls: list[str] = []
    run_sync = anyio.to_thread.run_sync

    async def counted(func, *args, **kwargs):
        calls.append(getattr(func, "func", func).__qualname__)
        return await run_sync(func, *args, **kwargs)

    monkeypatch.setattr(anyio.to_thread, "run_sync", counted)
    return calls


def _query(client, sql: str) -> list[tuple]:
    """Rows of `sql` on the snapshot the app serves (through its own connection)."""
    with client.app.state.services.store.acquire() as snapshot:
        return snapshot.cursor.execute(sql).fetchall()


@pytest.fixture(scope="module")
def series(client) -> list[tuple[str, str]]:
    """(indicator, place) of every public series of the sample without point notes."""
    found = _query(
        client,
        "select distinct indicator_code, geo_code from public_observations"
        " where indicator_code not in (select indicator_code from point_notes)"
        " order by all",
    )
    assert len(found) >= 20  # the tests below take 10 each
    return found


def test_a_single_series_is_answered_without_a_worker_thread(client, series, thread_calls):
    indicator, geo = series[0]
    for fmt in ("json", "csv", "parquet"):
        answer = client.get(
            "/v1/series", params={"indicator": indicator, "geo": geo, "format": fmt, "lang": "ps"}
        )
        assert answer.status_code == 200, answer.text
        assert answer.content
    # Only Starlette's streaming of the CSV body (`_next`, one chunk at a time) is left.
    assert set(thread_calls) <= {"_next"}


def test_what_the_blocks_cannot_answer_goes_to_a_thread_and_sql(
    client, series, thread_calls, monkeypatch
):
    for indicator, geo in series[:10]:
        params = {"indicator": indicator, "geo": geo, "format": "csv"}
        blocks = client.get("/v1/series", params=params)
        assert "Negotiated._build" not in thread_calls
        with monkeypatch.context() as sql_only:
            sql_only.setattr(SeriesBlocks, "rows", lambda *args: None)
            # `end` far ahead: the same rows under a key the caches have not seen.
            by_sql = client.get("/v1/series", params={**params, "end": "2100"})
        assert by_sql.status_code == blocks.status_code == 200
        assert by_sql.content == blocks.content
        assert thread_calls.count("Negotiated._build") == 1
        thread_calls.clear()


def test_more_rows_than_the_loop_may_spend_answer_the_same_from_a_thread(
    client, series, thread_calls, monkeypatch
):
    for indicator, geo in series[10:20]:
        params = {"indicator": indicator, "geo": geo, "lang": "fa-AF", "format": "csv"}
        inline = client.get("/v1/series", params=params)
        assert "Negotiated._build" not in thread_calls
        with monkeypatch.context() as limits:
            limits.setattr(snapshot_store, "INLINE_ROWS", 0)
            # `end` far ahead: the same rows under a key the caches have not seen.
            threaded = client.get("/v1/series", params={**params, "end": "2100"})
        assert threaded.status_code == inline.status_code == 200
        assert threaded.content == inline.content
        assert thread_calls.count("Negotiated._build") == 1
        thread_calls.clear()
