"""Names in English, Dari (`fa-AF`) and Pashto (`ps`), chosen by `lang=` or Accept-Language.

Place names come from pycountry's gettext catalogues (iso-codes): Persian (`fa`, used for
Dari, whose country names are the same) names 248 of 249 countries and Pashto 138; neither
has Afghan province names, and the indicator catalog has no translations yet, so those fall
back to English. Every label says which language it is actually in (`name_lang`).
"""

from __future__ import annotations

import gettext
from functools import cache

import pycountry

LANGUAGES = ("en", "fa-AF", "ps")
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


def place_name(name: str, level: str, language: str) -> tuple[str, str]:
    """(name, language it is in) for a place's English ISO name."""
    if language == "en":
        return name, "en"
    translations = _translations(language, level)
    translated = translations.gettext(name) if translations else name
    return (translated, language) if translated != name else (name, "en")
