"""The OpenAPI document is what monitors' client generators read: one id per operation."""

from __future__ import annotations

from api.main import create_app
from api.settings import ApiSettings


def test_every_operation_has_its_own_id(sample_home):
    paths = create_app(ApiSettings(home=sample_home)).openapi()["paths"]
    ids = [operation["operationId"] for path in paths.values() for operation in path.values()]
    assert len(ids) == len(set(ids))
    # The extract download keeps both its methods (HEAD for size and ETag before a download).
    assert set(paths["/v1/extracts/{snapshot}/{file}"]) == {"get", "head"}
