"""The bottom layer: catalog, schema, loading, snapshots and read queries over DuckDB.

It imports only duckdb, pyarrow, pycountry, yaml and the standard library, and reads no
environment: every path arrives as an argument (tests/test_layers.py enforces this).
"""
