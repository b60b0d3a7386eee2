"""Indicator search over the real catalog: spellings, word forms, topics, synonyms and
publisher codes find the indicator; nothing matches part of a word or part of a code."""

import pytest

from warehouse.catalog import load_catalog
from warehouse.search import search

CATALOG = load_catalog().indicators
INDICATORS = [{"code": i.code, "name": i.name, "definition": i.definition, "topic": i.topic}
              for i in CATALOG.values()]  # fmt: skip
ALIASES = {i.code: i.alias_codes for i in CATALOG.values()}
ENROLMENT = {"education.gross_enrolment_primary", "education.gross_enrolment_secondary",
             "education.gross_enrolment_tertiary"}  # fmt: skip
LABOUR = {"employment.labour_force_participation", "employment.labour_force_total"}


def found(query: str) -> set[str]:
    return {i["code"] for i in search(INDICATORS, query, ALIASES)}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("labour", LABOUR),
        ("labor force", LABOUR),
        ("enrolment", ENROLMENT),
        ("Enrollment", ENROLMENT),
        ("girls schools", {"education.girls_secondary_schools_open"}),
        (
            "girls' schooling",
            {"education.girls_secondary_schools_open", "education.girls_out_of_secondary_school"},
        ),
        ("university enrollment", {"education.gross_enrolment_tertiary"}),
        ("SL.TLF.CACT.FE.ZS", {"employment.labour_force_participation"}),
        ("sg_gen_locgels", {"politics.women_local_government_share"}),
        ("business.women_led_closures", {"business.women_led_closures"}),
    ],
)
def test_spellings_forms_and_codes_find_the_indicator(query, expected):
    assert expected <= found(query)


def test_every_variant_finds_the_same_indicators():
    assert found("labour") == found("labor") == found("LABOR") >= LABOUR
    assert found("enrolment") == found("enrollment") == found("enrolments") == ENROLMENT
    assert found("school") == found("schools") == found("schooling")


def test_a_topic_word_finds_every_indicator_of_the_topic():
    education = {c for c, i in CATALOG.items() if i.topic == "education"}
    assert education <= found("education")
    assert "education.girls_secondary_schools_open" in found("education girls")


@pytest.mark.parametrize("query", ["Mali", "SL.TLF", "women_led", "business.women", "closure.x"])
def test_no_part_of_a_word_or_a_code_matches(query):
    assert found(query) == set()


def test_a_place_name_inside_another_is_not_a_match():
    somalia = {"code": "x.somalia", "name": "Refugees from Somalia", "definition": "Counts.",
               "topic": "displacement"}  # fmt: skip
    assert search([somalia], "Mali", {}) == []
    assert search([somalia], "somalia refugee", {}) == [somalia]


def test_or_between_words_finds_either():
    either = found("girls school OR enrolment OR labour")
    assert either == found("girls school") | ENROLMENT | found("labour")
    assert found("Mali OR labour") == found("labour")
