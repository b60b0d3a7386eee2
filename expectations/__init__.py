"""Great Expectations suites derived from the catalog, run on every batch (DESIGN.md)."""
