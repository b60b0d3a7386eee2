"""Dagster pipelines: sources -> raw -> conform -> validate -> load -> publish."""
