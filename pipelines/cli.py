"""`wppi`: run the pipelines, ingest partner files and serve the API from the command line.

Runs execute in this process but are recorded in the Dagster instance at DAGSTER_HOME
(default WPPI_HOME/dagster), so they show in the Dagster UI's run history.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from importlib import resources
from pathlib import Path

import orjson
from rich.console import Console
from rich.table import Table

from pipelines.settings import PipelineSettings
from warehouse.layout import Layout

SUMMARY_KEYS = ("file", "rows_in", "rows_loaded", "rows_quarantined", "error")
PROJECT_DAGSTER_YAML = Path(__file__).resolve().parents[1] / "dagster.yaml"
err = Console(stderr=True)


def _prepare(settings: PipelineSettings) -> Layout:
    """Create WPPI_HOME and DAGSTER_HOME (with the project's dagster.yaml) if needed."""
    layout = Layout(settings.home.resolve()).ensure()
    dagster_home = Path(os.environ.setdefault("DAGSTER_HOME", str(layout.home / "dagster")))
    dagster_home.mkdir(parents=True, exist_ok=True)
    target = dagster_home / "dagster.yaml"
    if PROJECT_DAGSTER_YAML.is_file() and not target.exists():
        shutil.copyfile(PROJECT_DAGSTER_YAML, target)
    return layout


def _execute(settings: PipelineSettings, job_name: str, run_config: dict | None = None):
    import dagster as dg

    from pipelines.definitions import build_definitions

    job = build_definitions(settings).resolve_job_def(job_name)
    with dg.DagsterInstance.get() as instance:
        # The run's full event log is in the Dagster UI; the terminal gets warnings only.
        quiet = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}
        result = job.execute_in_process(
            run_config={**quiet, **(run_config or {})}, instance=instance, raise_on_error=False
        )
    if not result.success:
        failure = next((e for e in result.all_events if e.is_step_failure), None)
        error = failure.step_failure_data.error if failure else None
        while error is not None and error.cause is not None:
            error = error.cause  # the user's exception, not Dagster's wrapper
        detail = error.message.strip() if error else "see the Dagster UI"
        raise SystemExit(f"wppi: run {result.run_id} failed: {detail}")
    outcomes = []
    for node in job.graph.node_names():
        if node.endswith("_observations"):
            outcomes.extend(result.output_for_node(node))
    return result.run_id, outcomes


def _land(folder: Path, source: Path) -> str:
    """Copy a file into the landing folder, never overwriting different content of the same name."""
    from pipelines.sources.partner import sha256_file

    target = folder / source.name
    if target.exists() and sha256_file(target) != sha256_file(source):
        target = folder / f"{source.stem}.{sha256_file(source)[:8]}{source.suffix}"
    if not target.exists():
        shutil.copyfile(source, target)
    return target.name


def cmd_ingest(args: argparse.Namespace) -> int:
    settings = PipelineSettings()
    layout = _prepare(settings)
    landing = layout.landing_for("partner")
    landing.mkdir(parents=True, exist_ok=True)
    summaries: dict[str, dict] = {}
    landed: dict[str, str] = {}
    for given in args.files:
        path = Path(given)
        if not path.is_file():
            summaries[given] = _summary(given, error=f"{given}: no such file")
        elif not os.access(path, os.R_OK):
            summaries[given] = _summary(given, error=f"{given}: not readable (permissions)")
        else:
            landed[_land(landing, path)] = given
    if landed:
        run_id, outcomes = _execute(
            settings,
            "partner_ingest",
            {"ops": {"raw_partner": {"config": {"files": sorted(landed)}}}},
        )
        by_name = {o["file_name"]: o for o in outcomes}
        for name, given in landed.items():
            outcome = by_name.get(name)
            summaries[given] = (
                _summary(given, **{k: outcome[k] for k in SUMMARY_KEYS[1:]})
                if outcome
                else _summary(given, note="content already ingested; nothing changed")
            )
    ordered = [summaries[f] for f in args.files]
    _report(ordered, args.json)
    return 1 if any(s["error"] for s in ordered) else 0


def _summary(file: str, rows_in=0, rows_loaded=0, rows_quarantined=0, error=None, note=None):
    summary = {"file": file, "rows_in": rows_in, "rows_loaded": rows_loaded,
               "rows_quarantined": rows_quarantined, "error": error}  # fmt: skip
    if note:
        summary["note"] = note
    return summary


def _report(rows: list[dict], as_json: bool, title: str = "file") -> None:
    if as_json:
        for row in rows:
            sys.stdout.write(orjson.dumps(row).decode() + "\n")
        return
    table = Table(title_justify="left")
    for key in (title, "rows_in", "rows_loaded", "rows_quarantined", "error"):
        table.add_column(key, justify="right" if key.startswith("rows") else "left")
    for row in rows:
        table.add_row(
            str(row[title]),
            *(str(row[k]) for k in ("rows_in", "rows_loaded", "rows_quarantined")),
            row.get("error") or row.get("note") or "",
        )
    Console().print(table)


def _land_folder(layout: Layout, folder: Path) -> tuple[dict, list[dict]]:
    """Land every data file under `folder` in its adapter's landing folder.

    Returns {(adapter, landed name): given path} and per-file lines for files no adapter
    takes. Documentation files (PROVENANCE.md, ...) are not data and are passed over.
    """
    from pipelines.defs.landing_sources import ADAPTERS
    from pipelines.sources.detect import DOCUMENTATION, detect_adapter

    landed: dict[tuple[str, str], str] = {}
    refused = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        if path.suffix.lower() in DOCUMENTATION or path.name.startswith("."):
            continue
        adapter = detect_adapter(path, set(ADAPTERS))
        if adapter is None:
            known = ", ".join(ADAPTERS)
            refused.append(
                _summary(str(path), error=f"{path}: no adapter recognises this file ({known})")
            )
            continue
        landing = layout.landing_for(adapter)
        landing.mkdir(parents=True, exist_ok=True)
        landed[(adapter, _land(landing, path))] = str(path)
    return landed, refused


def _file_lines(landed: dict, outcomes: list[dict]) -> list[dict]:
    by_file = {(o["adapter"], o["file_name"]): o for o in outcomes}
    lines = []
    for (adapter, name), given in landed.items():
        outcome = by_file.get((adapter, name))
        line = (
            _summary(given, **{k: outcome[k] for k in SUMMARY_KEYS[1:]})
            if outcome
            else _summary(given, note="content already ingested; nothing changed")
        )
        lines.append({**line, "adapter": adapter})
    return lines


def cmd_run(args: argparse.Namespace) -> int:
    settings = PipelineSettings()
    layout = _prepare(settings)
    landed: dict = {}
    file_lines: list[dict] = []
    if args.input:
        folder = Path(args.input)
        if not folder.is_dir():
            raise SystemExit(f"wppi: --input {folder}: not a folder")
        landed, file_lines = _land_folder(layout, folder)
    if args.sample:
        landing = layout.landing_for("partner")
        landing.mkdir(parents=True, exist_ok=True)
        sample = resources.files("pipelines").joinpath("sample_data", "partner_sample.csv")
        with resources.as_file(sample) as path:
            _land(landing, path)
    run_id, outcomes = _execute(settings, "all_sources")
    per_source: dict[str, dict] = {}
    for outcome in outcomes:
        row = per_source.setdefault(
            outcome["adapter"],
            {"source": outcome["adapter"], "rows_in": 0, "rows_loaded": 0, "rows_quarantined": 0,
             "error": None},
        )  # fmt: skip
        for key in ("rows_in", "rows_loaded", "rows_quarantined"):
            row[key] += outcome[key]
        if outcome["error"]:
            row["error"] = "; ".join(filter(None, (row["error"], outcome["error"])))
    from warehouse.snapshots import current_snapshot

    snapshot = current_snapshot(layout.snapshots)
    file_lines = _file_lines(landed, outcomes) + file_lines
    if file_lines:
        _report(file_lines, args.json)
    _report(list(per_source.values()), args.json, title="source")
    if not args.json:
        err.print(f"run {run_id} done; current snapshot: {snapshot.id if snapshot else 'none'}")
    return 1 if any(line["error"] for line in file_lines) else 0


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    settings = PipelineSettings()
    os.environ["WPPI_HOME"] = str(_prepare(settings).home)
    base = f"http://{args.host}:{args.port}"
    err.print(f"WPPI API:  {base}/v1/indicators")
    err.print(f"API docs:  {base}/docs")
    err.print(
        "Dagster UI: in another shell run "
        f"`DAGSTER_HOME={os.environ['DAGSTER_HOME']} WPPI_HOME={settings.home} "
        ".venv/bin/dagster dev` (or `make dagster`) and open http://127.0.0.1:3000"
    )
    uvicorn.run("api.main:create_app", factory=True, host=args.host, port=args.port)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="wppi", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)

    run = commands.add_parser("run", help="materialise every asset once, publish, summarise")
    run.add_argument("--sample", action="store_true", help="land the bundled sample file first")
    run.add_argument(
        "--input",
        metavar="FOLDER",
        help="land every data file under FOLDER (e.g. ../shared/data/real) in its source's "
        "landing folder first, recognised by sub-folder name or content",
    )
    run.add_argument(
        "--json",
        action="store_true",
        help="one JSON summary line per source (and, with --input, per file first)",
    )
    run.set_defaults(func=cmd_run)

    ingest = commands.add_parser("ingest", help="ingest partner CSV files now")
    ingest.add_argument("files", nargs="+", metavar="FILE")
    ingest.add_argument("--json", action="store_true", help="one JSON summary line per file")
    ingest.set_defaults(func=cmd_ingest)

    serve = commands.add_parser("serve", help="serve the read-only API")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.set_defaults(func=cmd_serve)

    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
