"""Drive `wppi serve` and the bare baseline with wrk on 127.0.0.1, hot and cold queries.

Hot: one series query repeated. Cold: distinct series queries cycled (a different indicator,
place, sex and age group each time), so neither DuckDB's buffers nor any response cache can
answer from the previous request. Every server binds a free loopback port chosen at run time
and is stopped by its own process id; each wrk run is bounded in time.
"""

from __future__ import annotations

import http.client
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

import duckdb
import orjson

from bench.memory import peak_rss

HERE = Path(__file__).resolve().parent
WRK_SCRIPT = HERE / "wrk_report.lua"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def series_paths(snapshot: Path, count: int, seed: int) -> list[str]:
    """Distinct single-series queries from the snapshot, in a seeded random order."""
    con = duckdb.connect(str(snapshot), read_only=True)
    try:
        keys = con.execute(
            "select distinct indicator_code, geo_code, sex, age_group from public_observations"
            " where superseded_at is null order by all"
        ).fetchall()
    finally:
        con.close()
    random.Random(seed).shuffle(keys)
    return [
        "/v1/series?" + urlencode({"indicator": i, "geo": g, "sex": s, "age_group": a})
        for i, g, s, a in keys[:count]
    ]


class Server:
    """A server process on a free loopback port, stopped by its own pid."""

    def __init__(self, argv: list[str], env: dict, port: int, log: Path):
        self.port, self.log = port, log
        with log.open("wb") as sink:  # a file, not a pipe: access logs would fill a pipe
            self.process = subprocess.Popen(
                argv, env={**os.environ, **env}, stdout=sink, stderr=subprocess.STDOUT
            )

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def wait_ready(self, path: str, timeout: float = 60) -> bytes:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited: {self.log.read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(self.base + path, timeout=5) as response:
                    return response.read()
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"server on port {self.port} not ready after {timeout}s")

    def peak_rss(self) -> int:
        return peak_rss(self.process.pid)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def wrk(url: str, connections: int, seconds: float, paths_file: Path | None = None) -> dict:
    threads = min(connections, 2)  # two cores: more wrk threads only steal from the server
    env = {**os.environ, **({"WRK_PATHS": str(paths_file)} if paths_file else {})}
    duration = f"-d{max(1, round(seconds))}s"  # wrk takes whole seconds only
    out = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{connections}", duration, "--timeout", "10s",
         "-s", str(WRK_SCRIPT), url],
        env=env, capture_output=True, text=True, check=True, timeout=seconds + 60,
    ).stdout  # fmt: skip
    line = next(line for line in out.splitlines() if line.startswith("WRK_JSON "))
    result = orjson.loads(line.removeprefix("WRK_JSON "))
    result["req_per_s"] = result["requests"] / (result["duration_us"] / 1e6)
    result["p50_ms"], result["p99_ms"] = result["p50_us"] / 1000, result["p99_us"] / 1000
    if result["errors"] or result["non_2xx"]:
        raise RuntimeError(f"wrk against {url} saw errors: {result}")
    return result


def server_timing(port: int, paths: list[str]) -> dict:
    """Server-side latency of distinct cold requests made one at a time on one keep-alive
    connection, from each answer's Server-Timing header (api/timing.py): the figure the
    cold-latency target names, apart from wrk's client and loopback time."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    millis = []
    try:
        for path in paths:
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                raise RuntimeError(f"{path} answered {response.status}")
            millis.append(float(response.getheader("server-timing").split("dur=")[1]))
    finally:
        connection.close()
    cuts = statistics.quantiles(millis, n=100, method="inclusive")
    return {"requests": len(millis), "p50_ms": cuts[49], "p99_ms": cuts[98]}


def measure(home: Path, snapshot: Path, work: Path, seconds: float, seed: int) -> dict:
    """Every (server, mode, concurrency) wrk run once; the caller repeats for medians."""
    if shutil.which("wrk") is None:
        raise RuntimeError("wrk is not installed: apt-get install wrk (make bench does)")
    chosen = series_paths(snapshot, 5300, seed)
    # wrk cycles the first 5,000; the server-side pass asks the last 300 before any wrk run,
    # so each of its requests is the first for its path (at 1M they overlap wrk's set).
    paths, unseen = chosen[:5000], chosen[-300:]
    paths_file = work / "paths.txt"
    paths_file.write_text("\n".join(paths) + "\n")
    hot = paths[0]
    port = free_port()
    wppi = Server(
        [str(Path(sys.executable).with_name("wppi")), "serve", "--host", "127.0.0.1",
         "--port", str(port)],
        # Rate limiting off: it would answer most of a load test with 429 (api/settings.py).
        {"WPPI_HOME": str(home), "DAGSTER_HOME": str(home / "dagster"),
         "WPPI_RATE_LIMIT_ENABLED": "false"}, port,
        work / "wppi.log",
    )  # fmt: skip
    results: dict = {"wppi": {}, "bare": {}}
    try:
        payload = wppi.wait_ready(hot)
        (work / "payload.json").write_bytes(payload)
        results["payload_bytes"] = len(payload)
        results["wppi_cold_c1_server"] = server_timing(port, unseen)
        results["wppi"] = _modes(wppi.base, hot, paths_file, seconds)
        results["wppi_peak_rss_bytes"] = wppi.peak_rss()
    finally:
        wppi.stop()
    port = free_port()
    bare = Server(
        [sys.executable, "-m", "uvicorn", "bench.bare_app:app", "--host", "127.0.0.1",
         "--port", str(port), "--timeout-keep-alive", "75"],  # as `wppi serve` runs uvicorn
        {"BENCH_PAYLOAD": str(work / "payload.json"), "PYTHONPATH": str(HERE.parent)}, port,
        work / "bare.log",
    )  # fmt: skip
    try:
        bare.wait_ready(hot)
        results["bare"] = _modes(bare.base, hot, paths_file, seconds)
    finally:
        bare.stop()
    return results


def _modes(base: str, hot: str, paths_file: Path, seconds: float) -> dict:
    return {
        f"{mode}_c{c}": wrk(base + hot, c, seconds, paths_file if mode == "cold" else None)
        for mode in ("hot", "cold")
        for c in (1, 8, 32)
    }
