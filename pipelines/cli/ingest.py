"""`wppi ingest FILE...`: land partner CSVs or any known source's files, recognised by
content (or --source), and ingest them now in one run."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from pipelines.cli.homes import prepare
from pipelines.cli.landing import file_lines, land_file, summary
from pipelines.cli.report import report
from pipelines.cli.runs import RunFailed, execute
from pipelines.cli.sources import add_file_arguments
from pipelines.settings import PipelineSettings


def register(commands: argparse._SubParsersAction) -> None:
    ingest = commands.add_parser(
        "ingest",
        help="ingest files now: partner CSVs or any known source's file, recognised by content",
    )
    add_file_arguments(
        ingest,
        "take every FILE as this source's format instead of recognising it",
        "one JSON summary line per file",
    )
    ingest.set_defaults(func=cmd_ingest)


def cmd_ingest(args: argparse.Namespace, settings: PipelineSettings) -> int:
    """Land each file in its source's landing folder (recognised by content, or --source),
    then ingest them all in one run of their sources' steps."""
    from pipelines.defs.landing import files_config
    from pipelines.sources.detect import recognise, unrecognised_message

    layout = prepare(settings)
    summaries: dict[str, dict] = {}
    landed: dict[tuple[str, str], str] = {}
    for given in args.files:
        path = Path(given)
        if not path.is_file():
            summaries[given] = summary(given, error=f"{given}: no such file")
        elif not os.access(path, os.R_OK):
            summaries[given] = summary(given, error=f"{given}: not readable (permissions)")
        elif (source := args.source or recognise(path)) is None:
            summaries[given] = summary(given, error=unrecognised_message(path))
        else:
            landing = layout.landing_for(source)
            landing.mkdir(parents=True, exist_ok=True)
            landed[(source, land_file(landing, path))] = given
    sources = sorted({source for source, _ in landed})
    outcomes = []
    try:
        if sources:
            # Each raw asset takes exactly the files landed for it now.
            config = {"ops": {}}
            for source in sources:
                names = sorted(name for s, name in landed if s == source)
                config["ops"].update(files_config(source, names)["ops"])
            _, outcomes = execute(settings, "all_sources", config, groups=[*sources, "publish"])
    except RunFailed as failed:  # every landed file gets the run's error, in --json too
        for given in landed.values():
            summaries[given] = summary(given, error=f"wppi: {failed}")
        landed = {}
    for line in file_lines(landed, outcomes):
        summaries[line["file"]] = line
    ordered = [summaries[f] for f in args.files]
    report(ordered, args.json)
    return 1 if any(s["error"] for s in ordered) else 0
