"""Dari (`fa-AF`) and Pashto (`ps`) names of provinces and indicators, from the one
translation file beside the catalog (catalog/translations.yaml), each with its review status.

Reading it checks that every name belongs to a catalog code, a known language and a known
status, so a typo in the file fails loudly instead of leaving a name silently English.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml

from warehouse.catalog import load_catalog

LANGUAGES = ("fa-AF", "ps")
STATUSES = ("reviewed", "unreviewed")


@dataclass(frozen=True)
class Translation:
    name: str
    status: str  # reviewed or unreviewed


@dataclass(frozen=True)
class Translations:
    places: dict[str, dict[str, Translation]]  # code -> language -> name
    indicators: dict[str, dict[str, Translation]]

    def place(self, code: str, language: str) -> Translation | None:
        return self.places.get(code, {}).get(language)

    def indicator(self, code: str, language: str) -> Translation | None:
        return self.indicators.get(code, {}).get(language)


def _entries(section: dict | None, known: dict, what: str) -> dict[str, dict[str, Translation]]:
    entries = {}
    for code, by_language in (section or {}).items():
        if code not in known:
            raise ValueError(f"translations.yaml: {what} '{code}' is not in the catalog")
        names = {}
        for language, entry in by_language.items():
            where = f"translations.yaml: {what} '{code}', {language}"
            if language not in LANGUAGES:
                raise ValueError(f"{where}: unknown language (one of {', '.join(LANGUAGES)})")
            if entry.get("status") not in STATUSES:
                raise ValueError(f"{where}: status must be one of {', '.join(STATUSES)}")
            if not str(entry.get("name") or "").strip():
                raise ValueError(f"{where}: empty name")
            names[language] = Translation(str(entry["name"]).strip(), entry["status"])
        entries[code] = names
    return entries


@cache
def load_translations() -> Translations:
    """Read the file once per process; it ships with the catalog."""
    path = resources.files("warehouse").joinpath("catalog", "translations.yaml")
    return parse_translations(yaml.safe_load(path.read_text(encoding="utf-8")))


def parse_translations(spec: dict) -> Translations:
    catalog = load_catalog()
    return Translations(
        places=_entries(spec.get("places"), catalog.places, "place"),
        indicators=_entries(spec.get("indicators"), catalog.indicators, "indicator"),
    )
