"""Migrations on a warehouse built before them. 009: the values its public cells show count as
published, everything is protected again, and batches learn their restricted rows; 013: the
next publish compares every cell protected before it."""

from datetime import date

import duckdb

from warehouse.catalog import load_catalog
from warehouse.load import sync_catalog
from warehouse.migrations import migrate
from warehouse.protection import remember_published

ROW = ("'{code}', '{geo}', date '2022-01-01', date '2022-01-31', 'M', '_T', '_T', {value},"
       " null, null, 'A', 'partner.ngo', 'NGO', 'verified', timestamp '2022-02-01', null,"
       " 'r1', 'b1'")  # fmt: skip


def _schema_before(version: int) -> duckdb.DuckDBPyConnection:
    """A database migrated up to, but not including, `version`."""
    con = duckdb.connect()
    con.execute("create table schema_migrations (version integer primary key,"
                " name varchar not null, applied_at timestamp not null)")  # fmt: skip
    con.execute("insert into schema_migrations values (?, 'later', now())", [version])
    migrate(con)
    con.execute("delete from schema_migrations where version = ?", [version])
    return con


def test_migration_009_upgrades_an_existing_warehouse():
    con = _schema_before(9)
    sync_catalog(con, load_catalog())
    for code, geo, value in (("business.women_led_closures", "AF-KAB", 3),
                             ("business.women_led_closures", "AF-HER", 40),
                             ("civic.reprisals_whrd", "AF-KAB", 2)):  # fmt: skip
        con.execute(
            f"insert into observations values ({ROW.format(code=code, geo=geo, value=value)})"
        )
    con.execute("insert into batches values ('b1', 'r1', 'partner', 'f.csv', 'sha', 'loaded',"
                " null, 3, 3, 0, 3, 0, 0, now())")  # fmt: skip
    con.execute("insert into public_cells select * exclude (batch_id) replace ("
                " case when value < 5 then 'S' else obs_status end as obs_status,"
                " case when value < 5 then null else value end as value)"
                " from observations where indicator_code <> 'civic.reprisals_whrd'")  # fmt: skip
    con.execute("insert into protection_inputs values ('old')")
    assert migrate(con) == [9]
    disclosed = con.execute("select geo_code, period_start from disclosed_cells").fetchall()
    assert disclosed == [("AF-HER", date(2022, 1, 1))]  # Kabul was S: not published
    assert con.execute("select count(*) from protection_inputs").fetchone() == (0,)
    assert con.execute(
        "select restricted_loaded, restricted_quarantined from batches"
    ).fetchall() == [(1, 0)]


def test_migration_013_has_the_next_publish_compare_every_cell_protected_before_it():
    con = _schema_before(13)
    row = ROW.format(code="business.women_led_closures", geo="AF-HER", value=40)
    con.execute(f"insert into public_cells select * exclude (col17) from (values ({row}))")
    assert migrate(con) == [13]
    remember_published(con)
    assert con.execute("select geo_code from disclosed_cells").fetchall() == [("AF-HER",)]
