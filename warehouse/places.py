"""Resolve the place spellings sources use to catalog place codes (pycountry + alias table)."""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from importlib import resources

import pycountry
import yaml

# Suffixes that qualify a name without changing the place ("Herat Province", "Badghes [Admin 1]").
_QUALIFIERS = re.compile(r"\s*(\[admin 1\]|\bprovince)\s*$", re.IGNORECASE)


def _key(spelling: str) -> str:
    """Case, spacing and accents ignored: "Kābul" and "KABUL" are one spelling."""
    decomposed = unicodedata.normalize("NFKD", " ".join(spelling.split()).casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


@cache
def _table() -> dict[str, str]:
    """Every known spelling (normalised) -> place code."""
    table: dict[str, str] = {}
    for country in pycountry.countries:
        for attr in ("alpha_2", "alpha_3", "name", "official_name", "common_name"):
            if hasattr(country, attr):
                table[_key(getattr(country, attr))] = country.alpha_3
    for sub in pycountry.subdivisions.get(country_code="AF"):
        table[_key(sub.code)] = sub.code
        table[_key(sub.name)] = sub.code
    text = resources.files("warehouse").joinpath("catalog", "place_aliases.yaml").read_text("utf-8")
    table.update({_key(k): v for k, v in yaml.safe_load(text)["aliases"].items()})
    return table


def resolve_place(spelling: str | None) -> str | None:
    """The catalog code for a place name or ISO code, or None when it is not known.

    Never guesses: a spelling is matched exactly (ignoring case, spacing and a trailing
    "Province" / "[Admin 1]"), so "Niger" never becomes Nigeria.
    """
    if not spelling or not spelling.strip():
        return None
    table = _table()
    key = _key(spelling)
    return table.get(key) or table.get(_key(_QUALIFIERS.sub("", key)))
