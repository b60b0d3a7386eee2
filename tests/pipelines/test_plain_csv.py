"""The pyarrow fast path reads plain partner files exactly as the csv-module reader does."""

from __future__ import annotations

import pytest

import pipelines.sources.partner as partner
from pipelines.sources.partner import HEADER, MAX_FIELD_CHARS, read_partner_file
from pipelines.sources.plain_csv import read_plain
from tests.conftest import SAMPLE_CSV

HEAD = ",".join(HEADER)
ROW = "business.women_led_closures,AF-KAB,2022-03,,,12,,,A,partner.ngo,verified"

PLAIN = {
    "sample": SAMPLE_CSV.read_text(encoding="utf-8"),
    "no final newline": f"{HEAD}\n{ROW}\n{ROW.replace('12', '13')}",
    "crlf": f"{HEAD}\r\n{ROW}\r\n",
    "bom and padded fields": "\ufeff" + f"{HEAD}\n" + ROW.replace(",12,", ",  12 ,") + "\n",
    "unicode text and spaces": f"{HEAD}\n" + ROW.replace("AF-KAB", "\u00a0AF-KAB\u2003")
    .replace(",12,", ",١٢,") + "\n",
    "header only": f"{HEAD}\n",
    "columns reordered": "value," + HEAD.replace(",value", "") + "\n7,"
    + ROW.replace(",12", "") + "\n",
}  # fmt: skip
NOT_PLAIN = {
    "quoted field": f'{HEAD}\n{ROW.replace("AF-KAB", chr(34) + "AF-KAB" + chr(34))}\n',
    "blank line": f"{HEAD}\n{ROW}\n\n{ROW}\n",
    "too many fields": f"{HEAD}\n{ROW}\n{ROW},extra\n{ROW}\n",
    "too few fields": f"{HEAD}\n{ROW}\nAFG\n",
    "tab in a field": f"{HEAD}\n" + ROW.replace(",12,", ",\t12,") + "\n",
    "backslash": f"{HEAD}\n" + ROW.replace("AF-KAB", "AF\\KAB") + "\n",
    "field too long": f"{HEAD}\n{ROW}\n"
    + ROW.replace("AF-KAB", "K" * (MAX_FIELD_CHARS + 1)) + "\n",
}  # fmt: skip


@pytest.mark.parametrize("name", [*PLAIN, *NOT_PLAIN])
def test_fast_and_csv_module_readers_agree(name, tmp_path, monkeypatch):
    path = tmp_path / "in.csv"
    path.write_text({**PLAIN, **NOT_PLAIN}[name], encoding="utf-8", newline="")
    fast = read_partner_file(path)
    monkeypatch.setattr(partner, "read_plain", lambda data, names, limit: None)
    slow = read_partner_file(path)
    assert fast.records.equals(slow.records)
    assert fast.malformed.equals(slow.malformed)
    assert fast.rows_in == slow.rows_in


@pytest.mark.parametrize("name", [*PLAIN, *NOT_PLAIN])
def test_only_plain_files_take_the_fast_path(name):
    data = {**PLAIN, **NOT_PLAIN}[name].encode()
    header = data.removeprefix(b"\xef\xbb\xbf").split(b"\n")[0].decode().strip()
    names = [n.strip() for n in header.split(",")]
    assert (read_plain(data, names, MAX_FIELD_CHARS) is not None) == (name in PLAIN)


def test_fast_path_line_numbers_and_raw_rows(tmp_path):
    path = tmp_path / "in.csv"
    path.write_text(PLAIN["bom and padded fields"], encoding="utf-8")
    records = read_partner_file(path).records
    assert records["_line"].to_pylist() == [2]
    assert records["value"].to_pylist() == ["12"]
    assert '"value":"  12 "' in records["_raw"][0].as_py()


def test_a_too_long_field_is_quarantined_by_its_row_on_either_path(tmp_path):
    path = tmp_path / "in.csv"
    path.write_text(NOT_PLAIN["field too long"], encoding="utf-8")
    batch = read_partner_file(path)
    assert batch.records["_line"].to_pylist() == [2]
    assert batch.malformed["line"].to_pylist() == [3]
    assert "[field.too_long]" in batch.malformed["reasons"][0].as_py()[0]
