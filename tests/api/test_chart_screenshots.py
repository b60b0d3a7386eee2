"""The chart page as a monitor sees it: headless Chromium screenshots at 1400 px and 400 px,
in English and Dari, over the real bundle (`wppi run`), checked by measuring the page and by
reading the PNG back.

Playwright drives Debian's /usr/bin/chromium because a test needs the page's own
measurements (each SVG text's box against the SVG's, the document's width against the
viewport's) as well as a screenshot of the same load; the command line's `--screenshot`
gives a picture but no way to measure.
"""

from __future__ import annotations

import re
import shutil
from urllib.parse import urlencode

import httpx
import pytest
from PIL import Image

from tests.browser import CHROMIUM, MISSING
from tests.live_server import serving
from warehouse.catalog import load_catalog
from warehouse.translations import load_translations

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason=MISSING)

REFUGEES = {"indicator": "displacement.afghan_refugees", "geo": ["PAK", "IRN"]}
MOVEMENT = {"indicator": "movement.restriction_level", "geo": ["AF-HER", "AFG"]}
WIDTHS = (1400, 400)
LANGUAGES = ("en", "fa-AF")
FIRST_LINE = (0x1B, 0x6C, 0xA8)  # api/chart.py PALETTE[0]
THOUSANDS = {"en": r"^\d{1,3}(,\d{3})+$", "fa-AF": r"^[۰-۹]{1,3}(٬[۰-۹]{3})+$"}
SOURCE_WORD = {"en": "Source", "fa-AF": "منبع"}


@pytest.fixture(scope="module")
def real_live(tmp_path_factory, bundle_home):
    """`wppi serve` over a home that `wppi run` filled with the bundled real data."""
    home = tmp_path_factory.mktemp("chart_real") / "wppi"
    shutil.copytree(bundle_home, home)
    with serving(home) as base:
        yield base


@pytest.fixture(scope="module")
def screen():
    from tests.browser import Screen

    browser = Screen()
    yield browser
    browser.close()


def _page(case: dict, lang: str) -> str:
    return "/?" + urlencode([("indicator", case["indicator"]), *(("geo", g) for g in case["geo"]),
                             ("lang", lang)])  # fmt: skip


def _series(base: str, case: dict, lang: str) -> dict:
    query = {"indicator": case["indicator"], "geo": ",".join(case["geo"]), "sex": "_T",
             "age_group": "_T", "lang": lang}  # fmt: skip
    return httpx.get(f"{base}/v1/series", params=query, timeout=30).json()


def _overlap(a: dict, b: dict) -> float:
    width = min(a["right"], b["right"]) - max(a["left"], b["left"])
    height = min(a["bottom"], b["bottom"]) - max(a["top"], b["top"])
    return max(width, 0) * max(height, 0)


def _shown(screen, base: str, case: dict, lang: str, width: int, tmp_path) -> tuple[dict, dict]:
    """(what the page measured, the series as the API serves it), after checking that the
    page asked no other host, fits its screen, and names the indicator and every place in
    the page's language and direction."""
    png = tmp_path / f"{case['indicator']}-{lang}-{width}.png"
    seen = screen.look(base + _page(case, lang), width, png)
    assert not screen.refused, f"the page asked another host: {screen.refused}"
    _nothing_clipped(seen, png, width)
    body = _series(base, case, lang)
    assert seen["lang"] == lang and seen["dir"] == ("rtl" if lang == "fa-AF" else "ltr")
    assert body["indicator_name"] in seen["text"]
    for series in body["series"]:
        assert series["geo_name"] in seen["text"] and series["publisher"] in seen["text"]
    return seen, body


def _nothing_clipped(seen: dict, png, width: int) -> None:
    # The page fits the screen: no horizontal scrolling, the PNG is exactly the screen wide.
    assert seen["scrollWidth"] <= seen["viewport"] <= width
    image = Image.open(png).convert("RGB")
    assert image.width == width
    # Every text of the chart lies inside the chart, and no two of them overlap.
    svg, texts = seen["svg"], seen["texts"]
    assert svg["right"] <= width
    for text in texts:
        inside = (
            text["left"] >= svg["left"] - 0.5
            and text["right"] <= svg["right"] + 0.5
            and text["top"] >= svg["top"] - 0.5
            and text["bottom"] <= svg["bottom"] + 0.5
        )
        assert inside, (text, svg)  # fmt: skip
    for i, a in enumerate(texts):
        for b in texts[i + 1 :]:
            assert _overlap(a, b) < 1.0, (a["text"], b["text"])
    # Readable on a phone too: the axis text is drawn at least 10 CSS px tall.
    ticks = [t for t in texts if "tick" in t["cls"]]
    assert ticks and min(t["bottom"] - t["top"] for t in ticks) >= 10
    # The PNG: the right-most columns (inside the page margin) carry no ink, so nothing runs
    # off the edge; the chart area is drawn, with the first line's colour in it.
    right = image.crop((width - 6, 0, width, image.height))
    assert all(min(pixel) >= 235 for pixel in right.getdata()), "ink in the right margin"
    box = tuple(round(svg[k]) for k in ("left", "top", "right", "bottom"))
    chart = list(image.crop(box).getdata())
    ink = sum(1 for pixel in chart if min(pixel) < 200)
    assert ink > len(chart) * 0.01, "the chart area is blank"
    line = sum(
        1 for p in chart if all(abs(c - f) <= 40 for c, f in zip(p, FIRST_LINE, strict=True))
    )
    assert line > 30, "the first line is not drawn"


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_refugee_counts_read_with_separators_names_and_sources(
    real_live, screen, tmp_path, lang, width
):
    seen, body = _shown(screen, real_live, REFUGEES, lang, width, tmp_path)
    text = seen["text"]
    assert len([s for s in body["series"] if s["points"]]) == 2
    y_ticks = [t["text"] for t in seen["texts"] if re.match(THOUSANDS[lang], t["text"])]
    assert len(y_ticks) >= 3, [t["text"] for t in seen["texts"]]
    assert not re.search(r"\de[+-]\d", text + " ".join(t["text"] for t in seen["texts"]))
    source = load_catalog().sources["unhcr.population"]
    assert f"{SOURCE_WORD[lang]}: {source.publisher}" in text and source.licence in text
    assert seen["download"].startswith("/v1/series?") and "format=csv" in seen["download"]


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_movement_levels_are_named_and_decrees_marked_with_citations(
    real_live, screen, tmp_path, lang, width
):
    seen, body = _shown(screen, real_live, MOVEMENT, lang, width, tmp_path)
    text, svg_text = seen["text"], [t["text"] for t in seen["texts"]]
    levels = load_catalog().indicators[MOVEMENT["indicator"]].levels
    if lang != "en":  # the level names in the page's language, from the translation file
        levels = load_translations().indicator(MOVEMENT["indicator"], lang).levels
    assert levels
    assert all(any(name in t for t in svg_text) for name in levels.values()), svg_text
    periods = [p["period"] for s in body["series"] for p in s["points"]]
    events = httpx.get(f"{real_live}/v1/events",
                       params={"domain": "movement", "geo": "AF-HER", "start": min(periods),
                               "end": max(periods)}).json()["data"]  # fmt: skip
    assert len(events) >= 3
    for event in events:
        assert event["summary"] in text
        assert event["citation"]["publisher"] in text
    # One numbered badge per decree in the chart, each linking to its citation.
    badges = [t for t in seen["texts"] if t["cls"] == "badge"]
    assert len(badges) == len(events)
    assert sorted(seen["decrees"]) == sorted(e["citation"]["url"] for e in events)


def test_a_name_without_a_translation_is_shown_in_english_and_says_so(real_live):
    # Czechia has data here and no Pashto name in iso-codes (it has a Dari one).
    params = {"indicator": REFUGEES["indicator"], "geo": ["CZE"], "lang": "ps"}
    page = httpx.get(f"{real_live}/", params=params).text
    assert '<span lang="en" dir="ltr" class="fallback">Czechia</span>' in page
    assert '<span class="fallback-note">(انګلیسي)</span>' in page
    dari = httpx.get(f"{real_live}/", params={**params, "lang": "fa-AF"}).text
    assert "fallback" not in dari.split("<figure>")[1].split("</figure>")[0]
