"""Every province and every catalog indicator has a Dari and a Pashto name, with a status."""

import pytest
import yaml

from warehouse.catalog import load_catalog
from warehouse.translations import LANGUAGES, STATUSES, load_translations, parse_translations


def test_every_province_and_indicator_is_named_in_dari_and_pashto():
    catalog, names = load_catalog(), load_translations()
    provinces = [p.code for p in catalog.places.values() if p.level == "province"]
    assert len(provinces) == 34
    for kind, codes, lookup in (("place", provinces, names.place),
                                ("indicator", catalog.indicators, names.indicator)):  # fmt: skip
        for code in codes:
            for language in LANGUAGES:
                found = lookup(code, language)
                assert found is not None, f"{kind} {code} has no {language} name"
                assert found.status in STATUSES
                # A translation is in Arabic script, not an English name copied over.
                assert any("\u0600" <= ch <= "\u06ff" for ch in found.name), (code, found)


def test_dari_and_pashto_differ_where_the_languages_spell_differently():
    names = load_translations()
    assert names.place("AF-NAN", "fa-AF").name == "ننگرهار"
    assert names.place("AF-NAN", "ps").name == "ننګرهار"  # Pashto writes g as ګ


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("places: {AF-XXX: {ps: {name: x, status: unreviewed}}}", "place 'AF-XXX'"),
        ("places: {AF-KAB: {de: {name: x, status: unreviewed}}}", "unknown language"),
        ("places: {AF-KAB: {ps: {name: x, status: checked}}}", "status must be"),
        ("indicators: {hdr.hdi: {ps: {name: ' ', status: reviewed}}}", "empty name"),
    ],
)
def test_a_bad_entry_fails_naming_code_and_language(text, error):
    with pytest.raises(ValueError, match=error):
        parse_translations(yaml.safe_load(text))


def test_level_names_exist_in_both_languages_for_every_named_level():
    catalog, names = load_catalog(), load_translations()
    for code, indicator in catalog.indicators.items():
        if indicator.levels:
            for language in LANGUAGES:
                levels = names.indicator(code, language).levels
                assert set(levels) == set(indicator.levels), (code, language)


def test_level_names_must_match_the_catalog_levels():
    text = ("indicators: {movement.restriction_level: {ps: {name: x, status: unreviewed, "
            "levels: {0: a, 1: b}}}}")  # fmt: skip
    with pytest.raises(ValueError, match=r"movement.restriction_level', ps: levels must name"):
        parse_translations(yaml.safe_load(text))
