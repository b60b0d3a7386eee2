"""A fast path for plain CSV files: pyarrow reads them, with exact line numbers.

"Plain" means no quote characters, no backslashes, no control characters, no blank lines and
only `\\n` or `\\r\\n` line ends. In such a file each record is exactly one line, so the
record after the header at index i is on line i + 2, and the raw row's JSON can be built
column-wise without escaping. Anything else returns None and the caller's csv-module reader
handles it (the two give the same records; tests/pipelines/test_plain_csv.py holds them to it).
"""

from __future__ import annotations

import io
import re

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

# Quotes, backslashes and control characters other than line ends disqualify a file.
_NOT_PLAIN = re.compile(rb'["\\\x00-\x09\x0b\x0c\x0e-\x1f\x7f]')
_BOM = b"\xef\xbb\xbf"


def _plain(data: bytes) -> bool:
    return (
        _NOT_PLAIN.search(data) is None
        and data.count(b"\r") == data.count(b"\r\n")
        and b"\n\n" not in data
        and b"\n\r\n" not in data
    )


def read_plain(data: bytes, names: list[str], max_field_chars: int) -> pa.Table | None:
    """Records of a plain CSV with a valid header `names`: stripped text, `_line`, `_raw`.

    `_raw` is the row as submitted (unstripped), as JSON keyed by header name, identical to
    what orjson makes of the same dict. None when the file is not plain, does not parse or
    has a field longer than `max_field_chars` (the csv-module reader quarantines that row).
    """
    data = data.removeprefix(_BOM)
    if not _plain(data) or not data.strip():
        return None
    options = pacsv.ReadOptions(column_names=names, skip_rows=1, block_size=1 << 24)
    convert = pacsv.ConvertOptions(
        column_types={name: pa.string() for name in names}, strings_can_be_null=False
    )
    parse = pacsv.ParseOptions(newlines_in_values=False, ignore_empty_lines=False)
    try:
        table = pacsv.read_csv(io.BytesIO(data), options, parse, convert)
    except pa.ArrowInvalid:
        return None  # a row with the wrong number of fields: the csv-module reader names it
    lines = data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
    if table.num_rows != lines - 1:
        return None
    if any((pc.max(pc.utf8_length(table[name])).as_py() or 0) > max_field_chars for name in names):
        return None
    parts = []
    for position, name in enumerate(names):
        parts += [("{" if position == 0 else ",") + f'"{name}":"', table[name], '"']
    raw = pc.binary_join_element_wise(*parts, "}", "")
    columns = {name: pc.utf8_trim_whitespace(table[name]) for name in names}
    columns["_line"] = pa.array(range(2, table.num_rows + 2), pa.int64())
    columns["_raw"] = raw
    return pa.table(columns)
