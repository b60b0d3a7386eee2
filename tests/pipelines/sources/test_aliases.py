"""Publisher codes the adapters map are the catalog's aliases of the same indicator, so a
monitor who knows a World Bank, SDG, UIS, V-Dem or HDR code finds the indicator by it."""

from pipelines.sources import owid, undp_hdr, unesco_uis, vdem, worldbank
from warehouse.catalog import load_catalog

ADAPTERS = (worldbank, owid, unesco_uis, vdem, undp_hdr)


def test_every_mapped_publisher_code_is_an_alias_of_its_indicator():
    mapped: dict[str, set[str]] = {}
    for adapter in ADAPTERS:
        for code, target in adapter.INDICATORS.items():
            indicator = target[0] if isinstance(target, tuple) else target
            mapped.setdefault(indicator, set()).add(code)
    indicators = load_catalog().indicators
    for indicator, codes in mapped.items():
        assert codes <= set(indicators[indicator].aliases), indicator
