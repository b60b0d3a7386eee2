"""The catalog of indicators, places and sources: the single source of truth (DESIGN.md)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from importlib import resources

import isodate
import pycountry
import yaml

OBS_STATUS = {
    "A": "normal",
    "E": "estimated",
    "P": "provisional",
    "Z": "true zero",
    "M": "not collected",
    "U": "could not be observed",
    "S": "suppressed for protection",
}
# Statuses a submitter may use; `S` is only ever assigned by WPPI on public output.
SUBMITTED_OBS_STATUS = tuple(code for code in OBS_STATUS if code != "S")
# Statuses for which a missing value is the point.
VALUELESS_OBS_STATUS = ("M", "U")
VERIFICATION = ("verified", "corroborated", "single_source")
SOURCE_TYPES = ("UN", "NGO", "media", "official", "survey")
SEX = {"_T": "Total", "F": "Female", "M": "Male"}
AGE_GROUP = {
    "_T": "All ages",
    "Y_LT18": "Under 18",
    "Y18T29": "18 to 29",
    "Y_GE30": "30 and over",
}
VALUE_TYPES = ("count", "percent", "ordinal", "binary", "index")
TIERS = ("public", "restricted")
AGGREGATIONS = ("sum", "mean", "last")
FREQUENCIES = ("D", "M", "Q", "A")


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str
    definition: str
    unit: str
    value_type: str
    min: float
    max: float
    frequency: str
    topic: str
    aggregation: str
    tier: str
    suppression_threshold: int
    sex: tuple[str, ...]
    age_group: tuple[str, ...]
    geo_scope: str
    geo_levels: tuple[str, ...]
    levels: dict[int, str] = field(default_factory=dict)
    # What publishers call this measure: publisher -> ((their code or name, sex or None), ...).
    # A sex set on an alias means the publisher's code is that sex's part ("SL.TLF.CACT.FE.ZS").
    aliases: dict[str, tuple[tuple[str, str | None], ...]] = field(default_factory=dict)

    @property
    def alias_codes(self) -> tuple[str, ...]:
        """Every publisher's codes and names for this measure, for exact-match search."""
        return tuple(code for pairs in self.aliases.values() for code, _ in pairs)

    @property
    def integral(self) -> bool:
        """Counts, levels and flags only take whole numbers."""
        return self.value_type in ("count", "ordinal", "binary")


@dataclass(frozen=True)
class Place:
    code: str
    name: str
    level: str  # "country" or "province"
    parent: str | None


@dataclass(frozen=True)
class Source:
    id: str
    name: str
    publisher: str
    licence: str
    url: str
    type: str
    update_every: str | None = None  # ISO 8601 duration: how often the source publishes
    # Invented figures for demonstrations and tests: every value from it is served marked
    # `demo`, and it is only ever loaded on request (`wppi run --sample`).
    demo: bool = False


@dataclass(frozen=True)
class Catalog:
    indicators: dict[str, Indicator]
    places: dict[str, Place]
    sources: dict[str, Source]
    # No observation is older than this year; an earlier period (0001-01) is a typo and is
    # quarantined rather than stretching every coverage back to year 1.
    earliest_year: int = 1900

    def publisher_codes(self, publisher: str) -> dict[str, str | tuple[str, str]]:
        """A publisher's codes and names -> catalog code, or (code, sex) for a sex's part."""
        return {
            alias: (indicator.code, sex) if sex else indicator.code
            for indicator in self.indicators.values()
            for alias, sex in indicator.aliases.get(publisher, ())
        }

    def allowed_geos(self, indicator: Indicator) -> list[str]:
        """Place codes an indicator may be reported for, in code order."""
        return sorted(
            place.code
            for place in self.places.values()
            if place.level in indicator.geo_levels
            and (
                indicator.geo_scope == "world" or indicator.geo_scope in (place.code, place.parent)
            )
        )


def _read_yaml(name: str) -> dict:
    text = resources.files("warehouse").joinpath("catalog", name).read_text(encoding="utf-8")
    return yaml.safe_load(text)


def _is_duration(text: str) -> bool:
    try:
        isodate.parse_duration(text)
    except (isodate.ISO8601Error, TypeError):
        return False
    return True


def _check(condition: bool, message: str) -> None:
    if not condition:
        raise ValueError(f"catalog: {message}")


def _indicator(entry: dict, defaults: dict) -> Indicator:
    merged = {**defaults, **entry}
    code = merged["code"]
    _check(merged["value_type"] in VALUE_TYPES, f"{code}: unknown value_type")
    _check(merged["tier"] in TIERS, f"{code}: unknown tier")
    _check(merged["aggregation"] in AGGREGATIONS, f"{code}: unknown aggregation")
    _check(merged["frequency"] in FREQUENCIES, f"{code}: unknown frequency")
    _check(set(merged["sex"]) <= set(SEX), f"{code}: unknown sex code")
    _check(set(merged["age_group"]) <= set(AGE_GROUP), f"{code}: unknown age group")
    _check(merged["min"] <= merged["max"], f"{code}: min above max")
    return Indicator(
        code=code,
        name=merged["name"],
        definition=" ".join(merged["definition"].split()),
        unit=merged["unit"],
        value_type=merged["value_type"],
        min=float(merged["min"]),
        max=float(merged["max"]),
        frequency=merged["frequency"],
        topic=merged["topic"],
        aggregation=merged["aggregation"],
        tier=merged["tier"],
        suppression_threshold=int(merged["suppression_threshold"]),
        sex=tuple(merged["sex"]),
        age_group=tuple(merged["age_group"]),
        geo_scope=merged["geo_scope"],
        geo_levels=tuple(merged["geo_levels"]),
        levels={int(k): v for k, v in (merged.get("levels") or {}).items()},
        aliases=_aliases(code, entry.get("aliases") or {}),
    )


def _aliases(code: str, entry: dict) -> dict[str, tuple[tuple[str, str | None], ...]]:
    """`{publisher: [code, {code: X, sex: F}, ...]}` -> publisher -> ((code, sex), ...)."""
    aliases = {}
    for publisher, names in entry.items():
        pairs = []
        for name in names:
            alias, sex = (name["code"], name.get("sex")) if isinstance(name, dict) else (name, None)
            _check(sex is None or sex in SEX, f"{code}: alias {alias} has an unknown sex")
            pairs.append((str(alias), sex))
        aliases[publisher] = tuple(pairs)
    return aliases


def _check_aliases(indicators: dict[str, Indicator]) -> None:
    """A publisher's code names one catalog indicator only."""
    seen: dict[tuple[str, str], str] = {}
    for indicator in indicators.values():
        for publisher, pairs in indicator.aliases.items():
            for alias, _ in pairs:
                other = seen.setdefault((publisher, alias), indicator.code)
                _check(
                    other == indicator.code,
                    f"{publisher} {alias!r} is an alias of both {other} and {indicator.code}",
                )


def _places() -> dict[str, Place]:
    """Every ISO 3166-1 country (alpha-3) and Afghanistan's provinces (ISO 3166-2:AF)."""
    places = {
        country.alpha_3: Place(country.alpha_3, country.name, "country", None)
        for country in pycountry.countries
    }
    for sub in pycountry.subdivisions.get(country_code="AF"):
        places[sub.code] = Place(sub.code, sub.name, "province", "AFG")
    return places


@cache
def load_catalog() -> Catalog:
    """Read the catalog once per process; it ships with the code and never changes at run time."""
    spec = _read_yaml("indicators.yaml")
    indicators = {e["code"]: _indicator(e, spec["defaults"]) for e in spec["indicators"]}
    _check(len(indicators) == len(spec["indicators"]), "duplicate indicator code")
    _check_aliases(indicators)
    sources = {}
    for entry in _read_yaml("sources.yaml")["sources"]:
        _check(entry["type"] in SOURCE_TYPES, f"source {entry['id']}: unknown type")
        _check(
            entry.get("update_every") is None or _is_duration(entry["update_every"]),
            f"source {entry['id']}: update_every is not an ISO 8601 duration (e.g. P1Y, P1M)",
        )
        sources[entry["id"]] = Source(**entry)
    earliest = spec.get("earliest_year", Catalog.earliest_year)
    return Catalog(indicators, _places(), sources, earliest)
