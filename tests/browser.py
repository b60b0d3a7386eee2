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


# Flags for the command line's one-shot mode only; Playwright runs headless itself.
_ONLY_CLI = ("--headless", "--virtual-time-budget")
# Measured in the page for `Screen.look`: the document's width against the viewport's, and
# the box of every text of the chart's SVG against the SVG's own box (CSS pixels).
_MEASURE = """() => {
  const box = (el) => { const r = el.getBoundingClientRect();
    return {left: r.left, right: r.right, top: r.top, bottom: r.bottom}; };
  const svg = document.querySelector("svg.chart");
  return {
    scrollWidth: document.documentElement.scrollWidth,
    viewport: document.documentElement.clientWidth,
    lang: document.documentElement.lang,
    dir: document.documentElement.dir,
    text: document.body.innerText,
    svg: svg && box(svg),
    texts: svg ? [...svg.querySelectorAll("text")].map((t) => ({
      text: t.textContent, cls: t.getAttribute("class") || "", ...box(t)})) : [],
    download: document.querySelector("a.download")?.getAttribute("href"),
    decrees: svg ? [...svg.querySelectorAll("a.decree")].map((a) => a.getAttribute("href")) : [],
  };
}"""


class Screen:
    """One headless Chromium (Debian's, driven by Playwright, which downloads no browser of
    its own) for screenshot tests; every host but the server under test is cut off twice:
    at the resolver (FLAGS) and by refusing the request, which is recorded in `refused`."""

    TIMEOUT_MS = 60_000  # any one browser step; a hung page fails instead of hanging CI

    def __init__(self) -> None:
        from playwright.sync_api import sync_playwright

        self._playwright = sync_playwright().start()
        try:
            self._browser = self._playwright.chromium.launch(
                executable_path=CHROMIUM, args=[f for f in FLAGS if not f.startswith(_ONLY_CLI)],
                headless=True, timeout=self.TIMEOUT_MS,
            )  # fmt: skip
        except Exception:
            self._playwright.stop()
            raise
        self.refused: list[str] = []

    def look(self, url: str, width: int, png: Path, height: int = 900) -> dict:
        """Load `url` in a `width` px wide viewport, save a full-page PNG at `png` and return
        what _MEASURE measured."""
        page = self._browser.new_page(viewport={"width": width, "height": height})
        try:
            page.set_default_timeout(self.TIMEOUT_MS)
            page.route("**/*", self._only_local)
            page.goto(url, wait_until="load")
            page.screenshot(path=str(png), full_page=True)
            return page.evaluate(_MEASURE)
        finally:
            page.close()

    def _only_local(self, route) -> None:
        if urlsplit(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            self.refused.append(route.request.url)
            route.abort()

    def close(self) -> None:
        self._browser.close()
        self._playwright.stop()
