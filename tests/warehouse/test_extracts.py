"""Researchers' extracts of the sample snapshot: contents, readers, manifest, immutability."""

import hashlib
import json
import random
import shutil
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from warehouse.catalog import load_catalog
from warehouse.extract_schema import EXTRACT_OBSERVATION_COLUMNS, SCHEMA_VERSION
from warehouse.extract_store import (
    MANIFEST,
    copy_extract,
    extract_folders,
    prune_extracts,
    read_manifest,
    verify_extract,
)
from warehouse.extracts import (
    OBSERVATIONS,
    ExtractConflict,
    _in_row_order,
    indicator_file,
    write_extract,
)
from warehouse.observation import SORT_KEY
from warehouse.periods import format_period
from warehouse.snapshots import Snapshot, current_snapshot

SUPPRESSED = ("business.women_led_closures", "AF-BAM")


@pytest.fixture(scope="module")
def snapshot(sample_home):
    return current_snapshot(sample_home / "snapshots")


@pytest.fixture(scope="module")
def extract(sample_home, snapshot):
    """The extract the `extracts` asset wrote while the sample ran through the pipeline."""
    return sample_home / "extracts" / snapshot.id


# The observation columns the snapshot stores (the extract adds names, label and licence).
STORED = [c.name for c in EXTRACT_OBSERVATION_COLUMNS
          if c.name not in ("indicator_name", "geo_name", "period", "licence", "demo")]  # fmt: skip


@pytest.fixture(scope="module")
def public_rows(snapshot):
    con = duckdb.connect(str(snapshot.path), read_only=True)
    try:
        # `demo` is the source's catalog flag (every sample row is demo data).
        columns = ", ".join(f"o.{name}" for name in STORED)
        return con.execute(
            f"select {columns}, s.demo from public_observations o "  # noqa: S608 (constants)
            "join sources s on s.id = o.source_id order by all"
        ).fetchall()
    finally:
        con.close()


def test_the_asset_wrote_a_complete_extract_of_the_current_snapshot(extract, snapshot):
    manifest = read_manifest(extract)
    assert manifest["id"] == manifest["wppi_snapshot_id"] == snapshot.id
    paths = [r["path"] for r in manifest["resources"]]
    assert paths[0] == OBSERVATIONS
    assert {"indicators.parquet", "geographies.parquet", "sources.parquet"} <= set(paths)
    assert indicator_file("business.women_led_closures") in paths
    assert sorted(p.name for p in extract.iterdir()) == sorted([*paths, MANIFEST])
    assert verify_extract(extract) == []


def test_every_reader_sees_the_snapshots_public_rows(extract, public_rows):
    path = str(extract / OBSERVATIONS)
    con = duckdb.connect()
    con.execute("set TimeZone = 'UTC'")  # the extract's times are UTC-aware; the table's naive
    columns = ", ".join(f"{c}::timestamp as {c}" if c.endswith("_at") else c for c in STORED)
    from_duckdb = con.execute(
        f"select {columns}, demo from read_parquet(?) order by all",
        [path],  # noqa: S608
    ).fetchall()
    assert from_duckdb == public_rows
    assert pq.read_table(path).num_rows == len(public_rows)
    frame = pd.read_parquet(path)
    polars_frame = pl.read_parquet(path)
    assert len(frame) == polars_frame.height == len(public_rows)
    assert (
        list(frame.columns) == polars_frame.columns == [c.name for c in EXTRACT_OBSERVATION_COLUMNS]
    )
    # A sample of cells, read by each library from the same row.
    sample = frame[(frame.indicator_code == SUPPRESSED[0]) & (frame.geo_code == SUPPRESSED[1])]
    polars_sample = polars_frame.filter(
        (pl.col("indicator_code") == SUPPRESSED[0]) & (pl.col("geo_code") == SUPPRESSED[1])
    )
    assert sample["obs_status"].tolist() == polars_sample["obs_status"].to_list()
    assert sample["value"].isna().tolist() == polars_sample["value"].is_null().to_list()
    assert "S" in sample["obs_status"].tolist()


def test_rows_are_in_series_order_with_one_indicator_per_row_group(extract):
    parquet = pq.ParquetFile(extract / OBSERVATIONS)
    table = parquet.read()
    key = ("indicator_code", "geo_code", "sex", "age_group", "period_start")
    keys = list(zip(*(table[c].to_pylist() for c in key), strict=True))
    assert keys == sorted(keys)
    meta = parquet.metadata
    codes = []
    for index in range(meta.num_row_groups):
        group = meta.row_group(index)
        stats = group.column(0).statistics
        assert stats.min == stats.max, "a row group must hold one indicator only"
        assert group.column(0).compression == "ZSTD"
        codes.append(stats.min)
    assert codes == sorted(set(codes))
    names = [c.name for c in EXTRACT_OBSERVATION_COLUMNS]
    assert [c.column_index for c in meta.row_group(0).sorting_columns] == [
        names.index(c) for c in key
    ]


def test_footer_carries_snapshot_creation_time_schema_version_and_licences(extract, snapshot):
    manifest = read_manifest(extract)
    for resource in manifest["resources"]:
        footer = pq.read_metadata(extract / resource["path"]).metadata
        assert footer[b"wppi.snapshot_id"].decode() == snapshot.id
        assert footer[b"wppi.created"].decode() == manifest["created"]
        assert footer[b"wppi.schema_version"].decode() == SCHEMA_VERSION
        licence = footer[b"wppi.licence"].decode()
        assert all(lic["name"] in licence for lic in resource["licenses"])
    # The summary names each source found in the file under its licence.
    licences = {
        r["id"]: r["licence"] for r in pq.read_table(extract / "sources.parquet").to_pylist()
    }
    used = sorted(set(pq.read_table(extract / OBSERVATIONS)["source_id"].to_pylist()))
    by_licence = {}
    for source in used:
        by_licence.setdefault(licences[source], []).append(source)
    expected = "; ".join(f"{lic} ({', '.join(ids)})" for lic, ids in sorted(by_licence.items()))
    assert pq.read_metadata(extract / OBSERVATIONS).metadata[b"wppi.licence"].decode() == expected


def test_indicator_files_partition_the_observations_and_leave_restricted_tiers_out(extract):
    con = duckdb.connect()
    whole = con.execute(
        "select indicator_code, count(*) from read_parquet(?) group by all order by all",
        [str(extract / OBSERVATIONS)],
    ).fetchall()
    manifest = read_manifest(extract)
    per_file = {r["path"]: r["rows"] for r in manifest["resources"]}
    for code, rows in whole:
        assert per_file[indicator_file(code)] == rows
        part = pq.read_table(extract / indicator_file(code))
        assert set(part["indicator_code"].to_pylist()) == {code}
    assert sum(rows for _, rows in whole) == per_file[OBSERVATIONS]
    tiers = {
        r["code"]: r["tier"] for r in pq.read_table(extract / "indicators.parquet").to_pylist()
    }
    restricted = {code for code, tier in tiers.items() if tier == "restricted"}
    assert restricted, "the catalog is meant to hold a restricted indicator"
    assert not restricted & {code for code, _ in whole}
    assert not any(indicator_file(code) in per_file for code in restricted)


def test_manifest_is_a_valid_data_package_whose_files_match_it(extract):
    # `frictionless validate` as a researcher runs it: descriptor, every file, every value
    # against its declared type and constraints. Its Parquet reader cannot count bytes or
    # hand over list columns, so sizes are `wppi_bytes` (verify_extract checks them, and the
    # sha256 `hash`) and list columns are |-separated text.
    result = subprocess.run(
        [str(Path(sys.executable).with_name("frictionless")), "validate", MANIFEST, "--json"],
        cwd=extract, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    report = json.loads(result.stdout)
    errors = [(t["name"], e["type"], e.get("note")) for t in report["tasks"]
              for e in t["errors"]]  # fmt: skip
    assert result.returncode == 0 and report["valid"], errors[:10]
    manifest = read_manifest(extract)
    rows = [r["rows"] for r in manifest["resources"]]
    assert [task["stats"].get("rows", 0) for task in report["tasks"]] == rows
    observations = manifest["resources"][0]
    fields = {f["name"]: f for f in observations["schema"]["fields"]}
    assert list(fields) == [c.name for c in EXTRACT_OBSERVATION_COLUMNS]
    assert all(f["description"] for f in fields.values())
    catalog_licences = {source.licence for source in load_catalog().sources.values()}
    assert {lic["name"] for lic in manifest["licenses"]} == catalog_licences
    assert {s["id"]: s["license"] for s in manifest["sources"]}["wppi.sample"] == "CC0-1.0"


def test_writing_again_gives_byte_identical_files(snapshot, extract, tmp_path):
    first = write_extract(snapshot, tmp_path / "a")
    second = write_extract(snapshot, tmp_path / "b")
    assert first.created and second.created
    names = sorted(p.name for p in extract.iterdir())
    for name in names:
        original = (extract / name).read_bytes()
        assert (first.folder / name).read_bytes() == original, name
        assert (second.folder / name).read_bytes() == original, name
    again = write_extract(snapshot, tmp_path / "a")  # same content: kept as it is
    assert not again.created and sorted(p.name for p in again.folder.iterdir()) == names
    assert not [p for p in (tmp_path / "a").iterdir() if p.name.startswith(".tmp")]


def test_rows_stored_in_another_order_without_series_index_give_the_same_files(
    snapshot, extract, tmp_path
):
    # Snapshots published before `series_rows` existed are scanned whole for each indicator;
    # rows that do not come in the extract's order are sorted (here: every indicator's).
    copy = tmp_path / snapshot.path.name
    shutil.copyfile(snapshot.path, copy)
    con = duckdb.connect(str(copy))
    con.execute("drop table series_rows")
    con.execute("create table reversed as select * from public_observations order by rowid desc")
    con.execute("drop table public_observations")
    con.execute("alter table reversed rename to public_observations")
    first = con.execute("select indicator_code from public_observations limit 1").fetchone()
    assert first == con.execute("select max(indicator_code) from public_observations").fetchone()
    con.close()
    written = write_extract(Snapshot(snapshot.id, copy), tmp_path / "extracts")
    for path in extract.iterdir():
        assert (written.folder / path.name).read_bytes() == path.read_bytes(), path.name


def test_rows_out_of_order_by_any_key_column_are_sorted(extract):
    schema = pq.read_schema(extract / OBSERVATIONS)
    base = pq.read_table(extract / OBSERVATIONS).slice(0, 1).to_pylist()[0]
    low_high = {
        pa.string(): ("a", "b"),
        pa.date32(): (date(2000, 1, 1), date(2001, 1, 1)),
        pa.timestamp("us", tz="UTC"): (
            datetime(2000, 1, 1, tzinfo=UTC),
            datetime(2001, 1, 1, tzinfo=UTC),
        ),  # fmt: skip
    }
    for position, name in enumerate(SORT_KEY):
        # Equal before `name`, ordered by it, and in the opposite order by every later key.
        low, high = dict(base), dict(base)
        for later in SORT_KEY[position:]:
            a, b = low_high[schema.field(later).type]
            low[later], high[later] = (a, b) if later == name else (b, a)
        assert _in_row_order(pa.Table.from_pylist([high, low], schema)).to_pylist() == [low, high]
        in_order = pa.Table.from_pylist([low, high], schema)
        assert _in_row_order(in_order) is in_order, name


def test_rows_are_sorted_as_duckdb_sorts_them(extract):
    whole = pq.read_table(extract / OBSERVATIONS)
    expected = whole.to_pylist()
    order = list(range(whole.num_rows))
    random.Random(7).shuffle(order)
    shuffled = whole.take(order)
    by_duckdb = duckdb.sql(f"select * from shuffled order by {', '.join(SORT_KEY)}")
    assert by_duckdb.to_arrow_table().to_pylist() == expected
    assert _in_row_order(shuffled).to_pylist() == expected


def test_an_extract_with_other_content_is_never_overwritten(snapshot, extract, tmp_path):
    target = copy_extract(extract, tmp_path / "root")
    damaged = target / OBSERVATIONS
    damaged.write_bytes(damaged.read_bytes()[:-10] + b"0123456789")
    with pytest.raises(ExtractConflict):
        write_extract(snapshot, tmp_path / "root")
    assert damaged.read_bytes().endswith(b"0123456789")
    actual = hashlib.sha256(damaged.read_bytes()).hexdigest()
    listed = read_manifest(target)["resources"][0]["hash"].removeprefix("sha256:")
    assert verify_extract(target) == [
        f"{OBSERVATIONS}: sha256 {actual} does not match the manifest's {listed}"
    ]


def test_verify_names_a_missing_file(extract, tmp_path):
    target = copy_extract(extract, tmp_path)
    (target / "sources.parquet").unlink()
    assert verify_extract(target) == ["sources.parquet: missing"]


def test_retention_keeps_the_newest_and_never_the_current(extract, tmp_path):
    root = tmp_path / "extracts"
    ids = [f"2026010{day}T000000.000Z-0000000{day}" for day in range(1, 5)]
    for snapshot_id in ids:
        shutil.copytree(extract, root / snapshot_id)
    assert prune_extracts(root, 2, current_id=ids[0]) == [ids[1]]
    assert [p.name for p in extract_folders(root)] == [ids[0], ids[2], ids[3]]


@pytest.mark.parametrize("failing", ["observations.parquet", "an indicator's file"])
def test_a_failed_write_on_a_writer_thread_raises_and_leaves_no_folder(
    snapshot, tmp_path, monkeypatch, failing
):
    import threading

    import warehouse.extracts as extracts

    real_write = extracts._ParquetOut.write
    calls = {"whole": 0, "parts": 0}

    def write(self, table):
        kind = "whole" if self.path.name == OBSERVATIONS else "parts"
        calls[kind] += 1
        # the second indicator, so the first one's files are already on disk
        if calls[kind] == 2 and (kind == "whole") == (failing == OBSERVATIONS):
            assert threading.current_thread() is not threading.main_thread()
            raise OSError(f"disk full writing {self.path.name}")
        real_write(self, table)

    monkeypatch.setattr(extracts._ParquetOut, "write", write)
    threads_before = set(threading.enumerate())
    with pytest.raises(OSError, match="disk full"):
        write_extract(snapshot, tmp_path / "extracts")
    assert list((tmp_path / "extracts").iterdir()) == []  # neither the extract nor its .tmp
    assert set(threading.enumerate()) <= threads_before  # no writer thread left running


def test_each_row_carries_its_period_label_names_licence_and_utc_times(extract):
    rows = pq.read_table(extract / OBSERVATIONS).to_pylist()
    catalog = load_catalog()
    for row in rows:
        assert row["period"] == format_period(row["period_start"], row["frequency"])
        assert row["indicator_name"] == catalog.indicators[row["indicator_code"]].name
        assert row["geo_name"] == catalog.places[row["geo_code"]].name
        assert row["licence"] == catalog.sources[row["source_id"]].licence
        assert row["recorded_at"].utcoffset().total_seconds() == 0
    assert {r["frequency"] for r in rows} >= {"M", "A"}  # labels of more than one kind checked
    indicators = pq.read_table(extract / "indicators.parquet").to_pylist()
    levels = {i["code"]: i["geo_levels"] for i in indicators}
    assert levels["business.women_led_closures"] == "country|province"
