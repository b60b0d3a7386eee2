"""World Bank Women, Business and the Law panel (snake_case columns) -> WBL scores; the
columns are mapped in pipelines/sources/mappings/wbl.yaml."""

from pipelines.sources.mapped_tables import mapped_table_source

SOURCE = mapped_table_source(
    "wbl",
    description="Women, Business and the Law CSV (... wbl_index ...)",
    folders=("wbl_women_business_law",),
    signatures=("wbl_index",),
)
