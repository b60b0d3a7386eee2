"""A TestClient over the sample snapshot, shared by the API tests."""

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from api.settings import ApiSettings


@pytest.fixture(scope="module")
def client(sample_home):
    with TestClient(create_app(ApiSettings(home=sample_home))) as client:
        yield client
