"""Every status the server can send is documented per operation, and a 405 says which
methods the path answers (Allow), as RFC 9110 asks."""

import pytest


def test_every_operation_documents_the_statuses_any_request_can_get(client):
    paths = client.app.openapi()["paths"]
    for path, operations in paths.items():
        for method, operation in operations.items():
            documented = set(operation["responses"])
            assert {"405", "414", "429"} <= documented, (method, path)
            if operation.get("parameters"):
                assert "422" in documented, (method, path)
            assert operation["responses"]["405"]["headers"]["Allow"]
            assert operation["responses"]["429"]["headers"]["Retry-After"]
    for data in ("/v1/series", "/v1/observations"):  # they read the Authorization header
        assert {"401", "403", "404"} <= set(paths[data]["get"]["responses"])


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("TRACE", "/v1/series", "GET"),
        ("POST", "/healthz", "GET"),
        ("OPTIONS", "/v1/extracts/latest/observations.parquet", "GET, HEAD"),
        ("DELETE", "/v1/snapshots.atom", "GET"),
    ],
)
def test_a_method_not_allowed_names_the_allowed_ones(client, method, path, allow):
    response = client.request(method, path)
    assert response.status_code == 405
    assert response.headers["allow"] == allow
    assert response.headers["content-type"] == "application/problem+json"
