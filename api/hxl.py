"""HXL-tagged CSV (`format=hxl`) of observation rows: a CSV whose second row holds the
Humanitarian Exchange Language hashtags HDX users filter on, so HXL tools (the HXL Proxy,
libhxl, HDX's previews) read the rows without a mapping.

Places are split the way HDX keys them: `#country+code` (ISO 3166-1 alpha-3, the parent
country of a province) and `#adm1+code` (the ISO 3166-2 province code, empty for a
country row); every other column keeps its name and gets a tag.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache

from api.formats import Table, csv_lines, text
from warehouse.catalog import load_catalog

# Tags of the columns observation-shaped tables carry; unlisted columns get #meta+<name>.
TAGS = {
    "indicator_code": "#indicator+code",
    "indicator_name": "#indicator+name",
    "geo_name": "#loc+name",
    "name_lang": "#meta+lang",
    "period": "#date",
    "period_start": "#date+start",
    "period_end": "#date+end",
    "sex": "#meta+sex",
    "age_group": "#meta+age",
    "value": "#value",
    "lower": "#value+lower",
    "upper": "#value+upper",
    "obs_status": "#status",
    "source_id": "#meta+source",
}
PLACE_COLUMNS = ("country_code", "adm1_code")
PLACE_TAGS = ("#country+code", "#adm1+code")


@cache
def _place(code: str) -> tuple[str, str]:
    """(country code, province code or "") of a place code."""
    place = load_catalog().places.get(code)
    if place is not None and place.level == "province":
        return place.parent or "", code
    return code, ""


def hxl_chunks(table: Table) -> Iterator[bytes]:
    """The table as HXL-tagged CSV: header, hashtag row, then the rows with the place split
    into country and province columns after `geo_code`."""
    at_geo = table.columns.index("geo_code")
    header = [*table.columns[: at_geo + 1], *PLACE_COLUMNS, *table.columns[at_geo + 1 :]]
    tags = [TAGS.get(name, f"#meta+{name.replace('_', '')}") for name in table.columns]
    tags = [*tags[:at_geo], "#loc+code", *PLACE_TAGS, *tags[at_geo + 1 :]]
    rows = [
        [
            *(text(v) for v in row[: at_geo + 1]),
            *_place(row[at_geo]),
            *(text(v) for v in row[at_geo + 1 :]),
        ]
        for row in table.rows
    ]
    return csv_lines(header, [tags, *rows])
