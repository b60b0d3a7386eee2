"""`wppi extract`: write (or copy) a snapshot's Parquet extract, or verify one's checksums."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pipelines.cli.homes import prepare
from pipelines.cli.report import err
from pipelines.settings import PipelineSettings


def register(commands: argparse._SubParsersAction) -> None:
    extract = commands.add_parser(
        "extract", help="write (or copy) a snapshot's Parquet extract; verify one's checksums"
    )
    extract.add_argument("--snapshot", metavar="ID", help="snapshot id (default: the current)")
    extract.add_argument("--out", metavar="DIR", help="also copy the extract into DIR/<id>/")
    extract.add_argument(
        "--verify", metavar="DIR", help="check DIR's files against its datapackage.json"
    )
    extract.set_defaults(func=cmd_extract)


def cmd_extract(args: argparse.Namespace, settings: PipelineSettings) -> int:
    from rich.progress import Progress

    from warehouse.extract_store import copy_extract, prune_extracts, verify_extract
    from warehouse.extracts import ensure_extract
    from warehouse.snapshots import SNAPSHOT_ID, Snapshot, current_snapshot

    if args.verify:
        problems = verify_extract(Path(args.verify))
        for problem in problems:
            err.print(f"wppi extract: {problem}", markup=False, soft_wrap=True)
        if not problems:
            err.print(f"{args.verify}: every file matches datapackage.json", markup=False)
        return 1 if problems else 0
    layout = prepare(settings)
    current = current_snapshot(layout.snapshots)
    if args.snapshot and not SNAPSHOT_ID.match(args.snapshot):
        raise SystemExit(f"wppi extract: '{args.snapshot}' is not a snapshot id")
    snapshot_id = args.snapshot or (current.id if current else None)
    if snapshot_id is None:
        raise SystemExit("wppi extract: nothing published yet (run `wppi run` first)")
    snapshot = Snapshot(snapshot_id, layout.snapshots / f"{snapshot_id}.duckdb")
    stored = layout.extracts / snapshot_id
    if not stored.is_dir() and not snapshot.path.is_file():
        raise SystemExit(f"wppi extract: snapshot {snapshot_id} is not on disk (pruned?)")
    with Progress(console=err, transient=True) as bar:
        task = bar.add_task("extract", total=None)

        def progress(name: str, done: int, total: int) -> None:
            bar.update(task, description=name, completed=done, total=total)

        folder = ensure_extract(snapshot, layout.extracts, progress).folder
        if args.out:
            folder = copy_extract(folder, Path(args.out), progress)
    prune_extracts(layout.extracts, settings.extract_retention, current.id if current else None)
    sys.stdout.write(f"{folder}\n")
    return 0
