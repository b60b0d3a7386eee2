from warehouse.catalog import SOURCE_TYPES, load_catalog

MISSION_INDICATORS = {
    "business.women_led_closures": "count",
    "media.women_journalists_active": "count",
    "movement.restriction_level": "ordinal",
    "employment.women_public_sector_share": "percent",
    "education.girls_secondary_schools_open": "binary",
    "civic.women_led_protests": "count",
    "civic.reprisals_whrd": "count",
    "displacement.afghan_refugees": "count",
}


def test_mission_indicators_exist_with_full_metadata():
    catalog = load_catalog()
    for code, value_type in MISSION_INDICATORS.items():
        ind = catalog.indicators[code]
        assert ind.value_type == value_type
        assert ind.name and ind.definition and ind.unit and ind.topic
        assert ind.min <= ind.max
        assert ind.tier in ("public", "restricted")
        assert ind.suppression_threshold >= 1
        assert "_T" in ind.sex and "_T" in ind.age_group


def test_ranges_and_tiers_follow_the_definitions():
    indicators = load_catalog().indicators
    level = indicators["movement.restriction_level"]
    assert (level.min, level.max) == (0, 3) and len(level.levels) == 4
    assert (indicators["employment.women_public_sector_share"].max) == 100
    assert indicators["civic.reprisals_whrd"].tier == "restricted"
    assert indicators["business.women_led_closures"].suppression_threshold == 5
    assert set(indicators["displacement.afghan_refugees"].sex) == {"_T", "F", "M"}


def test_places_hold_countries_and_the_34_provinces():
    places = load_catalog().places
    provinces = [p for p in places.values() if p.level == "province"]
    assert len(provinces) == 34
    assert all(p.parent == "AFG" and p.code.startswith("AF-") for p in provinces)
    assert places["AF-KAB"].name == "Kābul"
    assert places["AFG"].level == "country" and places["PAK"].level == "country"
    assert len([p for p in places.values() if p.level == "country"]) >= 249


def test_allowed_geos_follow_scope_and_levels():
    catalog = load_catalog()
    refugees = catalog.allowed_geos(catalog.indicators["displacement.afghan_refugees"])
    closures = catalog.allowed_geos(catalog.indicators["business.women_led_closures"])
    assert "PAK" in refugees and "AF-KAB" not in refugees
    assert "AF-KAB" in closures and "AFG" in closures and "PAK" not in closures


def test_sources_have_publisher_licence_and_type():
    for source in load_catalog().sources.values():
        assert source.publisher and source.licence and source.url
        assert source.type in SOURCE_TYPES
