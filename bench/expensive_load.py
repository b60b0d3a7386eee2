"""16 clients asking a live `wppi serve` for expensive answers for 60 s (issue 20).

Every request is a cache miss: all places of an indicator as annual Parquet series, or
10,000-row observation pages, each with a new `as_of` instant. Meanwhile a 17th client asks
/healthz ten times a second. Reports the server's peak RSS (VmHWM), /healthz latency and the
answers by status. The rate limit is off, so the server itself is what is measured. Targets
(issue 20): RSS <= 1 GB and /healthz p99 <= 100 ms.

    .venv/bin/python bench/expensive_load.py [--rows 1000000] [--seconds 60] [--clients 16]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import multiprocessing
import os
import statistics
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime, timedelta
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.extract_write import synthetic_snapshot  # noqa: E402
from tests.live_server import serving  # noqa: E402

INDICATORS = ("business.women_led_closures", "media.women_journalists_active",
              "civic.women_led_protests")  # fmt: skip
_AS_OF = itertools.count()


def _as_of() -> str:
    """A new instant each time, after the synthetic rows were recorded: never cached."""
    return (datetime(2026, 1, 2) + timedelta(seconds=next(_AS_OF))).strftime("%Y-%m-%dT%H:%M:%S")


def _expensive(n: int) -> tuple[str, dict]:
    indicator = INDICATORS[n % len(INDICATORS)]
    if n % 2:
        return "/v1/series", {"indicator": indicator, "frequency": "A", "format": "parquet",
                              "as_of": _as_of()}  # fmt: skip
    return "/v1/observations", {"indicator": indicator, "limit": "10000", "as_of": _as_of()}


def _server_pid(port: int) -> int:
    """The `wppi serve` process listening on `port` (found by its command line)."""
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                argv = (entry / "cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if b"serve" in argv and str(port).encode() in argv:
                return int(entry.name)
    raise RuntimeError(f"no wppi serve on port {port}")


def _memory(pid: int) -> dict[str, int]:
    fields = dict(
        line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines()
    )
    return {key: int(fields[key].split()[0]) * 1024 for key in ("VmRSS", "VmHWM")}


async def _client(http: httpx.AsyncClient, deadline: float, statuses: Counter, took: list) -> None:
    n = 0
    while time.monotonic() < deadline:
        n += 1
        path, params = _expensive(n)
        started = time.monotonic()
        try:
            response = await http.get(path, params=params)
            statuses[response.status_code] += 1
        except httpx.HTTPError as exc:
            statuses[type(exc).__name__] += 1
        took.append(time.monotonic() - started)


def _probe(base: str, seconds: float) -> tuple[list[float], dict]:
    """/healthz ten times a second, from a process of its own: the load clients' event loop,
    busy receiving large bodies, would otherwise add its own delay to every probe."""
    took, failures = [], Counter()
    deadline = time.monotonic() + seconds
    with httpx.Client(base_url=base, timeout=30) as http:
        while time.monotonic() < deadline:
            started = time.monotonic()
            try:
                response = http.get("/healthz")
                if response.status_code != 200:
                    failures[response.status_code] += 1
            except httpx.HTTPError as exc:
                failures[type(exc).__name__] += 1
            took.append(time.monotonic() - started)
            time.sleep(0.1)
    return took, dict(failures)


async def _sampler(pid: int, deadline: float, peak: list) -> None:
    while time.monotonic() < deadline:
        peak.append(_memory(pid)["VmRSS"])
        await asyncio.sleep(0.5)


async def _load(base: str, pid: int, seconds: float, clients: int) -> dict:
    statuses: Counter = Counter()
    took: list[float] = []
    rss: list[int] = []
    deadline = time.monotonic() + seconds
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    spawn = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(1, mp_context=spawn) as pool:
        probing = pool.submit(_probe, base, seconds)
        async with httpx.AsyncClient(base_url=base, limits=limits, timeout=120) as http:
            await asyncio.gather(
                *(_client(http, deadline, statuses, took) for _ in range(clients)),
                _sampler(pid, deadline, rss),
            )
        health, health_failures = probing.result(timeout=seconds + 120)
    cuts = statistics.quantiles(health, n=100)
    work = statistics.quantiles(took, n=100) if len(took) > 1 else [0.0] * 99
    memory = _memory(pid)
    return {
        "clients": clients, "seconds": seconds, "requests": sum(statuses.values()),
        "statuses": {str(k): v for k, v in sorted(statuses.items(), key=str)},
        "request_p50_s": round(work[49], 2), "request_p99_s": round(work[98], 2),
        "healthz_requests": len(health), "healthz_failures": health_failures,
        "healthz_p50_ms": round(cuts[49] * 1000, 1), "healthz_p99_ms": round(cuts[98] * 1000, 1),
        "healthz_max_ms": round(max(health) * 1000, 1),
        "server_rss_max_mb": round(max(rss) / 2**20),
        "server_vmhwm_mb": round(memory["VmHWM"] / 2**20),
    }  # fmt: skip


def run(home: Path, seconds: float, clients: int) -> dict:
    """Load a live server over `home` (which holds a published snapshot); return the figures."""
    os.environ["WPPI_RATE_LIMIT_ENABLED"] = "false"  # inherited by the server
    with serving(home) as base:
        pid = _server_pid(int(base.rsplit(":", 1)[1]))
        return asyncio.run(_load(base, pid, seconds, clients))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="synthetic observations")
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--clients", type=int, default=16)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "wppi"
        synthetic_snapshot(home, args.rows)
        print(json.dumps(run(home, args.seconds, args.clients), indent=1))


if __name__ == "__main__":
    main()
