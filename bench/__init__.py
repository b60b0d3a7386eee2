"""Benchmarks: synthetic data, the harness and its baselines (issue 7; docs/benchmarks.md)."""
