"""The partner pipeline materialised in-process into a temporary WPPI_HOME."""

import duckdb

from tests.conftest import land, row, run_partner
from warehouse.personal_data import file_label
from warehouse.snapshots import current_snapshot


def _outcomes(result):
    """Outcomes by file name (runs know files by label: a name may hold personal data)."""
    found = {o["file_name"]: o for o in result.output_for_node("partner_observations")}
    return _ByName(found)


class _ByName(dict):
    def __getitem__(self, name):
        return super().__getitem__(file_label(name))


def _warehouse(home):
    return duckdb.connect(str(home / "warehouse" / "build.duckdb"), read_only=True)


def test_run_loads_good_rows_quarantines_bad_ones_and_publishes(home):
    land(home, "a.csv", [row(), row(period="2022-04", value="x"), row(period="2031-01")])
    result = run_partner(home)
    assert result.success
    outcome = _outcomes(result)["a.csv"]
    assert (outcome["rows_in"], outcome["rows_loaded"], outcome["rows_quarantined"]) == (3, 1, 2)
    con = _warehouse(home)
    lines = con.execute("select line from quarantine order by line").fetchall()
    con.close()
    assert lines == [(3,), (4,)]
    checks = {
        e.asset_check_key.name: e.passed
        for e in result.get_asset_check_evaluations()
        if e.asset_check_key.asset_key.path[-1].endswith("partner")
        or e.asset_check_key.asset_key.path[-1] == "partner_observations"
    }
    # Partner files are judged row by row: bad rows warn, the file is never held back.
    assert checks == {"files_readable": True, "rows_pass_rules": False,
                      "quarantine_within_policy": True, "counts_add_up": True}  # fmt: skip
    assert current_snapshot(home / "snapshots") is not None


def test_same_bytes_twice_change_nothing(home):
    land(home, "a.csv", [row()])
    first = run_partner(home)
    snapshot = current_snapshot(home / "snapshots")
    second = run_partner(home, files=["a.csv"])
    assert first.success and second.success
    assert _outcomes(second) == {}
    assert current_snapshot(home / "snapshots") == snapshot
    con = _warehouse(home)
    assert con.execute("select count(*) from observations").fetchone()[0] == 1
    con.close()


def test_unreadable_file_is_rejected_with_its_reason_and_others_still_load(home):
    land(home, "good.csv", [row()])
    folder = home / "landing" / "partner"
    (folder / "bad.csv").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00binary")
    (folder / "drift.csv").write_text("indicator_code,geo_code,period,name\nx,y,2022,Ahmad\n")
    result = run_partner(home)
    assert result.success
    outcomes = _outcomes(result)
    assert outcomes["good.csv"]["rows_loaded"] == 1
    assert "binary" in outcomes["bad.csv"]["error"]
    drift = outcomes["drift.csv"]
    assert "line 1" in drift["error"] and "1 unknown column(s) at position(s) 4" in drift["error"]
    assert "expected indicator_code,geo_code" in drift["error"]
    assert "name" not in drift["error"].split("expected")[0] and "Ahmad" not in drift["error"]
    assert (drift["rows_in"], drift["rows_loaded"], drift["rows_quarantined"]) == (1, 0, 1)
    [check] = [e for e in result.get_asset_check_evaluations()
               if e.asset_check_key.name == "files_readable"
               and e.asset_check_key.asset_key.path[-1] == "validated_partner"]  # fmt: skip
    assert not check.passed


def test_a_failed_load_publishes_nothing(home, monkeypatch):
    land(home, "a.csv", [row()])
    assert run_partner(home).success
    before = current_snapshot(home / "snapshots")

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("pipelines.defs.source_steps.load_batches", broken)
    land(home, "b.csv", [row(value="99")])
    result = run_partner(home, files=["b.csv"])
    assert not result.success
    assert current_snapshot(home / "snapshots") == before


def test_symlink_out_of_the_landing_folder_is_refused(home, tmp_path):
    secret = tmp_path / "secret.csv"
    secret.write_text("indicator_code\n")
    folder = home / "landing" / "partner"
    folder.mkdir(parents=True)
    (folder / "link.csv").symlink_to(secret)
    outcome = _outcomes(run_partner(home, files=["link.csv"]))["link.csv"]
    assert "outside the landing folder" in outcome["error"]


def test_a_data_row_pasted_as_header_is_reported_by_position_not_by_value(tmp_path):
    from pipelines.sources.partner import read_partner_file

    path = tmp_path / "pasted.csv"
    # indicator_code kept at 1, then three values where columns belong, then geo_code at 5.
    path.write_text("indicator_code,Mariam Ahmadi,+93700123456,34.52,geo_code\nx,y,z,w,v\n")
    error = read_partner_file(path).error
    assert error.startswith("pasted.csv: line 1: header has missing column(s) period")
    assert "3 unknown column(s) at position(s) 2-4" in error
    assert "expected indicator_code,geo_code,period" in error
    for value in ("Mariam", "+93700123456", "34.52"):
        assert value not in error
