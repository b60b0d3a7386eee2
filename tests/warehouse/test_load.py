import hashlib
from datetime import date

import duckdb
import pyarrow as pa
import pytest

from warehouse.catalog import load_catalog
from warehouse.connect import open_build
from warehouse.load import QUARANTINE_SCHEMA, Batch, load_batches
from warehouse.migrations import migrate
from warehouse.observation import CANONICAL_SCHEMA


def observations(*values, geo="AF-KAB", indicator="business.women_led_closures"):
    """Canonical rows for consecutive months of 2022 with the given values."""
    rows = [
        {"indicator_code": indicator, "geo_code": geo, "period_start": date(2022, m, 1),
         "period_end": date(2022, m, 28), "frequency": "M", "sex": "_T", "age_group": "_T",
         "value": v, "lower": None, "upper": None, "obs_status": "A", "source_id": "partner.ngo",
         "source_type": "NGO", "verification": "verified"}
        for m, v in enumerate(values, start=1)
    ]  # fmt: skip
    return pa.Table.from_pylist(rows, schema=CANONICAL_SCHEMA)


def batch(table, quarantined=None, name="f.csv"):
    """A batch whose content hash, like a file's, changes with its content."""
    quarantined = quarantined or QUARANTINE_SCHEMA.empty_table()
    sha = hashlib.sha256(repr((name, table.to_pylist(), quarantined.to_pylist())).encode())
    return Batch("partner", name, sha.hexdigest(), table.num_rows + quarantined.num_rows, table,
                 quarantined)  # fmt: skip


@pytest.fixture
def con(tmp_path):
    con = open_build(tmp_path / "build.duckdb")
    yield con
    con.close()


def current(con):
    return con.execute(
        "select period_start, value from observations where superseded_at is null order by 1"
    ).fetchall()


def test_migrations_apply_once_and_are_recorded(tmp_path):
    con = duckdb.connect(str(tmp_path / "m.duckdb"))
    applied = migrate(con)
    assert applied[0] == 1 and applied == sorted(applied)
    assert migrate(con) == []
    recorded = con.execute("select version, name from schema_migrations order by 1").fetchall()
    assert [v for v, _ in recorded] == applied and recorded[0] == (1, "001_core.sql")


def test_first_load_inserts_and_counts(con):
    [outcome] = load_batches(con, "run1", [batch(observations(10, 20, 30))], load_catalog())
    assert (outcome.rows_in, outcome.rows_loaded, outcome.rows_inserted) == (3, 3, 3)
    assert [v for _, v in current(con)] == [10, 20, 30]
    assert con.execute("select count(*) from indicators").fetchone()[0] == len(
        load_catalog().indicators
    )


def test_revision_closes_the_old_row_and_keeps_it(con):
    load_batches(con, "run1", [batch(observations(10, 20, 30))], load_catalog())
    [outcome] = load_batches(con, "run2", [batch(observations(10, 25, 30))], load_catalog())
    assert (outcome.rows_revised, outcome.rows_unchanged, outcome.rows_inserted) == (1, 2, 0)
    assert [v for _, v in current(con)] == [10, 25, 30]
    closed = con.execute(
        "select value, run_id from observations where superseded_at is not null"
    ).fetchall()
    assert closed == [(20.0, "run1")]
    assert con.execute("select count(*) from observations").fetchone()[0] == 4


def test_quarantined_rows_are_kept_with_reasons(con):
    rejected = pa.Table.from_pylist(
        [{"line": 7, "raw": '{"value": "x"}', "reasons": ["value: not a number [value.number]"]}],
        schema=QUARANTINE_SCHEMA,
    )
    [outcome] = load_batches(con, "run1", [batch(observations(1), rejected)], load_catalog())
    assert (outcome.rows_in, outcome.rows_loaded, outcome.rows_quarantined) == (2, 1, 1)
    line, raw, reasons = con.execute("select line, raw, reasons from quarantine").fetchone()
    assert line == 7 and '"x"' in raw and reasons == ["value: not a number [value.number]"]


def test_rows_that_do_not_add_up_roll_back_the_whole_run(con):
    good = batch(observations(1, 2))
    lossy = Batch("partner", "lossy.csv", "sha", 5, observations(3))
    with pytest.raises(ValueError, match="refusing to lose rows"):
        load_batches(con, "run1", [good, lossy], load_catalog())
    assert con.execute("select count(*) from observations").fetchone()[0] == 0
    assert con.execute("select count(*) from batches").fetchone()[0] == 0


def test_the_same_content_loaded_twice_is_recorded_once(con):
    """Two runs that read the same file before either loaded it (a CLI ingest and a sensor
    run at the same moment): the second load changes nothing and records nothing."""
    catalog = load_catalog()
    first = load_batches(con, "run-a", [batch(observations(5.0))], catalog)
    second = load_batches(con, "run-b", [batch(observations(5.0))], catalog)
    assert [o.status for o in first] == ["loaded"] and second == []
    assert con.execute("select count(*) from batches").fetchone()[0] == 1
    assert con.execute("select count(*) from observations").fetchone()[0] == 1
