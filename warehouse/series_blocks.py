"""A snapshot's public series blocks as an Arrow file, so a cold series is read without SQL.

A DuckDB query costs ~3 ms of planning and a 122,880-row scan however small its answer
(docs/benchmarks.md). Publish therefore also writes the public rows it has just sorted as
an Arrow IPC file with one lz4 record batch per (indicator, place) block, the blocks
`series_rows` records (series_index.py). A series request reads its blocks by number (a
seek and a read of some kilobytes) and filters them in Arrow. The file is an accelerator:
the DuckDB file still holds every row, and what the file cannot answer (unsuppressed views,
`latest`, keyset pages) or a snapshot without it takes the SQL path;
tests/warehouse/test_series_blocks.py holds both to the same rows.
"""

from __future__ import annotations

import os
import threading
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from warehouse.observation import PUBLISHED_COLUMNS, SORT_KEY
from warehouse.queries import ObservationFilter
from warehouse.series_index import SeriesIndex

SUFFIX = "series.arrow"  # the file is `<snapshot id>.series.arrow`, beside `<id>.duckdb`
_ORDER = [(name, "ascending") for name in SORT_KEY]
# lz4, not zstd: about half the CPU to write and to read; zstd files are 40% smaller.
_WRITE = pa.ipc.IpcWriteOptions(compression="lz4")
_READ = pa.ipc.IpcReadOptions(use_threads=False)  # a thread pool costs more than a series
_DAY0, _EPOCH = date(1970, 1, 1).toordinal(), datetime(1970, 1, 1)


def write_series_blocks(con: duckdb.DuckDBPyConnection, snapshot: str, path: Path) -> int:
    """Write the public rows of the attached `snapshot` database (sorted, `series_rows`
    written) to `path`, one record batch per (indicator, place) block in storage order;
    return how many were written."""
    sizes = [
        last - first + 1
        for first, last in con.execute(
            f"select first_row, last_row from {snapshot}.series_rows"
            " where view = 'public' order by first_row"
        ).fetchall()
    ]
    scan = f"select {', '.join(PUBLISHED_COLUMNS)} from {snapshot}.public_observations"
    reader = con.sql(scan).to_arrow_reader(1 << 17)
    with pa.ipc.new_file(str(path), reader.schema, options=_WRITE) as out:
        held: list[pa.RecordBatch] = []  # rows read and not yet written, in order
        for size in sizes:
            while sum(batch.num_rows for batch in held) < size:
                held.append(reader.read_next_batch())
            if held[0].num_rows >= size:  # the usual case: a slice of one batch, no copy
                out.write_batch(held[0].slice(0, size))
            else:
                out.write_batch(pa.Table.from_batches(held).slice(0, size).combine_chunks()
                                .to_batches()[0])  # fmt: skip
            held = _drop(held, size)
    return len(sizes)


def _drop(batches: list[pa.RecordBatch], rows: int) -> list[pa.RecordBatch]:
    """`batches` without their first `rows` rows."""
    while rows and rows >= batches[0].num_rows:
        rows -= batches.pop(0).num_rows
    if rows:
        batches[0] = batches[0].slice(rows)
    return batches


class SeriesBlocks:
    """An open blocks file: rows for a filter without DuckDB, or None when it cannot say."""

    def __init__(self, path: Path, index: SeriesIndex):
        public = sorted(
            (first, last, code, geo)
            for (view, code), places in index.blocks.items()
            if view == "public"
            for geo, (first, last) in places.items()
        )
        _read_ahead(path)
        self._source = pa.OSFile(str(path))
        self._file = pa.ipc.open_file(self._source, options=_READ)
        if self._file.num_record_batches != len(public):
            self.close()
            raise ValueError(f"{path}: {len(public)} blocks recorded, the file has others")
        self._lock = threading.Lock()  # one file position: reads take turns (~0.1 ms each)
        self._number = {(code, geo): n for n, (_, _, code, geo) in enumerate(public)}
        self._sizes = [last - first + 1 for first, last, _, _ in public]
        self._places: dict[str, list[str]] = {}
        for _, _, code, geo in public:
            self._places.setdefault(code, []).append(geo)

    def rows(
        self, where: ObservationFilter, read: int | None = None, most: int | None = None
    ) -> list[tuple] | None:
        """Rows of PUBLISHED_COLUMNS in SORT_KEY order, as queries/observations returns
        them; None for what only SQL answers (unsuppressed, `latest`, no indicator), and
        when the blocks hold more than `read` rows or more than `most` rows match (a caller
        with little time to spare then reads elsewhere)."""
        if where.unsuppressed or where.latest is not None or not where.indicators:
            return None
        wanted = [
            self._number[(code, geo)]
            for code in dict.fromkeys(where.indicators)
            for geo in (dict.fromkeys(where.geos) if where.geos else self._places.get(code, ()))
            if (code, geo) in self._number
        ]
        if not wanted:
            return []
        if read is not None and sum(self._sizes[n] for n in set(wanted)) > read:
            return None
        with self._lock:  # in block order, which is storage order
            batches = [self._file.get_batch(n) for n in sorted(set(wanted))]
        table = pa.Table.from_batches(batches).filter(_mask(where))
        if most is not None and table.num_rows > most:
            return None
        # Storage order is SORT_KEY's but for `frequency`, which comes before `source_id`
        # only in SORT_KEY: rows of one frequency are already in order.
        if pc.count_distinct(table["frequency"]).as_py() > 1:
            table = table.sort_by(_ORDER)
        return list(zip(*(_values(column) for column in table.columns), strict=True))

    def close(self) -> None:
        self._source.close()


def _read_ahead(path: Path) -> None:
    """Ask the kernel to load the whole file into the page cache in the background, so the
    first request for a series reads memory, not disk (~0.1-10 ms a block on a cold cache).
    Page cache, not the process's memory: the API's RSS bound is untouched."""
    if hasattr(os, "posix_fadvise"):  # Linux; elsewhere the first reads go to disk
        fd = os.open(path, os.O_RDONLY)
        try:
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_WILLNEED)
        finally:
            os.close(fd)


def _values(column: pa.ChunkedArray) -> list:
    """A column as Python values, as DuckDB's fetchall gives them. pyarrow converts dates
    and timestamps one scalar at a time (~1 µs each); a snapshot has few distinct ones, so
    each is made once and then found in a cache (C-level calls by `map`)."""
    if pa.types.is_date32(column.type):
        return list(map(_day, column.cast(pa.int32()).to_pylist()))
    if pa.types.is_timestamp(column.type):
        return list(map(_instant, column.cast(pa.int64()).to_pylist()))
    return column.to_pylist()


# Bounded: period dates and load instants number in the thousands, not more.
@lru_cache(maxsize=1 << 16)
def _day(days: int | None) -> date | None:
    return None if days is None else date.fromordinal(_DAY0 + days)


@lru_cache(maxsize=1 << 16)
def _instant(micros: int | None) -> datetime | None:
    return None if micros is None else _EPOCH + timedelta(microseconds=micros)


def _mask(where: ObservationFilter) -> pc.Expression:
    """The filters of queries/observations.sql other than the series' own key."""
    field = pc.field
    if where.as_of is None:
        mask = field("superseded_at").is_null()
    else:
        as_of = pa.scalar(where.as_of, pa.timestamp("us"))
        mask = (field("recorded_at") <= as_of) & (
            field("superseded_at").is_null() | (field("superseded_at") > as_of)
        )
    for name, value in (("sex", where.sex), ("age_group", where.age_group),
                        ("source_id", where.source)):  # fmt: skip
        if value is not None:
            mask &= field(name) == value
    if where.start is not None:
        mask &= field("period_start") >= pa.scalar(where.start, pa.date32())
    if where.end is not None:
        mask &= field("period_start") <= pa.scalar(where.end, pa.date32())
    if where.updated_after is not None:
        mask &= field("recorded_at") > pa.scalar(where.updated_after, pa.timestamp("us"))
    return mask
