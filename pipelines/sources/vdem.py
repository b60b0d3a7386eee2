"""V-Dem country-year files (V-Dem's own variable names as columns; v14 and older releases)
-> women's rights and media indicators; mapped in pipelines/sources/mappings/vdem.yaml."""

from pipelines.sources.mapped_tables import mapped_table_source

SOURCE = mapped_table_source(
    "vdem",
    description="V-Dem country-year CSV (country_text_id,...)",
    signatures=("country_text_id", "tag,name,level,part,big_5"),
)
