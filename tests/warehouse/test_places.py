"""Place spellings resolve to catalog codes exactly, never by guessing."""

import pytest

from warehouse.places import resolve_place


@pytest.mark.parametrize(
    ("spelling", "code"),
    [
        ("Herat Province", "AF-HER"),
        ("Afghanistan", "AFG"),
        ("AF", "AFG"),
        ("afg", "AFG"),
        ("Kabul", "AF-KAB"),  # pycountry spells it Kābul
        ("Badghes [Admin 1]", "AF-BDG"),  # UNHCR's spelling, from the alias table
        ("Maidan Wardak Province", "AF-WAR"),
        ("Iran (Islamic Republic of)", "IRN"),
        ("Niger", "NER"),
    ],
)
def test_known_spellings(spelling, code):
    assert resolve_place(spelling) == code


@pytest.mark.parametrize("spelling", ["", "No Information", "South Asia", "OWID_WRL", "Nige"])
def test_unknown_spellings_resolve_to_nothing(spelling):
    assert resolve_place(spelling) is None
