"""`wppi sources list|check`: the declared sources, and how files would be recognised and
mapped without loading them."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import orjson
from rich.console import Console
from rich.table import Table

from pipelines.settings import PipelineSettings


def source_names() -> list[str]:
    from pipelines.sources.registry import BY_ID

    return sorted(BY_ID)


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
    check.add_argument("files", nargs="+", metavar="FILE")
    check.add_argument(
        "--source",
        metavar="NAME",
        choices=source_names(),
        help="read every FILE as this source's format",
    )
    check.add_argument("--json", action="store_true", help="one JSON report per file")
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
            for row in rows:
                sys.stdout.write(orjson.dumps(row).decode() + "\n")
            return 0
        table = Table(title_justify="left")
        for column in ("source", "folders", "catalog_source", "live", "format"):
            table.add_column(column)
        for row in rows:
            table.add_row(
                row["source"],
                ", ".join(row["folders"]),
                row["catalog_source"] or "",
                "yes" if row["live"] else "",
                row["format"],
            )
        Console().print(table)
        return 0
    from pipelines.sources.check import check_file

    limits = settings.read_limits
    reports = [check_file(Path(given), limits, args.source) for given in args.files]
    for report in reports:
        if args.json:
            sys.stdout.write(orjson.dumps(report).decode() + "\n")
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
