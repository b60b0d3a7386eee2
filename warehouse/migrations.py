"""Apply the numbered DDL files in warehouse/sql/migrations once each, recording versions."""

from __future__ import annotations

from importlib import resources

import duckdb


def pending_migrations(applied: set[int]) -> list[tuple[int, str, str]]:
    folder = resources.files("warehouse").joinpath("sql", "migrations")
    found = []
    for entry in folder.iterdir():
        if entry.name.endswith(".sql"):
            version = int(entry.name.split("_", 1)[0])
            if version not in applied:
                found.append((version, entry.name, entry.read_text(encoding="utf-8")))
    return sorted(found)


def migrate(con: duckdb.DuckDBPyConnection) -> list[int]:
    """Bring the schema up to date; return the versions applied now, each in a transaction."""
    con.execute(
        "create table if not exists schema_migrations "
        "(version integer primary key, name varchar not null, applied_at timestamp not null)"
    )
    applied = {row[0] for row in con.execute("select version from schema_migrations").fetchall()}
    done = []
    for version, name, text in pending_migrations(applied):
        con.execute("begin transaction")
        try:
            con.execute(text)
            con.execute(
                "insert into schema_migrations values (?, ?, current_timestamp)", [version, name]
            )
            con.execute("commit")
        except Exception:
            con.execute("rollback")
            raise
        done.append(version)
    return done
