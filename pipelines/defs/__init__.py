"""Dagster definitions, one module per area."""
