"""`wppi run`: land the shipped real data (and any --input folder), run every source once,
publish, and summarise per file and per source."""

from __future__ import annotations

import argparse
from importlib import resources
from pathlib import Path

from pipelines.cli.homes import prepare
from pipelines.cli.landing import file_lines, land_file, land_folder
from pipelines.cli.report import err, report
from pipelines.cli.runs import RunFailed, execute
from pipelines.settings import PipelineSettings

# The openly licensed real files shipped with WPPI, one folder per source (each with its
# PROVENANCE.md); `wppi run` lands them all, so a fresh clone serves real, cited data.
REAL_DATA = "real_data"


def register(commands: argparse._SubParsersAction) -> None:
    run = commands.add_parser("run", help="materialise every asset once, publish, summarise")
    run.add_argument(
        "--sample",
        action="store_true",
        help="also land the invented demonstration file (served marked as demo data)",
    )
    run.add_argument(
        "--input",
        metavar="FOLDER",
        help="also land every data file under FOLDER (e.g. files a publisher sent) in its "
        "source's landing folder first, recognised by sub-folder name or content",
    )
    run.add_argument(
        "--json",
        action="store_true",
        help="one JSON summary line per file landed, then one per source",
    )
    run.set_defaults(func=cmd_run)


def _source_line(source: str | None, error: str | None = None) -> dict:
    """A source's report line, its counts summed over its files as outcomes come in."""
    return {"source": source, "rows_in": 0, "rows_loaded": 0, "rows_quarantined": 0, "error": error}


def cmd_run(args: argparse.Namespace, settings: PipelineSettings) -> int:
    layout = prepare(settings)
    folders = []
    if args.input:
        folder = Path(args.input)
        if not folder.is_dir():
            raise SystemExit(f"wppi: --input {folder}: not a folder")
        folders.append(folder)
    landed: dict = {}
    lines: list[dict] = []
    with resources.as_file(resources.files("pipelines").joinpath(REAL_DATA)) as bundle:
        for folder in (bundle, *folders):
            more_landed, more_lines = land_folder(layout, folder)
            landed.update(more_landed)
            lines += more_lines
    if args.sample:
        landing = layout.landing_for("partner")
        landing.mkdir(parents=True, exist_ok=True)
        sample = resources.files("pipelines").joinpath("sample_data", "partner_sample.csv")
        with resources.as_file(sample) as path:
            land_file(landing, path)
    try:
        run_id, outcomes = execute(settings, "all_sources")
    except RunFailed as failed:
        if lines:
            report(lines, args.json)
        report([_source_line(None, f"wppi: {failed}")], args.json, title="source")
        return 1
    per_source: dict[str, dict] = {}
    for outcome in outcomes:
        row = per_source.setdefault(outcome["adapter"], _source_line(outcome["adapter"]))
        for key in ("rows_in", "rows_loaded", "rows_quarantined"):
            row[key] += outcome[key]
        if outcome["error"]:
            row["error"] = "; ".join(filter(None, (row["error"], outcome["error"])))
    from warehouse.snapshots import current_snapshot

    snapshot = current_snapshot(layout.snapshots)
    lines = file_lines(landed, outcomes) + lines
    if lines:
        report(lines, args.json)
    report(list(per_source.values()), args.json, title="source")
    if not args.json:
        err.print(f"run {run_id} done; current snapshot: {snapshot.id if snapshot else 'none'}")
    refused = any(line["error"] for line in [*lines, *per_source.values()])
    return 1 if refused else 0
