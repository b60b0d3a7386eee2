"""`wppi sources list|check`: the declared sources, and how files would be recognised and
mapped without loading them."""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.console import Console

from pipelines.cli.report import json_lines, print_table
from pipelines.settings import PipelineSettings


def source_names() -> list[str]:
    from pipelines.sources.registry import BY_ID

    return sorted(BY_ID)


def add_file_arguments(parser: argparse.ArgumentParser, source_help: str, json_help: str) -> None:
    """FILE..., --source NAME and --json, as `ingest` and `sources check` take them."""
    parser.add_argument("files", nargs="+", metavar="FILE")
    parser.add_argument("--source", metavar="NAME", choices=source_names(), help=source_help)
    parser.add_argument("--json", action="store_true", help=json_help)


def register(commands: argparse._SubParsersAction) -> None:
    sources = commands.add_parser(
        "sources", help="list the declared sources; check how files would be read and mapped"
    )
    source_actions = sources.add_subparsers(dest="action", required=True)
    listed = source_actions.add_parser("list", help="every declared source and its folders")
    listed.add_argument("--json", action="store_true", help="one JSON line per source")
    check = source_actions.add_parser(
        "check", help="how each FILE would be recognised and mapped, without loading it"
    )
    add_file_arguments(check, "read every FILE as this source's format", "one JSON report per file")
    sources.set_defaults(func=cmd_sources)


def cmd_sources(args: argparse.Namespace, settings: PipelineSettings) -> int:
    """List the declared sources, or show how files would be recognised and mapped."""
    from pipelines.sources.registry import SOURCES

    if args.action == "list":
        rows = [
            {
                "source": s.id,
                "folders": [s.id, *s.folders],
                "catalog_source": s.source_id,
                "live": s.live is not None,
                "format": s.description,
            }
            for s in SOURCES
        ]
        if args.json:
            json_lines(rows)
            return 0
        print_table(
            ("source", "folders", "catalog_source", "live", "format"),
            [
                (
                    r["source"],
                    ", ".join(r["folders"]),
                    r["catalog_source"] or "",
                    "yes" if r["live"] else "",
                    r["format"],
                )
                for r in rows
            ],
        )
        return 0
    from pipelines.sources.check import check_file

    limits = settings.read_limits
    reports = [check_file(Path(given), limits, args.source) for given in args.files]
    for report in reports:
        if args.json:
            json_lines([report])
            continue
        out = Console(soft_wrap=True)
        out.print(
            f"{report['file']}: {report['source'] or 'no source'} ({report['recognised_by']})",
            markup=False,
        )
        if report["error"]:
            out.print(f"  error: {report['error']}", markup=False)
            continue
        out.print(
            f"  {report['rows_in']} row(s) read; {report['rows_quarantined']} would be "
            f"quarantined before validation; {report['rows_mapped']} map onto catalog "
            "indicators:",
            markup=False,
        )
        for item in report["indicators"]:
            out.print(
                f"    {item['indicator_code']} sex={item['sex']}: {item['rows']}", markup=False
            )
        for item in report["unmapped"]:
            out.print(
                f"  no mapping: {item['field']} '{item['code']}' ({item['rows']} row(s))",
                markup=False,
            )
    return 1 if any(report["error"] for report in reports) else 0
