"""A short version of bench/expensive_load.py: 16 clients asking a live server for expensive,
never-cached answers for 15 s (issue 20). The full 60 s run and its figures are in
docs/benchmarks.md; this one holds the bounds that matter on any machine: memory stays far
below 1 GB and /healthz keeps answering (the bound is loose, the failure it catches is seconds).
"""

from __future__ import annotations

from bench.expensive_load import run
from bench.extract_write import synthetic_snapshot


def test_expensive_requests_keep_memory_bounded_and_healthz_answering(tmp_path):
    home = tmp_path / "wppi"
    synthetic_snapshot(home, 200_000)
    figures = run(home, seconds=15, clients=16)
    assert figures["requests"] > 0
    assert set(figures["statuses"]) <= {"200", "503"}, figures
    assert figures["server_vmhwm_mb"] <= 1024, figures
    assert not figures["healthz_failures"] and figures["healthz_p99_ms"] <= 500, figures
