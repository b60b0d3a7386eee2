"""A TestClient over the sample snapshot, shared by the API tests."""

import time

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from api.settings import ApiSettings

WINDOW = 60  # seconds: the rate-limit tests set their limits per minute
MARGIN = 20  # seconds a rate-limit test may take, however busy the machine


@pytest.fixture(scope="module")
def client(sample_home):
    with TestClient(create_app(ApiSettings(home=sample_home))) as client:
        yield client


@pytest.fixture
def one_window(sample_home):
    """The sample home, given out at least MARGIN s before the current minute ends.

    `limits`' sliding-window counter carries the previous minute's requests over only in part
    and rounds the weighted count down, so a request just after a minute boundary is let
    through even when the minute before used the whole allowance. A test that counts requests
    up to a refusal must therefore make them all inside one minute (its windows start at
    multiples of 60 s of the epoch).
    """
    left = WINDOW - time.time() % WINDOW
    if left < MARGIN:
        time.sleep(left + 0.1)
    return sample_home
