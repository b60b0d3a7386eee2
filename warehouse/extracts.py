"""Write a published snapshot as researchers' extract: Parquet files plus datapackage.json.

Rows come from the snapshot's `public_observations`, the table warehouse/protection.py fills
for the API, so the extract and the API apply one set of suppression and tier rules. Every
byte depends only on the snapshot (creation time is its publication time, rows are in a total
order), so writing twice gives identical files, and a written extract is never changed: a new
one is written aside and renamed into place, and different content for the same snapshot is
refused.
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from warehouse.events import has_events
from warehouse.extract_schema import (
    EVENT_COLUMNS,
    EXTRACT_OBSERVATION_COLUMNS,
    GEOGRAPHY_COLUMNS,
    INDICATOR_COLUMNS,
    POINT_NOTE_COLUMNS,
    SCHEMA_VERSION,
    SOURCE_COLUMNS,
    Column,
    arrow_schema,
    table_schema,
)
from warehouse.extract_store import MANIFEST, read_manifest, verify_extract
from warehouse.files import file_digest, fsync_path
from warehouse.observation import SERIES, SORT_KEY
from warehouse.queries import ObservationFilter
from warehouse.series_index import load_series_index
from warehouse.snapshots import Snapshot
from warehouse.sql import sql

OBSERVATIONS = "observations.parquet"
# Rows per row group at most; each indicator also starts a new row group, so the row-group
# statistics let a reader filtering one indicator skip every other indicator's data.
ROW_GROUP_ROWS = 128 * 1024
# Parquet's declared sort: the series and its period.
SERIES_KEY = (*SERIES, "period_start")
LICENCE_URLS = {
    "CC0-1.0": "https://creativecommons.org/publicdomain/zero/1.0/",
    "CC-BY-4.0": "https://creativecommons.org/licenses/by/4.0/",
    "CC-BY-3.0-IGO": "https://creativecommons.org/licenses/by/3.0/igo/",
}
# Policy events and point notes (warehouse/events.py), in snapshots that have the tables:
# (file name, columns, primary key, description).
EVENT_FILES = (
    (
        "events",
        EVENT_COLUMNS,
        ["id", "recorded_at"],
        "Policy events: decrees and orders restricting women, with citations; every version.",
    ),
    (
        "point_notes",
        POINT_NOTE_COLUMNS,
        [c.name for c in POINT_NOTE_COLUMNS[:7]],
        "Where points came from: the decrees (basis) behind each derived point and the "
        "citation behind each reported figure, keyed like observations.",
    ),
)

# Called after each file is written: (file name, files done, files in all).
Progress = Callable[[str, int, int], None]


class ExtractConflict(Exception):
    """An extract of this snapshot already exists with different content."""


@dataclass(frozen=True)
class ExtractResult:
    folder: Path
    created: bool  # False when an identical extract was already there
    files: int
    observations: int


@dataclass(frozen=True)
class _Context:
    con: duckdb.DuckDBPyConnection
    snapshot_id: str
    created: str  # the snapshot's publication time, ISO 8601 UTC
    licences: dict[str, str]  # source id -> licence


def indicator_file(code: str) -> str:
    return f"observations-{code}.parquet"


def ensure_extract(
    snapshot: Snapshot, root: Path, progress: Progress | None = None
) -> ExtractResult:
    """The snapshot's extract under `root`, written only if it is not there yet."""
    folder = root / snapshot.id
    if (folder / MANIFEST).is_file():
        manifest = read_manifest(folder)
        return ExtractResult(folder, False, len(manifest["resources"]) + 1, _rows(manifest))
    return write_extract(snapshot, root, progress)


def write_extract(
    snapshot: Snapshot, root: Path, progress: Progress | None = None
) -> ExtractResult:
    """Write `root/<snapshot id>/` from the snapshot; an existing identical extract is kept.

    Raises ExtractConflict when an extract of the same snapshot with other bytes exists.
    """
    root.mkdir(parents=True, exist_ok=True)
    tmp = root / f".tmp-{uuid.uuid4().hex}"
    tmp.mkdir()
    try:
        con = duckdb.connect(str(snapshot.path), read_only=True)
        try:
            manifest = _write_files(con, snapshot.id, tmp, progress)
        finally:
            con.close()
        return _move_into_place(tmp, root / snapshot.id, manifest)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _rows(manifest: dict) -> int:
    return next(r["rows"] for r in manifest["resources"] if r["path"] == OBSERVATIONS)


def _move_into_place(tmp: Path, folder: Path, manifest: dict) -> ExtractResult:
    files = len(manifest["resources"]) + 1
    for path in tmp.iterdir():
        fsync_path(path)
    try:
        os.rename(tmp, folder)  # fails if the folder exists: extracts are never overwritten
    except OSError:
        if not folder.is_dir():
            raise
        existing = (folder / MANIFEST).read_bytes() if (folder / MANIFEST).is_file() else b""
        if existing != (tmp / MANIFEST).read_bytes() or verify_extract(folder):
            raise ExtractConflict(
                f"{folder}: an extract of this snapshot with different content exists;"
                " extracts are never overwritten (move it away to rewrite it)"
            ) from None
        return ExtractResult(folder, False, files, _rows(manifest))
    fsync_path(folder.parent)
    return ExtractResult(folder, True, files, _rows(manifest))


def _write_files(
    con: duckdb.DuckDBPyConnection, snapshot_id: str, folder: Path, progress: Progress | None
) -> dict:
    # Load inputs.
    published_at = con.execute(sql("queries/snapshot_info")).fetchall()[0][0]
    sources = _fetch(con, "queries/extract_sources", {}, SOURCE_COLUMNS).to_pylist()
    licences = {source["id"]: source["licence"] for source in sources}
    created = published_at.isoformat(timespec="milliseconds") + "Z"
    ctx = _Context(con, snapshot_id, created, licences)
    used = con.execute(sql("queries/extract_indicator_sources")).fetchall()
    sources_of = {
        code: [source for _, source, _ in group if source is not None]
        for code, group in groupby(used, key=lambda r: r[0])
    }
    extras = EVENT_FILES if has_events(con) else ()
    total = 5 + len(extras) + len(sources_of)

    # Save outputs, reporting each file as it lands; observations.parquet is listed first.
    resources: list[dict] = []

    def done(resource: dict) -> None:
        resources.append(resource)
        if progress:
            progress(resource["path"], len(resources), total)

    _write_observations(ctx, folder, sources_of, done)
    resources.insert(0, resources.pop())
    catalog = sorted(licences)
    for name, columns, key in (
        ("indicators", INDICATOR_COLUMNS, "code"),
        ("geographies", GEOGRAPHY_COLUMNS, "code"),
        ("sources", SOURCE_COLUMNS, "id"),
    ):
        table = _fetch(con, f"queries/extract_{name}", {}, columns)
        out = _ParquetOut(ctx, folder / f"{name}.parquet", columns, catalog, [key])
        out.write(table)
        done(out.close(f"The {name} catalog of the snapshot."))
    for extra, extra_columns, extra_key, description in extras:
        table = _fetch(con, f"queries/extract_{extra}", {}, extra_columns)
        cited = sorted(set(table["source_id"].to_pylist()))
        out = _ParquetOut(ctx, folder / f"{extra}.parquet", extra_columns, cited, extra_key)
        out.write(table)
        done(out.close(description))
    manifest = _manifest(ctx, sources, resources)
    text = json.dumps(manifest, indent=2, ensure_ascii=False) + "\n"
    (folder / MANIFEST).write_text(text, encoding="utf-8")
    if progress:
        progress(MANIFEST, total, total)
    return manifest


def _write_observations(
    ctx: _Context, folder: Path, sources_of: dict[str, list[str]], done: Callable[[dict], None]
) -> None:
    """Each indicator's file, then observations.parquet (the whole), reported as they land.

    One query per indicator, its rows appended to the whole and written to their own file.
    The two files are written on two threads while this one fetches the next indicator
    (DuckDB and pyarrow release the GIL), so both cores work; waiting for the previous
    indicator's files before queueing the next keeps at most two indicators' rows in memory.
    Leaving the pools waits for their threads, so after an error nothing writes into the
    folder any more when write_extract removes it.
    """
    all_used = sorted({s for sources in sources_of.values() for s in sources})
    whole = _ParquetOut(ctx, folder / OBSERVATIONS, EXTRACT_OBSERVATION_COLUMNS, all_used)
    index = load_series_index(ctx.con)
    with ThreadPoolExecutor(1) as to_whole, ThreadPoolExecutor(1) as to_parts:
        writing: tuple[Future, Future] | None = None
        for code, used_by_code in sources_of.items():
            first, last = index.rows(ObservationFilter(indicators=[code])) or (None, None)
            params = {"indicator": code, "first_row": first, "last_row": last}
            table = _fetch(
                ctx.con, "queries/extract_observations", params, EXTRACT_OBSERVATION_COLUMNS
            )
            table = _in_row_order(table)
            _finish(writing, done)
            writing = (
                to_whole.submit(whole.write, table),
                to_parts.submit(_write_part, ctx, folder, code, used_by_code, table),
            )
        _finish(writing, done)
    done(whole.close("Every public observation, current and superseded, sorted by series key."))


def _in_row_order(table: pa.Table) -> pa.Table:
    """The rows sorted by SORT_KEY. Publish stores them sorted by series key, so they come
    in this order unless rows of one period differ in frequency: checking that costs about a
    third of sorting them (an `order by` was half of each indicator's query time)."""
    if table.num_rows < 2:
        return table
    before, after = table.slice(0, table.num_rows - 1), table.slice(1)
    # Row i is in order when its key is <= row i+1's, compared column by column.
    ordered = pc.less_equal(before[SORT_KEY[-1]], after[SORT_KEY[-1]])
    for name in reversed(SORT_KEY[:-1]):
        ordered = pc.or_(
            pc.less(before[name], after[name]),
            pc.and_(pc.equal(before[name], after[name]), ordered),
        )
    if pc.all(ordered).as_py():
        return table
    return table.sort_by([(name, "ascending") for name in SORT_KEY]).combine_chunks()


def _finish(writing: tuple[Future, Future] | None, done: Callable[[dict], None]) -> None:
    """Wait for one indicator's two writes (raising their error); report its own file."""
    if writing is not None:
        appended, part = writing
        appended.result()
        done(part.result())


def _write_part(
    ctx: _Context, folder: Path, code: str, sources: list[str], table: pa.Table
) -> dict:
    part = _ParquetOut(ctx, folder / indicator_file(code), EXTRACT_OBSERVATION_COLUMNS, sources)
    part.write(table)
    return part.close(f"Public observations of {code}, current and superseded.")


def _fetch(con, name: str, params: dict, columns: tuple[Column, ...]) -> pa.Table:
    # A fixed Arrow schema keeps the files identical whatever types a DuckDB release exports.
    table = con.sql(sql(name), params=params).to_arrow_table()
    return table.cast(arrow_schema(columns)).combine_chunks()


def _licence_summary(ctx: _Context, sources: list[str]) -> str:
    by_licence: dict[str, list[str]] = {}
    for source in sources:
        by_licence.setdefault(ctx.licences[source], []).append(source)
    return "; ".join(f"{lic} ({', '.join(ids)})" for lic, ids in sorted(by_licence.items()))


class _ParquetOut:
    """One Parquet file being written; `close` gives its datapackage.json resource."""

    def __init__(
        self,
        ctx: _Context,
        path: Path,
        columns: tuple[Column, ...],
        sources: list[str],
        primary_key: list[str] | None = None,
    ):
        self.ctx, self.path, self.columns, self.sources = ctx, path, columns, sources
        self.primary_key = primary_key
        self.rows = 0
        metadata = {
            "wppi.snapshot_id": ctx.snapshot_id,
            "wppi.created": ctx.created,
            "wppi.schema_version": SCHEMA_VERSION,
            "wppi.licence": _licence_summary(ctx, sources),
        }
        schema = arrow_schema(columns).with_metadata(metadata)
        sorting = (
            pq.SortingColumn.from_ordering(schema, [(c, "ascending") for c in SERIES_KEY])
            if columns is EXTRACT_OBSERVATION_COLUMNS
            else None
        )
        self.writer = pq.ParquetWriter(
            path,
            schema,
            compression="zstd",
            write_statistics=True,
            write_page_index=True,
            sorting_columns=sorting,
        )

    def write(self, table: pa.Table) -> None:
        if table.num_rows:
            self.writer.write_table(table, row_group_size=ROW_GROUP_ROWS)
            self.rows += table.num_rows

    def close(self, description: str) -> dict:
        self.writer.close()
        size, sha256 = file_digest(self.path)
        licences = sorted({self.ctx.licences[s] for s in self.sources})
        return {
            "name": self.path.stem,
            "path": self.path.name,
            "description": description,
            "format": "parquet",
            "mediatype": "application/vnd.apache.parquet",
            "wppi_bytes": size,  # not `bytes`: frictionless cannot count a Parquet file's
            "hash": f"sha256:{sha256}",
            "rows": self.rows,
            "licenses": [_licence(lic) for lic in licences],
            "schema": table_schema(self.columns, self.primary_key),
        }


def _licence(spdx: str) -> dict:
    licence = {"name": spdx}
    if spdx in LICENCE_URLS:
        licence["path"] = LICENCE_URLS[spdx]
    return licence


def _manifest(ctx: _Context, sources: list[dict], resources: list[dict]) -> dict:
    return {
        "name": "wppi-extract",
        "id": ctx.snapshot_id,
        "title": "WPPI — Women's Public-Participation Indicators, public extract",
        "description": (
            "Public-tier observations of one published WPPI snapshot. Province-level counts "
            "below an indicator's threshold are suppressed (obs_status S, no value), with "
            "complementary suppression, exactly as the WPPI API serves them."
        ),
        "created": ctx.created,
        "wppi_snapshot_id": ctx.snapshot_id,
        "wppi_schema_version": SCHEMA_VERSION,
        "licenses": [_licence(lic) for lic in sorted(set(ctx.licences.values()))],
        "sources": [
            {
                "title": s["name"],
                "path": s["url"],
                "publisher": s["publisher"],
                "license": s["licence"],
                "id": s["id"],
            }
            for s in sources
        ],
        "resources": resources,
    }
