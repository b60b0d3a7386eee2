"""Real servers for the deployment tests: PostgreSQL, an S3-compatible store, subprocesses.

Every server binds 127.0.0.1 on a port free at run time, runs in its own process group and
is stopped by group (DESIGN.md: a process started from a script that ignores SIGINT would
otherwise outlive the test).
"""

from __future__ import annotations

import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

PG_USER = "wppi"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(check: Callable[[], object], timeout: float, what: str, log: Path | None = None,
             every: float = 0.2):  # fmt: skip
    """Poll `check` until it returns something truthy; fail naming `what` after `timeout` s,
    with the end of `log` (read at that moment) when one is given.

    An AssertionError from `check` fails at once; any other error counts as "not yet".
    """
    deadline = time.monotonic() + timeout
    while True:
        try:
            found = check()
        except AssertionError:
            raise
        except Exception as exc:  # not up yet
            found, last = None, exc
        else:
            last = None
        if found:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(
                f"timed out after {timeout:.0f} s waiting for {what} ({last!r})\n"
                + (tail(log) if log else "")
            )
        time.sleep(every)


def _default_signals() -> None:
    """Children must answer SIGINT/SIGTERM even when pytest was started ignoring them."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def start(args: list[str], log: Path, env: dict | None = None, cwd=None) -> subprocess.Popen:
    with log.open("ab") as out:
        return subprocess.Popen(
            args, env=env, cwd=cwd, stdout=out, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL, start_new_session=True, preexec_fn=_default_signals,
        )  # fmt: skip


def stop(proc: subprocess.Popen, sig: int = signal.SIGTERM, grace: float = 15) -> None:
    """Signal the whole process group, then kill what is left after `grace` seconds."""
    for signum, wait in ((sig, grace), (signal.SIGKILL, 10)):
        try:
            os.killpg(proc.pid, signum)
        except ProcessLookupError:
            break
        try:
            proc.wait(timeout=wait)
            # The leader is gone; children of the group may not be yet.
            os.killpg(proc.pid, 0)
            time.sleep(0.5)
        except (subprocess.TimeoutExpired, ProcessLookupError):
            continue


@contextmanager
def running(args: list[str], log: Path, env: dict | None = None, cwd=None, grace: float = 5):
    proc = start(args, log, env, cwd)
    try:
        yield proc
    finally:
        stop(proc, grace=grace)


def tail(log: Path, lines: int = 40) -> str:
    return "\n".join(log.read_text(errors="replace").splitlines()[-lines:]) if log.exists() else ""


# PostgreSQL -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Postgres:
    port: int
    password: str
    database: str

    def env(self) -> dict[str, str]:
        """What deploy/dagster.yaml reads."""
        return {"WPPI_PG_HOST": "127.0.0.1", "WPPI_PG_PORT": str(self.port),
                "WPPI_PG_DB": self.database, "WPPI_PG_USER": PG_USER,
                "WPPI_PG_PASSWORD": self.password}  # fmt: skip

    def connect(self):
        import psycopg2

        return psycopg2.connect(host="127.0.0.1", port=self.port, user=PG_USER,
                                password=self.password, dbname=self.database)  # fmt: skip


def _pg_bindir() -> Path | None:
    """Debian's postgresql package puts the server programs in /usr/lib/postgresql/N/bin."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/postgres"), key=lambda p: p.parts)
    if found:
        return found[-1].parent
    initdb = shutil.which("initdb")
    return Path(initdb).resolve().parent if initdb else None


@contextmanager
def postgres_server() -> Iterator[Postgres]:
    """A throw-away PostgreSQL cluster on 127.0.0.1, password auth, removed afterwards."""
    bindir = _pg_bindir()
    if bindir is None:
        pytest.skip("PostgreSQL server programs not found: the Debian package `postgresql` "
                    "could not be installed (.ci/run installs it with apt-get)")  # fmt: skip
    # postgres refuses to run as root: run it as the package's `postgres` user when we are root.
    as_user: list[str] = []
    owner = None
    if os.geteuid() == 0:
        try:
            owner = pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip("running as root and there is no `postgres` user to run the server as")
        as_user = ["runuser", "-u", "postgres", "--"]
    # Not under pytest's tmp_path: that folder is private to root, postgres could not enter it.
    root = Path(tempfile.mkdtemp(prefix="wppi-pg-"))
    password = os.urandom(12).hex()
    (root / "pw").write_text(password + "\n")
    if owner is not None:
        for path in (root, root / "pw"):
            os.chown(path, owner.pw_uid, owner.pw_gid)
    log = root / "server.log"
    port = free_port()
    proc = None
    try:
        subprocess.run(
            [*as_user, str(bindir / "initdb"), "-D", str(root / "data"), "-U", PG_USER,
             "--pwfile", str(root / "pw"), "--auth", "scram-sha-256", "-E", "UTF8",
             "--no-sync", "--no-instructions"],
            check=True, capture_output=True, timeout=120,
        )  # fmt: skip
        proc = start(
            [*as_user, str(bindir / "postgres"), "-D", str(root / "data"), "-h", "127.0.0.1",
             "-p", str(port), "-k", str(root), "-c", "fsync=off"],
            log,
        )  # fmt: skip
        server = Postgres(port, password, "postgres")
        wait_for(lambda: server.connect().close() or True, 60, "PostgreSQL", log)
        con = server.connect()
        con.autocommit = True
        con.cursor().execute("create database dagster")
        con.close()
        yield Postgres(port, password, "dagster")
    finally:
        if proc is not None:
            stop(proc, signal.SIGINT)  # SIGINT is PostgreSQL's "fast shutdown"
        shutil.rmtree(root, ignore_errors=True)


# S3-compatible object store -----------------------------------------------------------------

S3_ENV = {"AWS_ACCESS_KEY_ID": "wppi-test", "AWS_SECRET_ACCESS_KEY": "wppi-test",
          "AWS_DEFAULT_REGION": "us-east-1"}  # fmt: skip


@contextmanager
def s3_server(log: Path) -> Iterator[str]:
    """moto's S3 in server mode on 127.0.0.1; yields its endpoint URL."""
    port = free_port()
    endpoint = f"http://127.0.0.1:{port}"
    with running([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)], log):
        import httpx

        wait_for(lambda: httpx.get(f"{endpoint}/moto-api/", timeout=2).status_code < 500, 60,
                 "the S3-compatible server", log)  # fmt: skip
        yield endpoint
