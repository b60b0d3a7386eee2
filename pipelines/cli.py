"""`wppi`: run the pipelines, ingest partner and published-source files, serve the API.

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
from warehouse.personal_data import file_label

SUMMARY_KEYS = ("file", "rows_in", "rows_loaded", "rows_quarantined", "error")
UNMAPPED_SHOWN = 10  # per file in the terminal; --json lists every unmapped code
PROJECT_DAGSTER_YAML = Path(__file__).resolve().parents[1] / "dagster.yaml"
# The openly licensed real files shipped with WPPI, one folder per source (each with its
# PROVENANCE.md); `wppi run` lands them all, so a fresh clone serves real, cited data.
REAL_DATA = "real_data"
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


def _execute(
    settings: PipelineSettings,
    job_name: str,
    run_config: dict | None = None,
    groups: list[str] | None = None,
):
    """Run a job (only the assets of `groups` when given); return its id and file outcomes."""
    import dagster as dg

    from pipelines.definitions import build_definitions

    job = build_definitions(settings).resolve_job_def(job_name)
    nodes = job.graph.node_names()
    selection = None
    if groups:
        selection = sorted(dg.AssetSelection.groups(*groups).resolve(job.asset_layer.asset_graph))
        nodes = [key.to_user_string() for key in selection]
    with dg.DagsterInstance.get() as instance:
        # The run's full event log is in the Dagster UI; the terminal gets warnings only.
        quiet = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}
        result = job.execute_in_process(
            run_config={**quiet, **(run_config or {})},
            instance=instance,
            raise_on_error=False,
            asset_selection=selection,
        )
    if not result.success:
        raise _failed(settings, job_name, result)
    outcomes = []
    for node in nodes:
        if node.endswith("_observations"):
            outcomes.extend(result.output_for_node(node))
    return result.run_id, outcomes


class RunFailed(Exception):
    """A run that failed; its message names the run and the first failing step's error."""


def _failed(settings: PipelineSettings, job_name: str, result) -> RunFailed:
    """Remove the run's step outputs, record it in run_failures.jsonl (and the webhook) as
    the daemon's sensor does for its runs, and say what failed."""
    from datetime import UTC, datetime

    from pipelines.defs.operations import FailureNotifier, root_cause
    from pipelines.step_storage import remove_run

    remove_run(Layout(settings.home).step_outputs, result.run_id)

    steps = [
        {"step": event.step_key, "error": root_cause(event.step_failure_data.error)}
        for event in result.all_events
        if event.is_step_failure and event.step_failure_data.error
    ]
    detail = steps[0]["error"] if steps else "see the Dagster UI"
    message = f"run {result.run_id} failed: {detail}"
    failure = {"run_id": result.run_id, "job": job_name, "failed_at": datetime.now(UTC).isoformat(),
               "message": message, "steps": steps, "tags": {"wppi/via": "cli"}}  # fmt: skip
    notifier = FailureNotifier(home=str(settings.home), webhook_url=settings.failure_webhook)
    notifier.record(failure)
    if notifier.webhook_url:
        try:
            notifier.post(failure)
        except OSError as exc:  # the record on disk stands; the webhook is best effort
            err.print(f"wppi: failure webhook failed: {exc}", markup=False)
    return RunFailed(message)


def _land(folder: Path, source: Path) -> str:
    """Copy a file into the landing folder, never overwriting different content of the same name."""
    from warehouse.snapshots import sha256_file

    target = folder / source.name
    if target.exists() and sha256_file(target) != sha256_file(source):
        target = folder / f"{source.stem}.{sha256_file(source)[:8]}{source.suffix}"
    if not target.exists():
        shutil.copyfile(source, target)
    return target.name


def cmd_ingest(args: argparse.Namespace) -> int:
    """Land each file in its source's landing folder (recognised by content, or --source),
    then ingest them all in one run of their sources' steps."""
    from pipelines.defs.landing import files_config
    from pipelines.sources.detect import recognise, unrecognised_message

    settings = PipelineSettings()
    layout = _prepare(settings)
    summaries: dict[str, dict] = {}
    landed: dict[tuple[str, str], str] = {}
    for given in args.files:
        path = Path(given)
        if not path.is_file():
            summaries[given] = _summary(given, error=f"{given}: no such file")
        elif not os.access(path, os.R_OK):
            summaries[given] = _summary(given, error=f"{given}: not readable (permissions)")
        elif (source := args.source or recognise(path)) is None:
            summaries[given] = _summary(given, error=unrecognised_message(path))
        else:
            landing = layout.landing_for(source)
            landing.mkdir(parents=True, exist_ok=True)
            landed[(source, _land(landing, path))] = given
    sources = sorted({source for source, _ in landed})
    outcomes = []
    try:
        if sources:
            # Each raw asset takes exactly the files landed for it now.
            config = {"ops": {}}
            for source in sources:
                names = sorted(name for s, name in landed if s == source)
                config["ops"].update(files_config(source, names)["ops"])
            _, outcomes = _execute(settings, "all_sources", config, groups=[*sources, "publish"])
    except RunFailed as failed:  # every landed file gets the run's error, in --json too
        for given in landed.values():
            summaries[given] = _summary(given, error=f"wppi: {failed}")
        landed = {}
    for line in _file_lines(landed, outcomes):
        summaries[line["file"]] = line
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
    for row in rows:
        unmapped = sorted(row.get("unmapped", []), key=lambda item: -item["rows"])
        for item in unmapped[:UNMAPPED_SHOWN]:  # the codes that cost the most rows first
            err.print(
                f"{row[title]}: {item['field']} '{item['code']}' has no mapping "
                f"({item['rows']} row(s) quarantined)",
                markup=False,
                soft_wrap=True,
            )
        if len(unmapped) > UNMAPPED_SHOWN:
            more = len(unmapped) - UNMAPPED_SHOWN
            err.print(f"{row[title]}: {more} more unmapped code(s); --json lists them all",
                      markup=False, soft_wrap=True)  # fmt: skip


def _land_folder(layout: Layout, folder: Path) -> tuple[dict, list[dict]]:
    """Land every data file under `folder` in its source's landing folder.

    Returns {(source, landed name): given path} and per-file lines for files no source
    takes. Documentation files (PROVENANCE.md, ...) are not data and are passed over.
    """
    from pipelines.sources.detect import DOCUMENTATION, detect_source
    from pipelines.sources.registry import BY_ID

    landed: dict[tuple[str, str], str] = {}
    refused = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        if path.suffix.lower() in DOCUMENTATION or path.name.startswith("."):
            continue
        adapter = detect_source(path)
        if adapter is None:
            known = ", ".join(BY_ID)
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
        outcome = by_file.get((adapter, file_label(name)))  # runs know files by label
        if outcome and outcome["error"]:  # the operator's own terminal may name the file
            outcome = {**outcome, "error": outcome["error"].replace(file_label(name), name)}
        line = (
            _summary(given, **{k: outcome[k] for k in SUMMARY_KEYS[1:]})
            if outcome
            else _summary(given, note="content already ingested; nothing changed")
        )
        if outcome and outcome.get("unmapped"):
            line["unmapped"] = outcome["unmapped"]
        lines.append({**line, "adapter": adapter})
    return lines


def cmd_run(args: argparse.Namespace) -> int:
    settings = PipelineSettings()
    layout = _prepare(settings)
    folders = []
    if args.input:
        folder = Path(args.input)
        if not folder.is_dir():
            raise SystemExit(f"wppi: --input {folder}: not a folder")
        folders.append(folder)
    landed: dict = {}
    file_lines: list[dict] = []
    with resources.as_file(resources.files("pipelines").joinpath(REAL_DATA)) as bundle:
        for folder in (bundle, *folders):
            more_landed, more_lines = _land_folder(layout, folder)
            landed.update(more_landed)
            file_lines += more_lines
    if args.sample:
        landing = layout.landing_for("partner")
        landing.mkdir(parents=True, exist_ok=True)
        sample = resources.files("pipelines").joinpath("sample_data", "partner_sample.csv")
        with resources.as_file(sample) as path:
            _land(landing, path)
    try:
        run_id, outcomes = _execute(settings, "all_sources")
    except RunFailed as failed:
        failure = {"source": None, "rows_in": 0, "rows_loaded": 0, "rows_quarantined": 0,
                   "error": f"wppi: {failed}"}  # fmt: skip
        if file_lines:
            _report(file_lines, args.json)
        _report([failure], args.json, title="source")
        return 1
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
    refused = any(line["error"] for line in [*file_lines, *per_source.values()])
    return 1 if refused else 0


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


def cmd_extract(args: argparse.Namespace) -> int:
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
    settings = PipelineSettings()
    layout = _prepare(settings)
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


def cmd_keys(args: argparse.Namespace) -> int:
    """Create, revoke or list API keys (warehouse/access.py; the API reads the same file)."""
    from warehouse import access

    path = _prepare(PipelineSettings()).access
    if args.action == "create":
        try:
            key, token = access.create_key(path, args.name, args.tier)
        except ValueError as exc:
            raise SystemExit(f"wppi keys create: {exc}") from None
        err.print(f"key {key.key_id} ({', '.join(key.tiers)}) created; the token is shown once:")
        sys.stdout.write(token + "\n")
        return 0
    if args.action == "revoke":
        if not access.revoke_key(path, args.key_id):
            raise SystemExit(f"wppi keys revoke: no active key has the id '{args.key_id}'")
        err.print(f"key {args.key_id} revoked")
        return 0
    keys = access.list_keys(path)
    if args.json:
        for key in keys:
            sys.stdout.write(orjson.dumps(key.__dict__).decode() + "\n")
        return 0
    table = Table(title_justify="left")
    for column in ("key_id", "name", "tiers", "created_at", "revoked_at"):
        table.add_column(column)
    for key in keys:
        table.add_row(key.key_id, key.name, ",".join(key.tiers), key.created_at,
                      key.revoked_at or "")  # fmt: skip
    Console().print(table)
    return 0


def cmd_sources(args: argparse.Namespace) -> int:
    """List the declared sources, or show how files would be recognised and mapped."""
    from pipelines.sources.registry import SOURCES

    if args.action == "list":
        rows = [{"source": s.id, "folders": [s.id, *s.folders], "catalog_source": s.source_id,
                 "live": s.live is not None, "format": s.description} for s in SOURCES]  # fmt: skip
        if args.json:
            for row in rows:
                sys.stdout.write(orjson.dumps(row).decode() + "\n")
            return 0
        table = Table(title_justify="left")
        for column in ("source", "folders", "catalog_source", "live", "format"):
            table.add_column(column)
        for row in rows:
            table.add_row(row["source"], ", ".join(row["folders"]), row["catalog_source"] or "",
                          "yes" if row["live"] else "", row["format"])  # fmt: skip
        Console().print(table)
        return 0
    from pipelines.sources.check import check_file

    limits = PipelineSettings().read_limits
    reports = [check_file(Path(given), limits, args.source) for given in args.files]
    for report in reports:
        if args.json:
            sys.stdout.write(orjson.dumps(report).decode() + "\n")
            continue
        out = Console(soft_wrap=True)
        out.print(f"{report['file']}: {report['source'] or 'no source'} "
                  f"({report['recognised_by']})", markup=False)  # fmt: skip
        if report["error"]:
            out.print(f"  error: {report['error']}", markup=False)
            continue
        out.print(f"  {report['rows_in']} row(s) read; {report['rows_quarantined']} would be "
                  f"quarantined before validation; {report['rows_mapped']} map onto catalog "
                  "indicators:", markup=False)  # fmt: skip
        for item in report["indicators"]:
            out.print(
                f"    {item['indicator_code']} sex={item['sex']}: {item['rows']}", markup=False
            )
        for item in report["unmapped"]:
            out.print(f"  no mapping: {item['field']} '{item['code']}' ({item['rows']} row(s))",
                      markup=False)  # fmt: skip
    return 1 if any(report["error"] for report in reports) else 0


def _source_names() -> list[str]:
    from pipelines.sources.registry import BY_ID

    return sorted(BY_ID)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="wppi", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)

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

    ingest = commands.add_parser(
        "ingest",
        help="ingest files now: partner CSVs or any known source's file, recognised by content",
    )
    ingest.add_argument("files", nargs="+", metavar="FILE")
    ingest.add_argument(
        "--source",
        metavar="NAME",
        choices=_source_names(),
        help="take every FILE as this source's format instead of recognising it",
    )
    ingest.add_argument("--json", action="store_true", help="one JSON summary line per file")
    ingest.set_defaults(func=cmd_ingest)

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
    check.add_argument("--source", metavar="NAME", choices=_source_names(),
                       help="read every FILE as this source's format")  # fmt: skip
    check.add_argument("--json", action="store_true", help="one JSON report per file")
    sources.set_defaults(func=cmd_sources)

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

    extract = commands.add_parser(
        "extract", help="write (or copy) a snapshot's Parquet extract; verify one's checksums"
    )
    extract.add_argument("--snapshot", metavar="ID", help="snapshot id (default: the current)")
    extract.add_argument("--out", metavar="DIR", help="also copy the extract into DIR/<id>/")
    extract.add_argument(
        "--verify", metavar="DIR", help="check DIR's files against its datapackage.json"
    )
    extract.set_defaults(func=cmd_extract)

    keys = commands.add_parser("keys", help="create, revoke or list API keys")
    key_actions = keys.add_subparsers(dest="action", required=True)
    create = key_actions.add_parser("create", help="create a key; its token is printed once")
    create.add_argument("--name", required=True, help="who or what the key is for")
    create.add_argument("--tier", action="append", required=True, choices=["public", "restricted"],
                        help="a tier the key may read (repeat for several)")  # fmt: skip
    revoke = key_actions.add_parser("revoke", help="revoke a key at once")
    revoke.add_argument("key_id")
    listing = key_actions.add_parser("list", help="list keys (ids, names, tiers; never tokens)")
    listing.add_argument("--json", action="store_true", help="one JSON line per key")
    keys.set_defaults(func=cmd_keys)

    from pipelines import backfill

    backfill.add_parser(commands, _source_names())

    args = parser.parse_args(argv)
    if args.command in ("run", "ingest", "backfill"):
        from pipelines.stopping import stop_on_signals

        stop_on_signals()
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
