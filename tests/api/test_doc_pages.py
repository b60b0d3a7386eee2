"""/docs works offline: every asset comes from the API itself, and Swagger UI draws every
operation with every other host unreachable (headless Chromium)."""

import re
from urllib.parse import urlsplit

import httpx
import pytest

from tests.browser import CHROMIUM, MISSING, rendered
from tests.live_server import serving


@pytest.fixture(scope="module")
def live(sample_home):
    with serving(sample_home) as base:
        yield base


def test_docs_page_references_only_assets_the_api_serves(live):
    html = httpx.get(f"{live}/docs").text
    assert not re.search(r"""(https?:)?//[a-z0-9.-]+\.[a-z]{2,}""", html, re.I), html
    assets = re.findall(r"""(?:src|href)=["'](/[^"']+)""", html)
    assert any(a.endswith(".js") for a in assets), html
    for asset in assets:
        response = httpx.get(f"{live}{asset}")
        assert response.status_code == 200, asset
        assert int(response.headers["content-length"]) > 0, asset


@pytest.mark.skipif(CHROMIUM is None, reason=MISSING)
def test_swagger_ui_lists_every_operation_offline(live, tmp_path):
    schema = httpx.get(f"{live}/openapi.json").json()
    operations = sum(len(methods) for methods in schema["paths"].values())
    dom, urls = rendered(f"{live}/docs", tmp_path)
    assert len(re.findall(r'class="opblock opblock-', dom)) == operations
    assert "/v1/series" in dom
    assert "/openapi.json" in {urlsplit(u).path for u in urls}
    assert {urlsplit(u).hostname for u in urls} == {"127.0.0.1"}


def test_there_is_no_page_that_loads_a_cdn_viewer(live):
    assert httpx.get(f"{live}/redoc").status_code == 404
