"""What the rate limiter costs: req/s of one hot /v1/series with the limiter on and off.

Publishes the bundled sample into a temporary WPPI_HOME, starts two API servers on free
loopback ports (limiter on with limits too high to refuse, limiter off), then alternates
timed rounds of sequential keep-alive requests against each, so machine load hits both
alike. Bounded: ROUNDS x 2 x SECONDS of requests plus setup. Then times the middleware
alone around an app that does nothing (the figure that does not depend on machine load).

    .venv/bin/python bench/rate_limit_overhead.py [--rounds 5] [--seconds 3]
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
HOT = "/v1/series?indicator=business.women_led_closures&geo=AF-KAB"


def serve(limited: bool) -> None:
    """Child mode: bind a free port, print it, serve until killed."""
    import uvicorn

    from api.main import create_app
    from api.settings import ApiSettings

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    print(sock.getsockname()[1], flush=True)
    settings = ApiSettings(rate_limit_enabled=limited, rate_limit_per_address="100000000/minute",
                           rate_limit_per_key="100000000/minute")  # fmt: skip
    uvicorn.run(create_app(settings), fd=sock.fileno(), log_level="warning")


def start(home: Path, limited: bool) -> tuple[subprocess.Popen, str]:
    env = {**os.environ, "WPPI_HOME": str(home)}
    child = subprocess.Popen(
        [sys.executable, __file__, "--serve", "on" if limited else "off"],
        env=env, stdout=subprocess.PIPE, text=True, cwd=ROOT,
    )  # fmt: skip
    port = child.stdout.readline().strip()
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            if httpx.get(base + HOT).status_code == 200:
                return child, base
        except httpx.TransportError:
            time.sleep(0.1)
    child.kill()
    raise SystemExit(f"server on {base} did not answer")


def round_rate(client: httpx.Client, seconds: float) -> float:
    done, end = 0, time.perf_counter() + seconds
    while time.perf_counter() < end:
        assert client.get(HOT).status_code == 200
        done += 1
    return done / seconds


def middleware_cost(calls: int = 20000) -> float:
    """Microseconds the middleware adds per request, around an app that does nothing."""
    import asyncio

    from api.rate_limit import RateLimit

    async def nothing(scope, receive, send):
        return None

    limited = RateLimit(nothing, per_address="100000000/minute", per_key="100000000/minute")
    scope = {"type": "http", "path": HOT, "client": ("127.0.0.1", 40000),
             "headers": [(b"authorization", b"Bearer wppi_0123456789ab_secret")]}  # fmt: skip

    async def timed(app) -> float:
        start = time.perf_counter()
        for _ in range(calls):
            await app(scope, None, None)
        return time.perf_counter() - start

    bare = min(asyncio.run(timed(nothing)) for _ in range(3))
    wrapped = min(asyncio.run(timed(limited)) for _ in range(3))
    return (wrapped - bare) / calls * 1e6


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--serve", choices=["on", "off"])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=3.0)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve == "on")
        return
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "wppi"
        env = {**os.environ, "WPPI_HOME": str(home)}
        env.pop("DAGSTER_HOME", None)
        wppi = Path(sys.executable).with_name("wppi")
        subprocess.run([str(wppi), "run", "--sample"], env=env, check=True, capture_output=True)
        servers = {name: start(home, name == "on") for name in ("on", "off")}
        rates: dict[str, list[float]] = {"on": [], "off": []}
        try:
            clients = {name: httpx.Client(base_url=base) for name, (_, base) in servers.items()}
            for _ in range(args.rounds):
                for name in ("on", "off"):
                    rates[name].append(round_rate(clients[name], args.seconds))
        finally:
            for child, _ in servers.values():
                child.terminate()
                child.wait(timeout=10)
    on, off = statistics.median(rates["on"]), statistics.median(rates["off"])
    print(f"limiter on : median {on:.0f} req/s  rounds {[round(r) for r in rates['on']]}")
    print(f"limiter off: median {off:.0f} req/s  rounds {[round(r) for r in rates['off']]}")
    print(f"on/off ratio: {on / off:.3f}")
    print(f"middleware alone (address + key, 2 counters): {middleware_cost():.1f} us/request")


if __name__ == "__main__":
    main()
