"""The chart page (`GET /`) as HTML: one indicator for chosen places, fit to go into a report.

Names are in the page's language (English, Dari, Pashto; right to left for the latter two)
and fall back to English visibly; each line is one place and source, labelled with its
publisher; the source and licence line, a link to the CSV of exactly the charted points and
the decrees marked on the chart (with their citations) sit under it. The page's own words in
Dari and Pashto are drafts by an engineer who is not a native speaker (like the unreviewed
names in warehouse/catalog/translations.yaml): have them checked before relying on them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from html import escape
from pathlib import Path
from urllib.parse import urlencode

import yaml

from api import chart, labels
from warehouse.catalog import load_catalog
from warehouse.translations import load_translations

LANGUAGE_NAMES = {"en": "English", "fa-AF": "دری", "ps": "پښتو"}
# The page's own words per language (api/chart_text.yaml).
TEXT = yaml.safe_load((Path(__file__).parent / "chart_text.yaml").read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Decree:
    day: date
    summary: str
    url: str
    publisher: str

    @classmethod
    def from_event(cls, event: dict) -> Decree:
        """An event record (warehouse/events.py); a month-only date counts from the 1st."""
        text = event["date_effective"] or event["date_announced"]
        day = date.fromisoformat(text if len(text) == 10 else f"{text}-01")
        return cls(day, event["summary"], event["citation_url"], event["citation_publisher"])


@dataclass(frozen=True)
class Series:
    geo: str
    source: str
    publisher: str
    demo: bool
    points: list[chart.Point]


@dataclass(frozen=True)
class Page:
    language: str
    indicator: dict  # catalog entry (code, name, definition, unit, value_type, ...)
    indicators: list[dict]  # every public indicator, for the picker
    places: list[str]  # places with data, for the picker
    chosen: list[str]
    decrees: str  # topic, all, none or a domain
    domains: tuple[str, ...]
    series: list[Series]
    sources: dict[str, dict]  # source id -> catalog entry
    events: list[Decree]
    snapshot: str


def _named(name: str, name_lang: str, language: str) -> str:
    """A name as HTML: one that fell back to English says so and is set left to right."""
    if name_lang == language:
        return escape(name)
    note = escape(TEXT[language]["english"])
    return (
        f'<span lang="en" dir="ltr" class="fallback">{escape(name)}</span> '
        f'<span class="fallback-note">({note})</span>'
    )


def _plain(name: str, name_lang: str, language: str) -> str:
    """A name as option text: HTML-free, with the same English marker."""
    return name if name_lang == language else f"{name} ({TEXT[language]['english']})"


def place_name(code: str, language: str) -> tuple[str, str]:
    place = load_catalog().places.get(code)
    return labels.place_name(code, place.name, place.level, language) if place else (code, "en")


def _english(text: str) -> str:
    return f'<span lang="en" dir="ltr">{escape(text)}</span>'


def _link(url: str, text: str) -> str:
    """A link to a web address; a source documented inside the project (its url is a path
    in the repository, of no use to a reader of the page) is only named."""
    if not url.startswith(("https://", "http://")):
        return _english(text)
    return f'<a href="{escape(url)}" lang="en" dir="ltr">{escape(text)}</a>'


def _options(items: list[tuple[str, str]], chosen: set[str]) -> str:
    return "".join(
        f'<option value="{escape(value)}"{" selected" if value in chosen else ""}>'
        f"{escape(text)}</option>"
        for value, text in items
    )


def _demo_notice(series: list[Series]) -> str:
    """A visible warning whenever the chart draws any invented (demo) point."""
    demo = sorted({s.source for s in series if s.demo})
    if not demo:
        return ""
    return (
        '<p class="demo-notice" role="alert" lang="en" dir="ltr"><strong>Invented '
        'demonstration data.</strong> Lines marked "invented demo data" '
        f"({escape(', '.join(demo))})"
        " are made-up figures for demonstrations and tests, not measurements: do not cite "
        "them.</p>\n"
    )


def download_url(page: Page) -> str:
    """The CSV of exactly the charted points: the series the chart asked for, same filters."""
    query = {
        "indicator": page.indicator["code"],
        "geo": ",".join(page.chosen),
        "sex": "_T",
        "age_group": "_T",
        "format": "csv",
        "lang": page.language,
    }
    return f"/v1/series?{urlencode(query)}"


def _legend(page: Page, text: dict) -> str:
    items = []
    for index, series in enumerate(page.series):
        colour, dash = chart.style(index)
        swatch = (
            f'<svg class="swatch" viewBox="0 0 28 10" aria-hidden="true"><line x1="1" '
            f'y1="5" x2="27" y2="5" stroke="{colour}" stroke-width="3" '
            f'stroke-dasharray="{dash}"/></svg>'
        )
        demo = (
            f' <strong class="demo-mark">({escape(text["demo"])})</strong>' if series.demo else ""
        )
        items.append(
            f'<li data-geo="{escape(series.geo)}" data-source="{escape(series.source)}">'
            f"{swatch} {_named(*place_name(series.geo, page.language), page.language)}"
            f" · {_english(series.publisher)}{demo}</li>"
        )
    return f'<ul class="legend" aria-label="{escape(text["legend"])}">{"".join(items)}</ul>'


def _source_lines(page: Page, text: dict) -> str:
    """Who published each charted line and under which licence, one source a line."""
    used = [page.sources[s] for s in dict.fromkeys(s.source for s in page.series)]
    items = "".join(
        f"<li>{escape(text['source'])}: {_english(source['publisher'])} — "
        f"{_link(source['url'], source['name'])}; {escape(text['licence'])}: "
        f"{_english(source['licence'])}</li>"
        for source in used
    )
    return f'<ul class="sources">{items}</ul>' if items else ""


def _decree_list(page: Page, text: dict) -> str:
    if not page.events:
        return ""
    items = "".join(
        f'<li value="{n}"><time datetime="{d.day}">'
        f"{chart.digits(d.day.isoformat(), page.language)}</time> "
        f'(<a href="{escape(d.url)}">{escape(text["citation"])}: {_english(d.publisher)}</a>)'
        f'<span lang="en" dir="ltr" class="decree-title">{escape(d.summary)}</span></li>'
        for n, d in enumerate(page.events, 1)
    )
    return f'<h2>{escape(text["marked"])}</h2>\n<ol class="decrees">{items}</ol>'


def _choices(page: Page, text: dict) -> str:
    language = page.language
    indicators = [
        (i["code"], _plain(*labels.indicator_name(i["code"], i["name"], language), language))
        for i in page.indicators
    ]
    places = [(g, f"{_plain(*place_name(g, language), language)} ({g})") for g in page.places]
    decrees = [("topic", text["topic"]), ("all", text["all"]), ("none", text["none"])]
    decrees += [(d, d.replace("_", " ")) for d in page.domains]
    return f"""<form class="choose" method="get" action="/">
<input type="hidden" name="lang" value="{escape(language)}">
<label>{escape(text["indicator"])} <select name="indicator">{_options(indicators, {page.indicator["code"]})}</select></label>
<label>{escape(text["places"])} <select name="geo" multiple size="6">{_options(places, set(page.chosen))}</select></label>
<label>{escape(text["decrees"])} <select name="decrees">{_options(decrees, {page.decrees})}</select></label>
<button type="submit">{escape(text["show"])}</button>
</form>"""  # noqa: E501


def _languages(page: Page) -> str:
    links = []
    for language, name in LANGUAGE_NAMES.items():
        query = urlencode(
            [
                ("indicator", page.indicator["code"]),
                *(("geo", g) for g in page.chosen),
                ("decrees", page.decrees),
                ("lang", language),
            ]
        )
        current = ' aria-current="true"' if language == page.language else ""
        links.append(f'<a href="/?{query}" lang="{language}"{current}>{name}</a>')
    return f'<nav class="languages">{" · ".join(links)}</nav>'


def _levels(code: str, language: str) -> tuple[dict[int, str], str]:
    """(level names, language they are in) of an ordinal indicator; English when the
    translation file has none."""
    english = load_catalog().indicators[code].levels
    translated = load_translations().indicator(code, language) if language != "en" else None
    if translated and translated.levels:
        return translated.levels, language
    return english, "en"


def _levels_note(levels: dict, levels_lang: str, language: str) -> str:
    if not levels or levels_lang == language:
        return ""
    return f'<p class="fallback-note">{escape(TEXT[language]["levels_english"])}</p>'


def render(page: Page) -> str:
    language, meta = page.language, page.indicator
    text = TEXT[language]
    title = _named(*labels.indicator_name(meta["code"], meta["name"], language), language)
    title_text = labels.indicator_name(meta["code"], meta["name"], language)[0]
    levels, levels_lang = _levels(meta["code"], language)
    whole = (int(meta["min_value"]), int(meta["max_value"]))
    integral = meta["value_type"] in ("ordinal", "binary")
    axis = chart.Axis(language, levels, text["no_value"], whole if integral else None)
    lines = [chart.Line(f"{s.geo} · {s.publisher}", s.points) for s in page.series]
    markers = [chart.Marker(d.day, d.summary, d.url) for d in page.events]
    drawing = chart.svg(lines, axis, markers) if lines else f"<p>{escape(text['no_data'])}</p>"
    direction = "rtl" if language in chart.RIGHT_TO_LEFT else "ltr"
    return f"""<!doctype html>
<html lang="{language}" dir="{direction}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>WPPI — {escape(title_text)}</title>
<link rel="stylesheet" href="/static/chart.css">
<script src="/static/chart.js" defer></script>
</head><body>
{_languages(page)}
<h1>{title}</h1>
<p lang="en" dir="ltr" class="definition">{escape(meta["definition"])} Unit: {escape(meta["unit"])}.</p>
{_choices(page, text)}
{_demo_notice(page.series)}<figure>
{drawing}
<figcaption>{_legend(page, text)}{_levels_note(levels, levels_lang, language)}
{_source_lines(page, text)}
<p><a class="download" href="{escape(download_url(page))}">{escape(text["download"])}</a>
· {escape(text["snapshot"])} {_english(page.snapshot)}</p></figcaption>
</figure>
{_decree_list(page, text)}
<p class="note">{escape(text["missing_note"])}</p>
</body></html>"""  # noqa: E501
