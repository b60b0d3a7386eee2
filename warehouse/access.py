"""API keys and the audit of restricted access, kept in a small SQLite file of their own.

The published snapshots are read-only and immutable, so keys (which change at any time) and
audit rows (which the API must write) cannot live there. One SQLite file under
WPPI_HOME/access/ holds both: many API processes may append audit rows to it at once (WAL
mode), and `wppi keys` edits keys without touching the warehouse. A key is shown once when
created; only the SHA-256 of its secret is stored (the secret is 256 random bits, so a slow
hash adds nothing) and compared in constant time.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from warehouse.catalog import TIERS

PREFIX = "wppi"
_SCHEMA = """
create table if not exists api_keys (
    key_id text primary key,
    name text not null,
    secret_sha256 text not null,
    tiers text not null,          -- comma-separated, from catalog.TIERS
    created_at text not null,
    revoked_at text
);
-- Who read restricted data through which endpoint, and when; never the query's values.
create table if not exists access_audit (
    key_id text not null,
    endpoint text not null,
    accessed_at text not null
);
"""
# Compared against when a key id is unknown, so a miss costs the same as a wrong secret.
_DUMMY = hashlib.sha256(b"no such key").hexdigest()


@dataclass(frozen=True)
class ApiKey:
    key_id: str
    name: str
    tiers: tuple[str, ...]
    created_at: str
    revoked_at: str | None

    def allows(self, tier: str) -> bool:
        return tier in self.tiers


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@contextmanager
def _connect(path: Path, create: bool = True) -> Iterator[sqlite3.Connection]:
    if create:
        path.parent.mkdir(parents=True, exist_ok=True)
    con = sqlite3.connect(path, timeout=10)
    try:
        con.execute("pragma journal_mode=wal")
        con.executescript(_SCHEMA)
        with con:
            yield con
    finally:
        con.close()


def _key(row) -> ApiKey:
    return ApiKey(row[0], row[1], tuple(row[2].split(",")), row[3], row[4])


def create_key(path: Path, name: str, tiers: list[str]) -> tuple[ApiKey, str]:
    """A new key scoped to `tiers`; returns it with the token, which is never stored."""
    unknown = [t for t in tiers if t not in TIERS]
    if unknown or not tiers:
        raise ValueError(f"tiers must be among {', '.join(TIERS)}; got {', '.join(tiers)}")
    key_id, secret = secrets.token_hex(6), secrets.token_urlsafe(32)
    key = ApiKey(key_id, name, tuple(sorted(set(tiers))), _now(), None)
    with _connect(path) as con:
        con.execute(
            "insert into api_keys values (?, ?, ?, ?, ?, null)",
            [key.key_id, key.name, _digest(secret), ",".join(key.tiers), key.created_at],
        )
    return key, f"{PREFIX}_{key_id}_{secret}"


def revoke_key(path: Path, key_id: str) -> bool:
    """Revoke a key at once; False when no active key has that id."""
    with _connect(path) as con:
        cursor = con.execute(
            "update api_keys set revoked_at = ? where key_id = ? and revoked_at is null",
            [_now(), key_id],
        )
        return cursor.rowcount == 1


def list_keys(path: Path) -> list[ApiKey]:
    with _connect(path) as con:
        rows = con.execute(
            "select key_id, name, tiers, created_at, revoked_at from api_keys order by created_at"
        ).fetchall()
    return [_key(row) for row in rows]


def authenticate(path: Path, token: str) -> ApiKey | None:
    """The active key `token` belongs to, or None (malformed, unknown, wrong or revoked)."""
    prefix, _, rest = token.partition("_")
    key_id, _, secret = rest.partition("_")
    if prefix != PREFIX or not key_id or not secret or not path.exists():
        return None
    with _connect(path, create=False) as con:
        row = con.execute(
            "select key_id, name, tiers, created_at, revoked_at, secret_sha256 from api_keys"
            " where key_id = ? and revoked_at is null",
            [key_id],
        ).fetchone()
    stored = row[5] if row else _DUMMY
    if not hmac.compare_digest(_digest(secret), stored) or row is None:
        return None
    return _key(row)


def record_access(path: Path, key_id: str, endpoint: str) -> None:
    """Append one audit row: key, endpoint path and time; never the query's values."""
    with _connect(path) as con:
        con.execute("insert into access_audit values (?, ?, ?)", [key_id, endpoint, _now()])


def audit_rows(path: Path) -> list[tuple[str, str, str]]:
    with _connect(path) as con:
        return con.execute(
            "select key_id, endpoint, accessed_at from access_audit order by accessed_at"
        ).fetchall()
