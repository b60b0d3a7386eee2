"""`wppi`: run the pipelines, ingest partner and published-source files, serve the API.

Runs execute in this process but are recorded in the Dagster instance at DAGSTER_HOME
(default WPPI_HOME/dagster), so they show in the Dagster UI's run history. Each command is
one module here with `register(commands)` (its arguments) and its handler; COMMANDS lists
them in the order `wppi --help` shows them.
"""

from __future__ import annotations

import argparse

from pipelines.cli import backfill, extract, ingest, keys, run, serve, sources
from pipelines.settings import PipelineSettings

COMMANDS = (run, ingest, backfill, sources, serve, extract, keys)
# Commands that run a job: a stop signal ends them cleanly (pipelines/stopping.py).
RUNS_JOBS = ("run", "ingest", "backfill")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="wppi", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    for command in COMMANDS:
        command.register(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command in RUNS_JOBS:
        from pipelines.stopping import stop_on_signals

        stop_on_signals()
    return args.func(args, PipelineSettings())
