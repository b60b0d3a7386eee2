"""`wppi extract`: write or copy a snapshot's extract, and verify one's checksums."""

import shutil

import pytest

from pipelines.cli import main
from warehouse.extract_store import read_manifest, verify_extract
from warehouse.snapshots import current_snapshot


@pytest.fixture
def published(sample_home, tmp_path, monkeypatch):
    """A home holding only the sample's snapshots: no extract written yet."""
    home = tmp_path / "wppi"
    shutil.copytree(sample_home / "snapshots", home / "snapshots")
    monkeypatch.setenv("WPPI_HOME", str(home))
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster"))
    return home


def test_extract_writes_the_current_snapshot_then_copies_it(published, tmp_path, capsys):
    snapshot_id = current_snapshot(published / "snapshots").id
    assert main(["extract"]) == 0
    written = published / "extracts" / snapshot_id
    assert capsys.readouterr().out.strip() == str(written)
    assert verify_extract(written) == []
    out = tmp_path / "out"
    assert main(["extract", "--snapshot", snapshot_id, "--out", str(out)]) == 0
    copied = out / snapshot_id
    assert capsys.readouterr().out.strip() == str(copied)
    assert sorted(p.name for p in copied.iterdir()) == sorted(p.name for p in written.iterdir())
    assert read_manifest(copied) == read_manifest(written)
    assert main(["extract", "--verify", str(copied)]) == 0


def test_verify_fails_naming_the_damaged_file(published, tmp_path, capsys):
    assert main(["extract", "--out", str(tmp_path / "out")]) == 0
    folder = tmp_path / "out" / current_snapshot(published / "snapshots").id
    with (folder / "geographies.parquet").open("ab") as handle:
        handle.write(b"tampered")
    capsys.readouterr()
    assert main(["extract", "--verify", str(folder)]) == 1
    assert "geographies.parquet: sha256" in capsys.readouterr().err


def test_unknown_snapshot_is_a_clear_error(published):
    with pytest.raises(SystemExit, match="20990101T000000.000Z-deadbeef is not on disk"):
        main(["extract", "--snapshot", "20990101T000000.000Z-deadbeef"])
    with pytest.raises(SystemExit, match="'../x' is not a snapshot id"):
        main(["extract", "--snapshot", "../x"])
