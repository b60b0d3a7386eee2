"""One benchmark pipeline run, in its own process so its peak RSS is its own.

Ingests every partner file of a generated data set the way the landing sensor does (one run,
hence one load transaction, per file), then the revisions file, then publishes a snapshot.
Calls the pipeline's own functions (reader, conform, validation, load, publish) without
Dagster's run machinery, whose fixed cost per run is not what this measures. Prints one JSON
object with the time spent in each step.

    python -m bench.ingest DATA_DIR HOME
"""

from __future__ import annotations

import json
import resource
import sys
import time
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

from bench.catalog import bench_catalog
from pipelines.sources.partner import conform_partner, read_partner_file
from pipelines.validation import validate_batch
from warehouse.connect import open_build
from warehouse.layout import Layout
from warehouse.load import load_batches
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
    for step, start, end in zip(
        ("read", "conform", "validate", "load"), marks, marks[1:], strict=False
    ):
        seconds[step] += end - start
    return outcome.as_dict()


def run(data: Path, home: Path) -> dict:
    meta = json.loads((data / "meta.json").read_text())
    catalog = bench_catalog(meta["indicators"])
    layout = Layout(home).ensure()
    seconds: dict[str, float] = defaultdict(float)
    outcomes = [
        _ingest(path, layout, catalog, seconds) for path in sorted((data / "partner").glob("*.csv"))
    ]
    ingest = dict(seconds)
    seconds.clear()
    revision = _ingest(data / "revisions.csv", layout, catalog, seconds)
    con = open_build(layout.build_warehouse)
    try:
        start = time.perf_counter()
        published = publish(con, layout.snapshots, retention=2)
        publish_seconds = time.perf_counter() - start
    finally:
        con.close()
    rows_in = sum(o["rows_in"] for o in outcomes)
    return {
        "rows_in": rows_in,
        "rows_loaded": sum(o["rows_loaded"] for o in outcomes),
        "rows_quarantined": sum(o["rows_quarantined"] for o in outcomes),
        "ingest_seconds": ingest,
        "revisions": {
            "rows_in": revision["rows_in"],
            "rows_revised": revision["rows_revised"],
            "seconds": dict(seconds),
        },  # fmt: skip
        "publish_seconds": publish_seconds,
        "snapshot": str(published.snapshot.path),
        "observations_published": published.observations,
        "peak_rss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
    }


if __name__ == "__main__":
    print(json.dumps(run(Path(sys.argv[1]), Path(sys.argv[2]))))
