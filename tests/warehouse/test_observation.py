"""The declared canonical observation (warehouse/observation.py) is the table the migrations
build, the row the loader takes and the row the read queries return."""

import re

import duckdb
import pytest

from warehouse.migrations import migrate
from warehouse.observation import CANONICAL_SCHEMA, FIELDS, KEY, PUBLISHED_COLUMNS
from warehouse.queries import ObservationFilter, fetch_observations
from warehouse.sql import sql


@pytest.fixture
def con():
    con = duckdb.connect()
    migrate(con)
    yield con
    con.close()


def table_columns(con, table: str) -> list[tuple[str, str, bool]]:
    return con.execute(
        "select column_name, data_type, is_nullable = 'NO' from information_schema.columns "
        "where table_name = ? order by ordinal_position",
        [table],
    ).fetchall()


def test_migrated_table_is_the_declaration(con):
    declared = [(f.name, f.sql, f.required) for f in FIELDS]
    assert table_columns(con, "observations") == declared


def test_public_cells_keep_every_published_column(con):
    """The protected copy carries the declared columns except the internal batch id."""
    declared = [(f.name, f.sql, f.required) for f in FIELDS if f.name != "batch_id"]
    assert [c[:2] for c in table_columns(con, "public_cells")] == [d[:2] for d in declared]


def test_loader_schema_is_the_conformed_part_in_table_order(con):
    table = [name for name, _, _ in table_columns(con, "observations")]
    assert CANONICAL_SCHEMA.names == table[: len(CANONICAL_SCHEMA)]
    assert {"recorded_at", "run_id", "batch_id"}.isdisjoint(CANONICAL_SCHEMA.names)


def test_observations_query_returns_published_columns(con):
    con.execute("create table public_observations as select * from public_cells")
    fetch_observations(con, ObservationFilter())
    assert tuple(d[0] for d in con.description) == PUBLISHED_COLUMNS


@pytest.mark.parametrize("name", ["queries/insert_new", "queries/close_revised"])
def test_revision_sql_matches_rows_on_the_declared_key(name):
    """A revision closes and inserts by the cell key; the SQL spells it, so compare."""
    text = sql(name)
    if using := re.search(r"\busing \(([^)]*)\)", text):
        columns = [c.strip() for c in using.group(1).split(",")]
    else:
        joined = re.findall(r"\bo\.(\w+) = s\.(\w+)", text)
        assert all(left == right for left, right in joined)
        columns = [left for left, _ in joined]
    assert sorted(columns) == sorted(KEY)
