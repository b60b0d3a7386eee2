"""Freedom House Freedom in the World scores (lower-cased "All Data" columns), by edition;
the columns are mapped in pipelines/sources/mappings/freedom_house.yaml."""

from pipelines.sources.mapped_tables import mapped_table_source

SOURCE = mapped_table_source(
    "freedom_house",
    description="Freedom in the World CSV (country,year,status,pr_rating,...)",
    folders=("freedom_house_fiw",),
    signatures=("country,year,status,pr_rating",),
)
