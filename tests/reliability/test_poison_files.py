"""Hostile landed files must never stop later runs (issue 20).

One `wppi run`, bounded in time, meets every kind of poison at once beside a good file: a
200 MB field, 100,000 columns x 200 rows, 5 million empty rows and a FIFO. Each is refused
with a message naming file, line and limit and moved to landing/partner/refused/; the good
file loads, the run's memory stays bounded, and the next run is clean.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import duckdb
import orjson
import pytest

from pipelines.sources.partner import HEADER
from tests.conftest import land, row, run_partner
from tests.test_end_to_end import WPPI
from warehouse.load import RAW_COPY_CHARS
from warehouse.personal_data import file_label

RUN_TIMEOUT = 240  # seconds; the poisons used to hang a run or take over 13 minutes
HEADER_LINE = ",".join(HEADER) + "\n"


def _field(path: Path) -> None:
    """One row whose value field holds 200 MB."""
    with path.open("w") as out:
        out.write(HEADER_LINE)
        out.write("business.women_led_closures,AF-KAB,2022-03,_T,_T,")
        chunk = "9" * (1 << 20)
        for _ in range(200):
            out.write(chunk)
        out.write(",,,A,partner.ngo,verified\n")


def _columns(path: Path) -> None:
    line = ",".join(["x"] * 100_000) + "\n"
    path.write_text(line * 200)


def _empty_rows(path: Path) -> None:
    """5 million rows of empty fields (55 MB)."""
    with path.open("w") as out:
        out.write(HEADER_LINE)
        block = ("," * (len(HEADER) - 1) + "\n") * 100_000
        for _ in range(50):
            out.write(block)


def _high_water(pid: int) -> int:
    """The process's own peak RSS in bytes (VmHWM), 0 once it is gone. Not ru_maxrss: across
    fork+exec that carries the parent's peak, here the whole test session's."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    line = next((x for x in status.splitlines() if x.startswith("VmHWM:")), "VmHWM: 0 kB")
    return int(line.split()[1]) * 1024


def _run(home: Path) -> tuple[int, list[dict], int, str]:
    """`wppi run --json` with a deadline: exit code, JSON lines, peak RSS (bytes), stderr."""
    env = {**os.environ, "WPPI_HOME": str(home)}
    env.pop("DAGSTER_HOME", None)
    out, err = home.parent / "run.out", home.parent / "run.err"
    with out.open("wb") as stdout, err.open("wb") as stderr:
        process = subprocess.Popen([str(WPPI), "run", "--json"], env=env, stdout=stdout,
                                   stderr=stderr, start_new_session=True)  # fmt: skip
        deadline = time.monotonic() + RUN_TIMEOUT
        peak = 0
        while True:
            peak = max(peak, _high_water(process.pid))
            pid, status, _ = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
                pytest.fail(f"wppi run did not finish in {RUN_TIMEOUT} s")
            time.sleep(0.2)
    lines = [orjson.loads(x) for x in out.read_text().splitlines() if x.startswith("{")]
    return os.waitstatus_to_exitcode(status), lines, peak, err.read_text()


@pytest.fixture(scope="module")
def poisoned(tmp_path_factory, bundle_home) -> dict:
    home = tmp_path_factory.mktemp("poison") / "wppi"
    # `wppi run` lands the shipped real bundle too: start where a first run left it, so the
    # peak measured below is the poison files' and not the bundle's.
    shutil.copytree(bundle_home, home)
    folder = home / "landing" / "partner"
    folder.mkdir(parents=True, exist_ok=True)
    _field(folder / "field.csv")
    _columns(folder / "columns.csv")
    _empty_rows(folder / "empty_rows.csv")
    os.mkfifo(folder / "pipe.csv")
    land(home, "good.csv", [row(geo="AF-KAB", value="41"), row(geo="AF-HER", value="17")])
    code, lines, peak, stderr = _run(home)
    con = duckdb.connect(str(home / "warehouse" / "build.duckdb"), read_only=True)
    try:
        batches = {
            name: (status, error, loaded)
            for name, status, error, loaded in con.execute(
                "select file_name, status, error, rows_loaded from batches"
            ).fetchall()
        }
    finally:
        con.close()
    return {"home": home, "code": code, "lines": lines, "peak": peak, "stderr": stderr,
            "batches": batches}  # fmt: skip


def _refused(poisoned: dict, name: str) -> str:
    """The refusal recorded for `name`, which the ledger knows by its label only."""
    status, error, _ = poisoned["batches"][file_label(name)]
    assert status == "rejected"
    assert (poisoned["home"] / "landing" / "partner" / "refused" / name).exists()
    assert not (poisoned["home"] / "landing" / "partner" / name).exists()
    return error.replace(file_label(name), name)


def test_the_good_file_loads_beside_the_poison(poisoned):
    batch = poisoned["batches"][file_label("good.csv")]
    assert batch == ("loaded", None, 2), poisoned["stderr"][-3000:]


def test_a_200_mb_field_is_refused_naming_file_line_and_limit(poisoned):
    error = _refused(poisoned, "field.csv")
    assert error.startswith("field.csv: line 2: ") and "WPPI_MAX_LINE_BYTES" in error


def test_100000_columns_are_refused_naming_the_limit(poisoned):
    error = _refused(poisoned, "columns.csv")
    assert error.startswith("columns.csv: line 1: 100,000 columns") and "WPPI_MAX_COLUMNS" in error


def test_5_million_empty_rows_are_refused_in_bounded_memory(poisoned):
    error = _refused(poisoned, "empty_rows.csv")
    assert error.startswith("empty_rows.csv: line ") and "WPPI_MAX_ROWS_PER_FILE" in error
    assert 0 < poisoned["peak"] < 1 << 30, f"peak RSS {poisoned['peak'] / 2**20:.0f} MiB"


def test_a_fifo_is_set_aside_and_the_run_finishes(poisoned):
    error = _refused(poisoned, "pipe.csv")
    assert error == "pipe.csv: is a FIFO, not a regular file; moved to refused/"


def test_a_refused_file_fails_the_run_and_the_next_run_is_clean(poisoned):
    assert poisoned["code"] != 0
    [partner] = [line for line in poisoned["lines"] if line.get("source") == "partner"]
    assert f"{file_label('field.csv')}: line 2" in partner["error"]
    home = poisoned["home"]
    land(home, "more.csv", [row(geo="AF-BAL", value="8")])
    code, lines, _, stderr = _run(home)
    assert code == 0, (lines, stderr[-3000:])
    [partner] = [line for line in lines if line.get("source") == "partner"]
    assert (partner["rows_loaded"], partner["error"]) == (1, None)


def test_quarantine_keeps_a_capped_copy_of_a_long_raw_row(home):
    long_value = "7" * 50_000  # under the line limit: the row is quarantined, not the file
    land(home, "long.csv", [row(geo="AF-KAB", value="41"), row(geo="AF-HER", value=long_value)])
    assert run_partner(home).success
    con = duckdb.connect(str(home / "warehouse" / "build.duckdb"), read_only=True)
    try:
        [(line, raw)] = con.execute("select line, raw::varchar from quarantine").fetchall()
    finally:
        con.close()
    kept = orjson.loads(raw)
    assert line == 3 and kept["truncated_from"] > 50_000
    assert len(kept["head"]) == RAW_COPY_CHARS and kept["head"].startswith('{"indicator_code"')
