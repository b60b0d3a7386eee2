"""No personal data stored: real names and coordinates pushed through the guard and the
partner pipeline never reach the warehouse, the snapshot, quarantine's public view or logs.

The values are real: journalists' names from the CPJ excerpt (tests/fixtures/real) and
incident coordinates from the Insecurity Insight files WPPI ships (pipelines/real_data).
"""

import csv
import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

from pipelines.batches import ConformedBatch
from pipelines.sources.partner import conform_partner, read_partner_file
from pipelines.validation import screen_personal_data, validate_batch
from tests.conftest import land, row, run_partner, write_partner_csv
from tests.pipelines.sources.conftest import real_file, real_folder
from warehouse.catalog import load_catalog
from warehouse.connect import open_build
from warehouse.load import QUARANTINE_SCHEMA, Batch, load_batches
from warehouse.migrations import migrate
from warehouse.observation import CANONICAL_SCHEMA
from warehouse.personal_data import file_label
from warehouse.snapshots import current_snapshot

# Text fields of the partner template a personal value can be put in by mistake.
FIELDS = ("source_id", "verification", "geo_code", "indicator_code", "sex", "age_group",
          "obs_status")  # fmt: skip


def _read(path: Path) -> list[dict]:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def personal():
    """(names, coordinate pairs) from the real files."""
    cpj = _read(real_file("cpj_journalists_killed/cpj_killed_afg_pak_irn_extract.csv"))
    names = sorted({r["journalist/media worker_name"].strip() for r in cpj})
    pairs = set()
    for path in sorted(real_folder("insecurity_insight").glob("*.csv")):
        for r in _read(path):
            if r.get("Latitude") and r.get("Longitude"):
                pairs.add(f"{r['Latitude']},{r['Longitude']}")
    # Multi-word names for the guard, one-word names for the vocabularies, many coordinates.
    assert sum(" " in n for n in names) >= 5 and sum(" " not in n for n in names) >= 2
    assert len(pairs) > 20
    return names, sorted(pairs)


def _conformed(values: list[str], tmp_path: Path, name="leak.csv") -> ConformedBatch:
    """A partner file whose i-th row carries values[i] in one text field (rotating)."""
    rows = [row(period=f"{2010 + i // 12}-{i % 12 + 1:02d}", **{FIELDS[i % len(FIELDS)]: v})
            for i, v in enumerate(values)]  # fmt: skip
    path = write_partner_csv(tmp_path / name, [row(), *rows])
    return conform_partner(read_partner_file(path), load_catalog())


def test_guard_flags_every_multi_word_name_and_every_coordinate(personal, tmp_path):
    names, pairs = personal
    flagged = [n for n in names if " " in n] + pairs + [p.split(",")[0] for p in pairs]
    batch = _conformed(flagged, tmp_path)
    rejected, report = screen_personal_data(batch)
    assert rejected is not None and rejected.accepted.num_rows == 0
    assert sorted(report.reasons) == list(range(1, len(flagged) + 1))  # all but the clean row 0
    assert rejected.quarantined.num_rows == rejected.rows_in == len(flagged) + 1
    kinds = {r.rule for r in report.failed_rules}
    assert kinds >= {"personal_data.name", "personal_data.coordinates"}
    _assert_absent(rejected.error, names, pairs)
    _assert_absent(repr(rejected.quarantined["reasons"].to_pylist()), names, pairs)


def test_guard_passes_clean_batches_and_single_words_go_to_quarantine(personal, tmp_path):
    clean = _conformed([], tmp_path, "clean.csv")
    assert screen_personal_data(clean)[0] is None
    # One-word names look like codes; the closed vocabularies quarantine them instead.
    single = [n for n in personal[0] if " " not in n]
    batch, _ = validate_batch(_conformed(single, tmp_path, "single.csv"), load_catalog(),
                              datetime.now(UTC).date())  # fmt: skip
    assert batch.accepted.num_rows == 1 and batch.quarantined.num_rows == len(single)


def test_a_column_outside_the_canonical_schema_rejects_the_batch(personal, tmp_path):
    batch = _conformed([], tmp_path)
    names = personal[0][: batch.table.num_rows]
    leaky = ConformedBatch(batch.raw, batch.table.append_column("journalist_name",
                                                                pa.array(names)))  # fmt: skip
    rejected, _ = screen_personal_data(leaky)
    assert rejected is not None and "journalist_name" in rejected.error
    assert rejected.accepted.num_rows == 0
    _assert_absent(rejected.error, personal[0], [])
    # The warehouse refuses such a table even if the guard were bypassed.
    con = duckdb.connect()
    migrate(con)
    sneaky = Batch("x", "x.csv", None, leaky.table.num_rows,
                   leaky.table.select([*CANONICAL_SCHEMA.names, "journalist_name"]))  # fmt: skip
    with pytest.raises(ValueError, match="outside the canonical schema"):
        load_batches(con, "r", [sneaky], load_catalog())


def test_real_personal_values_never_reach_warehouse_snapshot_views_or_logs(personal, home, capsys):
    names, pairs = personal
    land(home, "clean.csv", [row(geo="AF-HER", value="40")])
    land(home, "cpj.csv", [row(), *[row(**{FIELDS[i % 7]: n}) for i, n in enumerate(names)]])
    land(home, "ii.csv", [row(), *[row(**{FIELDS[i % 7]: p}) for i, p in enumerate(pairs)]])
    records: list[logging.LogRecord] = []
    handler = logging.Handler()
    handler.emit = records.append
    logging.getLogger().addHandler(handler)
    try:
        result = run_partner(home)
    finally:
        logging.getLogger().removeHandler(handler)
    assert result.success
    outcomes = {o["file_name"]: o for o in result.output_for_node("partner_observations")}
    assert outcomes[file_label("clean.csv")]["rows_loaded"] == 1
    for name, count in (("cpj.csv", len(names)), ("ii.csv", len(pairs))):
        o = outcomes[file_label(name)]  # runs know files by label: a name may be personal
        assert (o["status"], o["rows_loaded"], o["rows_quarantined"]) == ("rejected", 0, count + 1)
        assert "personal data" in o["error"]

    # Warehouse: every table and column except quarantine's raw rows (engineers only).
    con = duckdb.connect(str(home / "warehouse" / "build.duckdb"), read_only=True)
    warehouse_text = _dump(con, exclude={"quarantine"})
    quarantine_view = repr(con.execute("select * from quarantine_public").fetchall())
    raw = repr(con.execute("select raw from quarantine").fetchall())
    con.close()
    assert names[0] in raw  # the engineers' copy is there, so the searches below can fail
    _assert_absent(warehouse_text, names, pairs)
    _assert_absent(quarantine_view, names, pairs)
    snap = duckdb.connect(str(current_snapshot(home / "snapshots").path), read_only=True)
    _assert_absent(_dump(snap, exclude=set()), names, pairs)
    snap.close()
    # Logs: the Dagster event log with all metadata, Python logging, and the terminal.
    events = "\n".join(repr(e) for e in result.all_events)
    logged = "\n".join(r.getMessage() for r in records)
    out = capsys.readouterr()
    for text in (events, logged, out.out, out.err):
        _assert_absent(text, names, pairs)


def test_quarantine_keeps_raw_rows_only_for_the_retention_period(tmp_path):
    con = open_build(tmp_path / "build.duckdb")
    old = datetime.now(UTC).replace(tzinfo=None) - timedelta(days=91)
    con.execute(
        "insert into quarantine values ('r0', 'b0', 'old.csv', 2, '{\"x\": 1}', ['why'], ?)", [old]
    )
    fresh = pa.table({"line": [2], "raw": ['{"y": 2}'], "reasons": [["why"]]},
                     schema=QUARANTINE_SCHEMA)  # fmt: skip
    batch = Batch("partner", "new.csv", "sha", 1, quarantined=fresh)
    load_batches(con, "r1", [batch], load_catalog(), quarantine_retention=timedelta(days=90))
    assert con.execute("select file_name from quarantine").fetchall() == [("new.csv",)]
    con.close()


def _dump(con, exclude: set[str]) -> str:
    tables = [t for (t,) in con.execute("select table_name from information_schema.tables")
              .fetchall() if t not in exclude]  # fmt: skip
    return "\n".join(repr(con.execute(f'select * from "{t}"').fetchall()) for t in tables)


def _assert_absent(text: str, names: list[str], pairs: list[str]) -> None:
    leaked = [v for v in (*names, *pairs) if v in text]
    assert not leaked, f"{len(leaked)} personal values leaked, e.g. {leaked[0]!r}"
