"""The benchmark harness runs on demand, not in the suite: importing every module here keeps a
rename elsewhere from breaking `make bench` unnoticed until someone measures."""

import importlib
import pkgutil

import pytest

import bench

# bench.bare_app is the baseline server, imported by uvicorn with its payload in the environment.
MODULES = sorted(m.name for m in pkgutil.iter_modules(bench.__path__) if m.name != "bare_app")


@pytest.mark.parametrize("name", MODULES)
def test_bench_module_imports(name):
    assert importlib.import_module(f"bench.{name}").__name__ == f"bench.{name}"
