"""`wppi run --input FOLDER` takes partner CSVs from a partner/ sub-folder (issue 20)."""

from __future__ import annotations

import shutil

import orjson

from tests.conftest import row, write_partner_csv
from tests.test_end_to_end import wppi


def test_run_input_takes_partner_files_from_a_partner_folder(tmp_path, bundle_home):
    home = tmp_path / "wppi"
    shutil.copytree(bundle_home, home)  # not the first run: only the delivery is new content
    given = tmp_path / "delivery" / "partner"
    given.mkdir(parents=True)
    submission = write_partner_csv(given / "march.csv", [row(), row(geo="AF-HER")])
    done = wppi(home, "run", "--input", str(tmp_path / "delivery"), "--json")
    lines = [orjson.loads(x) for x in done.stdout.splitlines() if x.startswith("{")]
    [line] = [x for x in lines if x.get("file") == str(submission)]
    assert (line["rows_loaded"], line["error"]) == (2, None), done.stderr[-2000:]
    assert done.returncode == 0
    assert (home / "landing" / "partner" / "march.csv").is_file()
