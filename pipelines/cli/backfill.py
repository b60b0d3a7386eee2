"""`wppi backfill`: run one source again for chosen landed files or a landing-date range.

The same run a sensor or the Dagster UI's launchpad starts (`<source>_ingest` with the
`raw_<source>` config of pipelines/defs/landing.py), so the UI and the CLI backfill alike.
Files whose content loaded before are skipped and everything else is ingested again, so a
backfill repeated gives the same warehouse and snapshot as its first run.
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from pipelines.cli.homes import prepare
from pipelines.cli.landing import summary
from pipelines.cli.report import report
from pipelines.cli.runs import RunFailed, execute
from pipelines.cli.sources import source_names
from pipelines.settings import PipelineSettings


def register(commands: argparse._SubParsersAction) -> None:
    backfill = commands.add_parser(
        "backfill",
        help="ingest a source's landed files again, chosen by name or landing date",
    )
    backfill.add_argument("source", choices=source_names(), help="the source to run again")
    backfill.add_argument(
        "--file",
        action="append",
        default=[],
        metavar="NAME",
        help="a file in landing/<source>/ (name or sha256: label); repeat for several",
    )
    backfill.add_argument(
        "--from",
        dest="landed_from",
        type=_day,
        metavar="YYYY-MM-DD",
        help="only files that landed on or after this UTC date",
    )
    backfill.add_argument(
        "--until",
        dest="landed_until",
        type=_day,
        metavar="YYYY-MM-DD",
        help="only files that landed on or before this UTC date",
    )
    backfill.add_argument("--json", action="store_true", help="one JSON summary line per file")
    backfill.set_defaults(func=cmd_backfill)


def _day(text: str) -> str:
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date (YYYY-MM-DD)") from None


def run_config(
    source: str, files: list[str], landed_from: str | None, landed_until: str | None
) -> dict:
    """The `<source>_ingest` run config that takes exactly these files or dates."""
    from pipelines.defs.landing import files_config

    config = files_config(source, files)
    raw = config["ops"][f"raw_{source}"]["config"]
    raw.update(
        {
            k: v
            for k, v in (("landed_from", landed_from), ("landed_until", landed_until))
            if v is not None
        }
    )
    return config


def cmd_backfill(args: argparse.Namespace, settings: PipelineSettings) -> int:
    from warehouse.personal_data import file_label

    if not (args.file or args.landed_from or args.landed_until):
        raise SystemExit("wppi backfill: name files (--file) or dates (--from/--until)")
    layout = prepare(settings)
    folder = layout.landing_for(args.source)
    names = [Path(name).name for name in args.file]
    missing = [n for n in names if not n.startswith("sha256:") and not (folder / n).is_file()]
    if missing:
        raise SystemExit(f"wppi backfill: not in {folder}: {', '.join(missing)}")
    config = run_config(args.source, names, args.landed_from, args.landed_until)
    try:
        _, outcomes = execute(settings, f"{args.source}_ingest", config)
    except RunFailed as failed:
        report([summary(args.source, error=f"wppi: {failed}")], args.json)
        return 1
    # Runs know files by label; the operator's own terminal may name them.
    landed = {file_label(p.name): p.name for p in folder.iterdir()} if folder.is_dir() else {}
    shown = {file_label(n): n for n in names}
    lines = []
    for o in outcomes:
        name = landed.get(o["file_name"], o["file_name"])
        error = o["error"].replace(o["file_name"], name) if o["error"] else None
        lines.append(summary(name, o["rows_in"], o["rows_loaded"], o["rows_quarantined"], error))
    taken = {o["file_name"] for o in outcomes}
    lines += [
        summary(name, note="content already loaded; nothing changed")
        for label, name in shown.items()
        if label not in taken
    ]
    if not lines:
        lines = [
            summary(
                args.source,
                note="nothing to ingest again: no file matches, or its content loaded before",
            )
        ]
    report(lines, args.json)
    return 1 if any(line["error"] for line in lines) else 0
