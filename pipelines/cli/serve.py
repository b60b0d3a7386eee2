"""`wppi serve`: the read-only API on uvicorn."""

from __future__ import annotations

import argparse

from pipelines.cli.homes import dagster_home, prepare
from pipelines.cli.report import err
from pipelines.settings import PipelineSettings


def register(commands: argparse._SubParsersAction) -> None:
    serve = commands.add_parser("serve", help="serve the read-only API")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    # Longer than clients keep idle connections (httpx 5 s, nginx upstreams 60 s): the client
    # drops first, so none sends a request on a connection the server is closing that moment
    # (the request would be reset, not answered). nginx's own default is 75 s for this reason.
    serve.add_argument(
        "--keep-alive",
        type=int,
        default=75,
        metavar="SECONDS",
        help="how long an idle keep-alive connection stays open (default 75)",
    )
    serve.set_defaults(func=cmd_serve)


def cmd_serve(args: argparse.Namespace, settings: PipelineSettings) -> int:
    import uvicorn

    # The API reads its own settings (api/settings.py) from the same WPPI_ variables; this
    # layer cannot hand it an object (tests/test_layers.py: pipelines never import api).
    layout = prepare(settings)
    base = f"http://{args.host}:{args.port}"
    err.print(f"WPPI API:  {base}/v1/indicators")
    err.print(f"API docs:  {base}/docs")
    err.print(
        "Dagster UI: in another shell run "
        f"`DAGSTER_HOME={dagster_home(layout)} WPPI_HOME={layout.home} "
        ".venv/bin/dagster dev` (or `make dagster`) and open http://127.0.0.1:3000"
    )
    uvicorn.run(
        "api.main:create_app",
        factory=True,
        host=args.host,
        port=args.port,
        timeout_keep_alive=args.keep_alive,
        # uvicorn would trust X-Forwarded-For from 127.0.0.1 by default, letting any local
        # client (or one behind a local proxy) pick its own address; the app trusts only
        # WPPI_TRUSTED_PROXIES (docs/protection.md).
        proxy_headers=False,
    )
    return 0
