"""What one request costs against the rate limit: expensive shapes count as several.

A client within its request count could still saturate the server with answers that each
take a full query and encode (issue 20: 16 clients asking for every place as Parquet, or
10,000-row pages, with a new `as_of` each time so no cache helps). Weights are rough
multiples of a plain cached request's cost; they only ever add to it.
"""

from __future__ import annotations

from urllib.parse import parse_qsl

from starlette.types import Scope

PARQUET = 4  # building and encoding a Parquet file
BIG_PAGE = 4  # limit above 1,000 rows
AS_OF = 2  # as_of / updated_after: historical views are rarely cached
BIG_PAGE_ROWS = 1000


def request_cost(scope: Scope) -> int:
    """1 for an ordinary request, more for the expensive kinds above."""
    params = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1")))
    cost = 1
    accept = next((v for k, v in scope.get("headers", ()) if k == b"accept"), b"")
    if params.get("format") == "parquet" or b"parquet" in accept:
        cost += PARQUET
    if params.get("limit", "").isdigit() and int(params["limit"]) > BIG_PAGE_ROWS:
        cost += BIG_PAGE
    if "as_of" in params or "updated_after" in params:
        cost += AS_OF
    return cost
