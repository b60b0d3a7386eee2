"""One benchmark pipeline run, in its own process so its peak RSS is its own.

Ingests every partner file of a generated data set the way the landing sensor does (one run,
hence one load transaction, per file), then the revisions file, then publishes a snapshot.
Calls the pipeline's own functions (reader, conform, validation, load, publish) without
Dagster's run machinery, whose fixed cost per run is not what this measures. Prints one JSON
object with the time spent in each step.

With INGEST_FILES, only that many files go through the pipeline (and are timed); the others
are bulk-loaded first by DuckDB straight from the CSV (bench only: no validation, rows the
pipeline would quarantine are left out), so publish, extracts and the API still face the
full data set when a full pipeline run does not fit the time available. The filled rows are
then protected (timed apart: the cost of protecting every table at once), as the runs that
loaded them would have done.

    python -m bench.ingest DATA_DIR HOME [INGEST_FILES]
"""

from __future__ import annotations

import json
import sys
import time
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

from bench.catalog import bench_catalog
from bench.memory import peak_rss
from pipelines.sources.partner import conform_partner, read_partner_file
from pipelines.validation import validate_batch
from warehouse.connect import open_build
from warehouse.layout import Layout
from warehouse.load import load_batches, sync_catalog
from warehouse.protection import protect
from warehouse.snapshots import publish


def _ingest(path: Path, layout: Layout, catalog, seconds: dict) -> dict:
    """read -> conform -> validate -> load for one file, timing each step."""
    marks = [time.perf_counter()]
    raw = read_partner_file(path)
    marks.append(time.perf_counter())
    conformed = conform_partner(raw, catalog)
    marks.append(time.perf_counter())
    batch, _ = validate_batch(conformed, catalog, datetime.now(UTC).date())
    marks.append(time.perf_counter())
    con = open_build(layout.build_warehouse)
    try:
        (outcome,) = load_batches(con, f"bench-{path.stem}", [batch], catalog)
    finally:
        con.close()
    marks.append(time.perf_counter())
    for step, start, end in zip(("read", "conform", "validate", "load"), marks, marks[1:]):  # noqa: B905
        seconds[step] += end - start
    return outcome.as_dict()


# Monthly partner rows straight into observations, as the pipeline would load them.
BULK_FILL = """
insert into observations
select indicator_code, geo_code, period_start, last_day(period_start), 'M', sex, age_group,
    value::double, lower::double, upper::double, obs_status, c.source_id, s.type,
    verification, now()::timestamp, null, 'bench-fill', 'bench-fill'
from (
    select *, strptime(period || '-01', '%Y-%m-%d')::date as period_start
    from read_csv(?, all_varchar = true)
) as c
join sources as s on s.id = c.source_id
where try_cast(value as double) is not null and period_start <= current_date
"""


def _bulk_fill(files: list[Path], layout: Layout, catalog) -> float:
    """Fill, then protect every table as the earlier pipeline runs would have; return the
    seconds protection of the whole filled warehouse took (its full-recompute cost)."""
    con = open_build(layout.build_warehouse)
    try:
        sync_catalog(con, catalog)
        con.execute(BULK_FILL, [[str(f) for f in files]])
        start = time.perf_counter()
        protect(con)
        return time.perf_counter() - start
    finally:
        con.close()


def run(data: Path, home: Path, ingest_files: int | None = None) -> dict:
    meta = json.loads((data / "meta.json").read_text())
    catalog = bench_catalog(meta["indicators"])
    layout = Layout(home).ensure()
    files = sorted((data / "partner").glob("*.csv"))
    measured = files[-ingest_files:] if ingest_files else files
    # The process's peak so far after each phase: which phase sets the peak.
    peak_after: dict[str, int] = {}
    protect_all = None
    if len(measured) < len(files):
        protect_all = _bulk_fill(files[: len(files) - len(measured)], layout, catalog)
        peak_after["bulk_fill_and_protect"] = peak_rss()
    seconds: dict[str, float] = defaultdict(float)
    outcomes = [_ingest(path, layout, catalog, seconds) for path in measured]
    peak_after["ingest"] = peak_rss()
    ingest = dict(seconds)
    seconds.clear()
    revision = _ingest(data / "revisions.csv", layout, catalog, seconds)
    peak_after["revisions"] = peak_rss()
    con = open_build(layout.build_warehouse)
    try:
        start = time.perf_counter()
        published = publish(con, layout.snapshots, retention=2)
        publish_seconds = time.perf_counter() - start
    finally:
        con.close()
    peak_after["publish"] = peak_rss()
    rows_in = sum(o["rows_in"] for o in outcomes)
    return {
        "rows_in": rows_in,
        "files_ingested": [path.name for path in measured],
        "rows_loaded": sum(o["rows_loaded"] for o in outcomes),
        "rows_quarantined": sum(o["rows_quarantined"] for o in outcomes),
        "ingest_seconds": ingest,
        "revisions": {
            "rows_in": revision["rows_in"],
            "rows_revised": revision["rows_revised"],
            "seconds": dict(seconds),
        },  # fmt: skip
        "publish_seconds": publish_seconds,
        "protect_filled_seconds": protect_all,
        "snapshot": str(published.snapshot.path),
        "observations_published": published.observations,
        "peak_rss_bytes": peak_rss(),
        "peak_rss_bytes_after": peak_after,
    }


if __name__ == "__main__":
    limit = int(sys.argv[3]) if len(sys.argv) > 3 else None
    print(json.dumps(run(Path(sys.argv[1]), Path(sys.argv[2]), limit)))
