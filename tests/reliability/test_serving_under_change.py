"""60 s of load on a live `wppi serve` (32 connections) while 10 snapshots are published.

Every response must succeed and be consistent with exactly one snapshot: the one its ETag
names. Each publish changes one figure (AF-KAB, March 2022), so a response mixing two
snapshots, or naming one and carrying another's data, shows as a mismatch.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import time
import uuid
from collections import Counter
from concurrent.futures import Future, ProcessPoolExecutor
from datetime import date
from pathlib import Path

import duckdb
import httpx
import orjson
import pyarrow as pa

from tests.conftest import land, row, run_partner
from tests.live_server import serving
from warehouse.catalog import load_catalog
from warehouse.connect import open_build
from warehouse.load import Batch, load_batches
from warehouse.observation import CANONICAL_SCHEMA
from warehouse.snapshots import publish
from warehouse.sql import sql

DURATION = 60.0
CONNECTIONS = 32
PUBLISHES = 10
SERIES = {"indicator": "business.women_led_closures", "geo": "AF-KAB", "start": "2022-03",
          "end": "2022-03"}  # fmt: skip


def _revision(value: float) -> Batch:
    """One accepted observation revising AF-KAB's March 2022 figure."""
    record = {"indicator_code": "business.women_led_closures", "geo_code": "AF-KAB",
              "period_start": date(2022, 3, 1), "period_end": date(2022, 3, 31),
              "frequency": "M", "sex": "_T", "age_group": "_T", "value": value,
              "lower": None, "upper": None, "obs_status": "A", "source_id": "partner.ngo",
              "source_type": "NGO", "verification": "verified"}  # fmt: skip
    table = pa.Table.from_pylist([record], schema=CANONICAL_SCHEMA)
    return Batch("partner", None, None, rows_in=1, accepted=table)


def _publisher(home: Path) -> list[str]:
    """Publish PUBLISHES snapshots on a fixed timetable over the load, each with a new figure.

    Runs in a process of its own, as pipeline runs do, so its work never holds up the load
    client. A slow publish (a busy machine) delays the next one, never drops it.
    """
    published = []
    start, gap = time.monotonic(), (DURATION - 15) / PUBLISHES
    for k in range(PUBLISHES):
        time.sleep(max(0.0, start + (k + 1) * gap - time.monotonic()))
        con = open_build(home / "warehouse" / "build.duckdb")
        try:
            run_id = f"load-test-{uuid.uuid4().hex}"
            load_batches(con, run_id, [_revision(100 + k)], load_catalog())
            published.append(publish(con, home / "snapshots", retention=50).snapshot.id)
        finally:
            con.close()
    return published


async def _worker(client, deadline: float, done: Future, seen: list) -> None:
    """Request until DURATION has passed and every snapshot has been published."""
    n = 0
    while time.monotonic() < deadline or not done.done():
        n += 1
        try:
            if n % 2:
                response = await client.get("/v1/series", params=SERIES)
            else:
                response = await client.get("/healthz")
            seen.append((response.url.path, response.status_code, response.headers.get("etag"),
                         response.content))  # fmt: skip
        except httpx.HTTPError as exc:
            seen.append(("error", 0, None, repr(exc).encode()))


async def _load(base: str, done: Future, seen: list) -> None:
    limits = httpx.Limits(max_connections=CONNECTIONS, max_keepalive_connections=CONNECTIONS)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as client:
        deadline = time.monotonic() + DURATION
        workers = (_worker(client, deadline, done, seen) for _ in range(CONNECTIONS))
        await asyncio.gather(*workers)


def _truth(path: Path) -> tuple[float, str, int]:
    """What a snapshot says: the figure under test, when it was published, how many rows."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        [(value,)] = con.execute(
            "select value from public_observations where indicator_code = ? and geo_code = ?"
            " and period_start = '2022-03-01' and superseded_at is null",
            ["business.women_led_closures", "AF-KAB"],
        ).fetchall()
        published_at, count = con.execute(sql("queries/snapshot_info")).fetchone()
    finally:
        con.close()
    return value, published_at.isoformat() + "Z", count


def test_sixty_seconds_of_load_while_ten_snapshots_are_published(tmp_path):
    home = tmp_path / "wppi"
    land(home, "base.csv", [row(geo="AF-KAB", value="41"), row(geo="AF-HER", value="17")])
    assert run_partner(home).success
    seen: list = []
    log = tmp_path / "serve.log"
    spawn = multiprocessing.get_context("spawn")
    with serving(home, log=log) as base, ProcessPoolExecutor(1, mp_context=spawn) as pool:
        started = time.monotonic()
        publishing = pool.submit(_publisher, home)
        asyncio.run(_load(base, publishing, seen))
        published = publishing.result(timeout=300)

    assert len(published) == PUBLISHES
    failures = [s for s in seen if s[1] != 200]
    assert not failures, (failures[:5], log.read_text(errors="replace")[-4000:])
    truth = {snap.stem: _truth(snap) for snap in (home / "snapshots").glob("*.duckdb")}
    per_snapshot: Counter[str] = Counter()
    for path, _, etag, content in seen:
        body = orjson.loads(content)
        snapshot = body["snapshot"]
        # The ETag is the snapshot id, followed for data by a digest of the query.
        tag = etag.strip('"')
        assert tag == snapshot or tag.startswith(f"{snapshot}."), (etag, snapshot)
        value, published_at, count = truth[snapshot]
        if path == "/healthz":
            assert (body["published_at"], body["observations"]) == (published_at, count)
        else:
            [series] = body["series"]
            assert [p["value"] for p in series["points"]] == [value]
        per_snapshot[snapshot] += 1
    assert set(published) <= set(per_snapshot), "every published snapshot was served"
    elapsed = time.monotonic() - started
    print(
        f"\nload test: {len(seen)} requests in {elapsed:.0f} s, 0 failed,"
        f" {len(per_snapshot)} snapshots served, {len(seen) / elapsed:.0f} req/s;"
        f" requests per snapshot {sorted(per_snapshot.values())}"
    )
