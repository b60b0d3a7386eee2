"""Headless Chromium for tests that check what a person sees, with every other host cut off.

`rendered` returns the DOM after scripts ran and the URLs the page asked for (from
Chromium's net log: requests made for the page carry its site in their network isolation
key; the browser's own update and account pings do not), so a test can prove a page needs
nothing but the server under test.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
MISSING = "Debian's chromium is not installed (.ci/run installs it; it could not be here)"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--disable-features=AutofillServerCommunication",
         "--virtual-time-budget=15000",
         # Any host but the local server fails to resolve: a page that needs a CDN breaks.
         "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]  # fmt: skip


def rendered(url: str, workdir: Path) -> tuple[str, set[str]]:
    """(the page's DOM after its scripts ran, every URL Chromium requested)."""
    netlog = workdir / "netlog.json"
    result = subprocess.run(
        [CHROMIUM, *FLAGS, f"--user-data-dir={workdir / 'profile'}", f"--log-net-log={netlog}",
         "--dump-dom", url],
        capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout, _requested_urls(
        netlog, f"{urlsplit(url).scheme}://{urlsplit(url).hostname}"
    )


def _requested_urls(netlog: Path, site: str) -> set[str]:
    text = netlog.read_text(encoding="utf-8", errors="replace").rstrip().rstrip(",")
    if not text.endswith("}"):  # the log of a killed browser lacks its closing brackets
        text += "]}"
    events = json.loads(text).get("events", [])
    return {
        event["params"]["url"]
        for event in events
        if isinstance(event.get("params"), dict)
        and "url" in event["params"]
        and event["params"].get("network_isolation_key", "").startswith(site)
    }
