"""The chart page, rendered by headless Chromium against a live server."""

import csv
import io
import re
import subprocess

import httpx
import pytest

from tests.browser import CHROMIUM, FLAGS
from tests.live_server import serving
from warehouse.translations import load_translations

CLOSURES = "business.women_led_closures"


@pytest.fixture(scope="module")
def live(sample_home):
    with serving(sample_home) as base:
        yield base


def rendered(url: str, profile) -> str:
    """The page's DOM after Chromium has loaded it and run its scripts."""
    result = subprocess.run(
        [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", "--dump-dom", url],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def test_page_uses_only_local_scripts_and_styles(live):
    html = httpx.get(f"{live}/").text
    # Anything the page loads is local; links (<a>, to citations) are only followed on a click.
    loaded = r"""<(?!a[\s>])\w+[^>]*\b(src|href)=["']?(https?:)?//"""
    assert not re.search(loaded, html)
    for asset in re.findall(r"""(?:src|href)="(/static/[^"]+)""", html):
        assert httpx.get(f"{live}{asset}").status_code == 200, asset


@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (.ci/run "
                    "installs it; it could not be installed here)")  # fmt: skip
def test_chromium_draws_every_point_and_marks_suppressed_ones(live, tmp_path):
    geos = ["AF-BAM", "AF-KAB"]
    series = httpx.get(
        f"{live}/v1/series",
        params={"indicator": CLOSURES, "geo": ",".join(geos), "sex": "_T", "age_group": "_T"},
    ).json()
    points = [p for s in series["series"] for p in s["points"]]
    valued = sum(p["value"] is not None for p in points)
    suppressed = sum(p["obs_status"] == "S" for p in points)
    assert valued and suppressed, "the sample shows both kinds of point"

    query = f"indicator={CLOSURES}&geo={geos[0]}&geo={geos[1]}"
    dom = rendered(f"{live}/?{query}", tmp_path / "profile")
    assert 'data-enhanced="yes"' in dom  # the locally served script ran
    assert len(re.findall(r'<circle class="point"', dom)) == valued
    assert len(re.findall(r'<rect class="point-suppressed"', dom)) == suppressed
    assert len(re.findall(r'<g class="series"', dom)) == len(geos)
    # Suppressed points sit in the "no value" strip, not on the zero line.
    zero = re.search(r'<line class="axis" x1="\d+" y1="([\d.]+)"', dom).group(1)
    strip = {y for y in re.findall(r'<rect class="point-suppressed"[^>]* y="([\d.]+)"', dom)}
    assert strip and float(zero) < min(float(y) for y in strip)


def test_download_link_gives_exactly_the_charted_points(live):
    """The CSV behind "download this data" holds the points drawn, value for value, and the
    suppressed points the chart leaves without a value are withheld in it too."""
    query = {"indicator": CLOSURES, "geo": ["AF-BAM", "AF-KAB"]}
    html = httpx.get(f"{live}/", params=query).text
    href = re.search(r'<a class="download" href="([^"]+)"', html).group(1).replace("&amp;", "&")
    rows = list(csv.DictReader(io.StringIO(httpx.get(f"{live}{href}").text)))
    assert rows
    in_csv = {(r["geo_code"], r["source_id"], r["period"], r["value"] or None, r["obs_status"])
              for r in rows}  # fmt: skip
    drawn = set()
    for label, body in re.findall(r'<g class="series" data-label="([^"]+)"[^>]*>(.*?)</g>', html,
                                  re.S):  # fmt: skip
        geo = label.split(" · ")[0]
        source = {r["source_id"] for r in rows if r["geo_code"] == geo}.pop()
        for period, value in re.findall(r'class="point" data-period="([^"]+)" data-value="([^"]+)"',
                                        body):  # fmt: skip
            drawn.add((geo, source, period, value, "valued"))
        for kind, period in re.findall(r'class="point-(\w+)" data-period="([^"]+)"', body):
            drawn.add((geo, source, period, None, kind))
    as_drawn = {(g, s, p, str(float(v)) if v else None,
                 "valued" if v else "suppressed" if status == "S" else "missing")
                for g, s, p, v, status in in_csv}  # fmt: skip
    assert drawn == as_drawn
    assert any(kind == "suppressed" for *_, kind in drawn)


def test_pashto_page_is_right_to_left_with_pashto_names(live):
    page = httpx.get(f"{live}/", params={"indicator": CLOSURES, "geo": "AF-KAB", "lang": "ps"})
    assert page.headers["content-language"] == "ps"
    assert '<html lang="ps" dir="rtl">' in page.text
    names = load_translations()
    assert f"<h1>{names.indicator(CLOSURES, 'ps').name}</h1>" in page.text
    assert names.place("AF-KAB", "ps").name in page.text
    assert "ارزښت نشته" in page.text  # the "no value" strip, in Pashto
