"""The API baseline: a bare FastAPI endpoint serving a fixed payload from memory.

It answers every path with the bytes in the file named by BENCH_PAYLOAD, so it does the
least work any HTTP endpoint can: what `wppi serve` adds on top of it is our cost.
"""

from __future__ import annotations

import os
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import Response

PAYLOAD = Path(os.environ["BENCH_PAYLOAD"]).read_bytes()
app = FastAPI()


@app.get("/{path:path}")
async def payload(path: str) -> Response:
    return Response(PAYLOAD, media_type="application/json")
