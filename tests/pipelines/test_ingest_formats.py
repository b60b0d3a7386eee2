"""`wppi ingest FILE... [--source NAME]`: each file goes to the adapter its content names."""

from __future__ import annotations

import shutil
from pathlib import Path

from pipelines.sources.detect import recognise
from pipelines.sources.registry import BY_ID, FOLDERS
from tests.conftest import row, write_partner_csv
from tests.pipelines.sources.conftest import real_data_files, real_file
from tests.reliability.corpus import CASES
from tests.test_end_to_end import ingest_json, wppi

PARTNER = "partner"
FH = real_file("freedom_house_fiw/freedom-world_afg_extract.csv")
UNKNOWN = {
    "inventory.csv": b"item,quantity,warehouse\nblankets,40,Herat\n",
    "survey.json": b'{"respondents": 12, "questions": ["q1"]}\n',
    "notes.tsv": b"when\twho\twhat\n2024-01-02\tteam\tvisit\n",
}


def test_every_source_describes_its_format():
    assert all(source.description for source in BY_ID.values())


def test_every_real_file_is_recognised_as_its_source_by_content_alone(tmp_path):
    files = real_data_files()
    assert len(files) >= 40
    for path in files:
        # Copied into a neutral folder: the folder name must not be what decides.
        copy = tmp_path / path.name
        shutil.copyfile(path, copy)
        assert recognise(copy) == FOLDERS[path.parent.name].id, path


def test_every_bad_partner_file_still_goes_to_the_partner_adapter(tmp_path):
    for case in CASES:
        if case.name == "hundred_mb.csv":
            continue  # 100 MB to write; its header is the template's like the other cases
        path = case.write(tmp_path)
        assert recognise(path) == PARTNER, case.name


def test_files_of_no_known_format_are_not_recognised(tmp_path):
    for name, content in UNKNOWN.items():
        (tmp_path / name).write_bytes(content)
        assert recognise(tmp_path / name) is None, name


def test_ingest_takes_each_file_to_its_source_and_refuses_the_unknown(tmp_path):
    home = tmp_path / "home"
    partner = write_partner_csv(tmp_path / "submission.csv", [row()])
    unknown = tmp_path / "inventory.csv"
    unknown.write_bytes(UNKNOWN["inventory.csv"])
    code, lines = ingest_json(home, FH, partner, unknown)
    assert code == 1  # the unknown file is an error; the others are still ingested
    fh, sub, refused = lines
    assert fh["adapter"] == "freedom_house" and fh["error"] is None
    # The excerpt's 6 rows x the 6 scores the adapter maps.
    assert (fh["rows_in"], fh["rows_loaded"], fh["rows_quarantined"]) == (36, 36, 0)
    # Partner lines keep the keys they always had, and name their source like the others.
    assert set(sub) == {"file", "rows_in", "rows_loaded", "rows_quarantined", "error", "adapter"}
    assert sub["adapter"] == PARTNER
    assert (sub["rows_loaded"], sub["error"]) == (1, None)
    assert str(unknown) in refused["error"] and "no adapter recognises" in refused["error"]
    assert all(name in refused["error"] for name in BY_ID)
    assert refused["rows_in"] == 0
    landed = {p.name for p in (home / "landing").rglob("*") if p.is_file()}
    assert landed == {Path(FH).name, "submission.csv"}  # nothing of the unknown file kept
    # The same bytes again: recognised, landed once, nothing changed.
    code, [again] = ingest_json(home, FH)
    assert code == 0 and again["note"] == "content already ingested; nothing changed"


def test_source_flag_overrides_recognition(tmp_path):
    home = tmp_path / "home"
    done = wppi(home, "ingest", "--json", "--source", "partner", str(FH))
    assert done.returncode == 1
    assert "header has missing column(s)" in done.stdout
    assert (home / "landing" / "partner" / Path(FH).name).is_file()
    done = wppi(home, "ingest", "--source", "nonsense", str(FH))
    assert done.returncode == 2 and "invalid choice" in done.stderr


def test_unknown_file_alone_is_refused_and_nothing_runs(tmp_path):
    path = tmp_path / "survey.json"
    path.write_bytes(UNKNOWN["survey.json"])
    code, [line] = ingest_json(tmp_path / "home", path)
    assert code == 1 and "Known formats:" in line["error"]
    assert not (tmp_path / "home" / "warehouse" / "build.duckdb").exists()
