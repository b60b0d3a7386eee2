"""Requests per second and p50/p99 latency of `wppi serve` on the published sample.

Hot: one series query repeated (served from the in-process cache after the first request).
Cold: a different series query every time (each one a cache miss and a DuckDB query).
Measured with a bounded sequential httpx loop (latency per request) and, when Debian's `wrk`
is installed, with wrk for concurrent throughput. Run after `wppi run --sample`:

    .venv/bin/python bench/api_load.py [WPPI_HOME]
"""

from __future__ import annotations

import itertools
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.live_server import serving  # noqa: E402

HOT = "/v1/series?indicator=media.women_journalists_active&geo=AF-KAB,AF-HER&start=2022-01"
INDICATORS = ("business.women_led_closures", "media.women_journalists_active",
              "movement.restriction_level", "civic.women_led_protests")  # fmt: skip
GEOS = ("AF-KAB", "AF-HER", "AF-BAL", "AF-KAN", "AF-BAM", "AF-NAN")
STARTS = [f"{year}-{month:02d}" for year in (2021, 2022, 2023) for month in range(1, 13)]
REQUESTS = 2000


def cold_paths() -> list[str]:
    combos = itertools.product(INDICATORS, GEOS, STARTS, ("M", "Q"))
    return [f"/v1/series?indicator={i}&geo={g}&start={s}&frequency={f}"
            for i, g, s, f in combos][:REQUESTS]  # fmt: skip


def loop(client: httpx.Client, paths: list[str]) -> dict:
    latencies = []
    began = time.perf_counter()
    for path in paths:
        start = time.perf_counter()
        response = client.get(path)
        latencies.append(time.perf_counter() - start)
        assert response.status_code == 200, (path, response.status_code)
    elapsed = time.perf_counter() - began
    cuts = statistics.quantiles(latencies, n=100)
    return {"requests": len(paths), "req_per_s": round(len(paths) / elapsed),
            "p50_ms": round(cuts[49] * 1000, 2), "p99_ms": round(cuts[98] * 1000, 2)}  # fmt: skip


def wrk(base: str, path: str) -> dict | None:
    if shutil.which("wrk") is None:
        return None
    out = subprocess.run(["wrk", "-t2", "-c16", "-d10s", "--latency", base + path],
                         capture_output=True, text=True, timeout=60).stdout  # fmt: skip
    found = {"req_per_s": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))}
    for label, pct in (("p50", "50"), ("p99", "99")):
        value, unit = re.search(rf"\s{pct}%\s+([\d.]+)(us|ms|s)", out).groups()
        found[f"{label}_ms"] = float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]
    return found


def main() -> None:
    home = Path(sys.argv[1] if len(sys.argv) > 1 else os.environ.get("WPPI_HOME", ".wppi"))
    with serving(home.resolve()) as base, httpx.Client(base_url=base) as client:
        client.get(HOT)  # fill the cache
        print("hot  (httpx, sequential):", loop(client, [HOT] * REQUESTS))
        print("cold (httpx, sequential):", loop(client, cold_paths()))
        print("hot  (wrk, 2 threads, 16 connections, 10 s):", wrk(base, HOT))


if __name__ == "__main__":
    main()
