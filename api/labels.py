"""Names in English, Dari (`fa-AF`) and Pashto (`ps`), chosen by `lang=` or Accept-Language.

Province and indicator names come from warehouse/catalog/translations.yaml (every one has
both languages; a test holds that). Country names come from pycountry's gettext catalogues
(iso-codes): Persian (`fa`, used for Dari, whose country names are the same) names 248 of
249 countries and Pashto 138; the others fall back to English. Every label says which
language it is actually in (`name_lang`).
"""

from __future__ import annotations

import gettext
from functools import cache, lru_cache
from operator import itemgetter
from typing import Any

import pycountry

from warehouse.catalog import load_catalog
from warehouse.translations import load_translations

LANGUAGES = ("en", "fa-AF", "ps")
# Appended to observation-shaped rows (series and observations, every tabular format).
NAME_COLUMNS = ("indicator_name", "geo_name", "name_lang")
_GETTEXT_LANGUAGE = {"fa-AF": "fa", "ps": "ps"}
_DOMAINS = {"country": "iso3166-1", "province": "iso3166-2"}


def negotiate(lang: str | None, accept_language: str | None) -> str:
    """`lang=` when given (already validated), else the best Accept-Language match, else en."""
    if lang:
        return lang
    ranked = []
    for position, item in enumerate((accept_language or "").split(",")):
        tag, _, params = item.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                continue
        ranked.append((-quality, position, tag.strip().lower()))
    for _, _, tag in sorted(ranked):
        for language in LANGUAGES:
            code = language.lower()
            # fa-AF, plain fa and prs (ISO 639-3 for Dari) all mean Dari here.
            if tag == code or tag == code.split("-")[0] or (tag == "prs" and language == "fa-AF"):
                return language
    return "en"


@cache
def _translations(language: str, level: str) -> gettext.NullTranslations | None:
    try:
        return gettext.translation(
            _DOMAINS[level], pycountry.LOCALES_DIR, languages=[_GETTEXT_LANGUAGE[language]]
        )
    except OSError:
        return None


def place_name(code: str, name: str, level: str, language: str) -> tuple[str, str]:
    """(name, language it is in) for a place, given its code and English ISO name."""
    if language == "en":
        return name, "en"
    if level == "province":
        found = load_translations().place(code, language)
        return (found.name, language) if found else (name, "en")
    translations = _translations(language, level)
    translated = translations.gettext(name) if translations else name
    return (translated, language) if translated != name else (name, "en")


def indicator_name(code: str, name: str, language: str) -> tuple[str, str]:
    """(name, language it is in) for an indicator, given its code and English name."""
    found = load_translations().indicator(code, language) if language != "en" else None
    return (found.name, language) if found else (name, "en")


def name_status(kind: str, code: str, name_lang: str) -> str:
    """How far to trust a served name: `original` (the catalog's or ISO's English name),
    `iso-codes` (a country name translated by the iso-codes project), or the review status
    of our own translation (`reviewed` or `unreviewed`, catalog/translations.yaml)."""
    if name_lang == "en":
        return "original"
    if kind == "country":
        return "iso-codes"
    names = load_translations()
    lookup = names.indicator if kind == "indicator" else names.place
    found = lookup(code, name_lang)
    return found.status if found else "original"


@lru_cache(maxsize=2**16)
def row_names(indicator_code: str, geo_code: str, language: str) -> tuple[str, str, str]:
    """NAME_COLUMNS for one row. The row's one `name_lang` covers both names, so when either
    lacks a translation both are given in English: a row never mixes languages unmarked."""
    catalog = load_catalog()
    indicator = catalog.indicators.get(indicator_code)
    place = catalog.places.get(geo_code)
    english = (indicator.name if indicator else indicator_code, place.name if place else geo_code)
    if language == "en" or indicator is None or place is None:
        return (*english, "en")
    what, what_lang = indicator_name(indicator_code, english[0], language)
    where, where_lang = place_name(geo_code, english[1], place.level, language)
    if what_lang == where_lang == language:
        return what, where, language
    return (*english, "en")


def with_names(
    columns: tuple[str, ...], rows: list[tuple], language: str
) -> tuple[tuple[str, ...], list[tuple]]:
    """Observation-shaped rows with NAME_COLUMNS appended (the codes stay as they are)."""
    pair = itemgetter(columns.index("indicator_code"), columns.index("geo_code"))
    # Each (indicator, place) named once: a series has hundreds of rows and one pair.
    names = {key: row_names(*key, language) for key in set(map(pair, rows))}
    named = [row + names[pair(row)] for row in rows]
    return (*columns, *NAME_COLUMNS), named


def label_series(body: dict[str, Any], language: str) -> dict[str, Any]:
    """A series body with `indicator_name` on top and `geo_name` on each series, each with
    the `name_lang` it is in."""
    catalog = load_catalog()
    indicator = catalog.indicators.get(body["indicator"])
    english = indicator.name if indicator else body["indicator"]
    name, lang = indicator_name(body["indicator"], english, language)
    for series in body["series"]:
        place = catalog.places.get(series["geo"])
        series["geo_name"], series["name_lang"] = (
            place_name(place.code, place.name, place.level, language)
            if place
            else (series["geo"], "en")
        )
    return {**body, "indicator_name": name, "name_lang": lang}
