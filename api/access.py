"""Access tiers: who may read restricted series and unsuppressed values, and the audit of it.

A request without `Authorization: Bearer <key>` is public. A key scoped to `restricted`
reads restricted indicators and the unsuppressed `observations` of the snapshot; every such
read appends (key id, endpoint, time) to the audit table, never the query's values.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool

from api.deps import AccessDep
from api.problems import Problem
from warehouse.access import ApiKey, authenticate, record_access

CHALLENGE = {"WWW-Authenticate": 'Bearer realm="wppi"'}


@dataclass
class Caller:
    key: ApiKey | None
    request: Request
    access: Path  # where restricted reads are audited

    def require(self, tier: str, what: str, parameter: str | None = None) -> None:
        """Stop the request unless the caller may read `tier`; audit it when restricted.

        Called before any data is read, so the answer is the same whether data exists or not.
        """
        if tier == "public":
            return
        if self.key is None:
            detail = f"{what} needs an API key with the '{tier}' tier (Authorization: Bearer)."
            raise Problem(401, "API key required", detail, parameter, CHALLENGE)
        if not self.key.allows(tier):
            detail = f"{what} needs the '{tier}' tier; this key has {', '.join(self.key.tiers)}."
            raise Problem(403, "Tier not allowed", detail, parameter)
        record_access(self.access, self.key.key_id, self.request.url.path)

    @property
    def unsuppressed(self) -> bool:
        """Keys scoped to `restricted` see values below the suppression threshold."""
        return self.key is not None and self.key.allows("restricted")


async def get_caller(request: Request, access: AccessDep) -> Caller:
    """Async so a public request needs no worker thread; a key is looked up in one."""
    header = request.headers.get("authorization")
    if header is None:
        return Caller(None, request, access)
    scheme, _, token = header.partition(" ")
    key = (
        await run_in_threadpool(authenticate, access, token.strip())
        if scheme.lower() == "bearer"
        else None
    )
    if key is None:
        raise Problem(
            401,
            "Invalid API key",
            "The key is malformed, unknown or revoked.",
            "Authorization",
            headers=CHALLENGE,
        )
    return Caller(key, request, access)


CallerDep = Annotated[Caller, Depends(get_caller)]
