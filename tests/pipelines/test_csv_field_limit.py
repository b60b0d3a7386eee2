"""Reading a CSV lifts the csv module's field-size limit only while it reads: importing a
reader or reading a file leaves the process-wide limit as it was."""

import csv
import subprocess
import sys
import threading

from pipelines.reading import csv_fields_unbounded
from pipelines.sources.partner import read_partner_file
from tests.conftest import row, write_partner_csv


def test_importing_the_readers_keeps_the_limit():
    code = (
        "import csv; before = csv.field_size_limit(); "
        "import pipelines.sources.registry, pipelines.sources.partner, "
        "pipelines.sources.long_records; "
        "assert csv.field_size_limit() == before, csv.field_size_limit()"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_a_long_field_is_quarantined_and_the_limit_restored(tmp_path):
    before = csv.field_size_limit()
    # A field past csv's own limit in a file pyarrow declines (a UTF-16 one takes the
    # csv-module path), so the csv reader must read it without aborting the file.
    long = row(source_id="x" * (before + 10))
    path = tmp_path / "long.csv"
    write_partner_csv(path, [row(), long])
    path.write_bytes(path.read_text(encoding="utf-8").encode("utf-16"))
    batch = read_partner_file(path)
    assert batch.error is None
    assert (batch.records.num_rows, batch.malformed.num_rows) == (1, 1)
    assert csv.field_size_limit() == before


def test_nested_and_concurrent_reads_restore_the_limit():
    before = csv.field_size_limit()
    inside = threading.Event()
    leave = threading.Event()

    def reader():
        with csv_fields_unbounded():
            inside.set()
            leave.wait(5)

    thread = threading.Thread(target=reader)
    thread.start()
    inside.wait(5)
    with csv_fields_unbounded():
        assert csv.field_size_limit() > before
    # The other read is still inside: the limit stays lifted for it.
    assert csv.field_size_limit() > before
    leave.set()
    thread.join()
    assert csv.field_size_limit() == before
