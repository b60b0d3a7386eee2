"""The OpenAPI schema holds against a live server with default settings (rate limits on):
schemathesis with every check finds nothing (bounded examples)."""

import shutil
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tests.live_server import serving

ST = Path(sys.executable).with_name("st")
CONFIG = Path(__file__).with_name("schemathesis.toml")


@pytest.fixture(scope="module")
def live(sample_home):
    with pytest.MonkeyPatch.context() as env:
        env.setenv("WPPI_RATE_LIMIT_ENABLED", "true")  # the default tests/conftest.py turns off
        with serving(sample_home) as base:
            yield base


def test_every_parameter_and_response_is_documented_with_an_example(live):
    schema = httpx.get(f"{live}/openapi.json").json()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                where = f"{method} {path} {parameter['name']}"
                assert parameter.get("description"), where
                examples = (parameter.get("example"), parameter.get("examples"),
                            parameter["schema"].get("examples"))  # fmt: skip
                assert any(e is not None for e in examples), where
            for status, response in operation["responses"].items():
                assert response.get("description"), f"{path} {status}"
                for media, content in response.get("content", {}).items():
                    if "json" in media:
                        assert "example" in content or "examples" in content, (path, status)


def test_schemathesis_finds_no_server_error_or_schema_violation(live, tmp_path):
    assert shutil.which(str(ST)), "schemathesis is a dev dependency"
    # Read before the run: schemathesis uses up the address's rate limit (429s are expected).
    schema = httpx.get(f"{live}/openapi.json").json()
    result = subprocess.run(
        [str(ST), "--config-file", str(CONFIG), "run", f"{live}/openapi.json", "--checks", "all",
         "--max-examples", "25", "--seed", "4", "--no-color", "--request-timeout", "20"],
        capture_output=True, text=True, timeout=600, cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    operations = sum(len(methods) for methods in schema["paths"].values())
    assert f"Tested: {operations}" in result.stdout, result.stdout
    assert "FAILURES" not in result.stdout, result.stdout
    print(result.stdout[-1500:])
