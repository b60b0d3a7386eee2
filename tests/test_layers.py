"""The layering rule of STYLE.md: warehouse at the bottom, api never reaching pipelines."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FORBIDDEN = {
    "warehouse": {
        "api",
        "pipelines",
        "expectations",
        "objectstore",
        "dagster",
        "fastapi",
        "boto3",
        "botocore",
        "os.environ",
    },  # fmt: skip
    "expectations": {"api", "pipelines", "dagster", "fastapi"},
    "api": {"pipelines", "expectations", "dagster", "great_expectations"},
    "pipelines": {"api", "fastapi"},
    # The S3 client both pipelines (upload) and api (sync) use; below them, beside warehouse.
    "objectstore": {"api", "pipelines", "expectations", "warehouse", "dagster", "fastapi"},
}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            found.add(f"{node.value.id}.{node.attr}")  # e.g. os.environ
    return found


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_package_respects_its_layer(package):
    offenders = []
    for path in (ROOT / package).rglob("*.py"):
        for module in imported_modules(path):
            if any(module == bad or module.startswith(bad + ".") for bad in FORBIDDEN[package]):
                offenders.append(f"{path.relative_to(ROOT)} uses {module}")
    assert not offenders
