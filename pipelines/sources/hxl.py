"""HXL-tagged CSV (a `#tag` row under the header, as HDX publishes): columns found by tag.

Mapping goes by hashtag and attributes, never by position or header text, so a file with
its columns reordered or renamed reads the same.
"""

from __future__ import annotations

from pipelines.batches import FileRejected
from pipelines.sources.long_records import LongRecords, plain_number, raw_json

# What a long record needs -> the HXL tag pattern carrying it.
TAGS = {
    "place": "#country+code",
    "period": "#date+year",
    "indicator": "#indicator+code",
    "value": "#indicator+value",
}


def is_hxl_row(fields: list[str]) -> bool:
    tags = [f.strip() for f in fields if f.strip()]
    return bool(tags) and all(tag.startswith("#") for tag in tags)


def parse_tag(text: str) -> tuple[str, set[str]]:
    """`#Affected+IDPs+num` -> ("#affected", {"idps", "num"}): HXL is case-insensitive."""
    name, *attributes = text.strip().lower().split("+")
    return name, set(attributes)


def _matches(tag: str, pattern: str) -> bool:
    """`#indicator+value+num` matches `#indicator+value`: same hashtag, attributes included."""
    name, attrs = parse_tag(tag)
    want, wanted = parse_tag(pattern)
    return name == want and wanted <= attrs


def tag_columns(file_name: str, hxl_row: list[str]) -> dict[str, int]:
    columns = {}
    for need, pattern in TAGS.items():
        found = [i for i, tag in enumerate(hxl_row) if _matches(tag, pattern)]
        if len(found) != 1:
            raise FileRejected(
                f"{file_name}: line 2: HXL row needs exactly one column tagged {pattern}, "
                f"found {len(found)}"
            )
        columns[need] = found[0]
    return columns


def hxl_records(out: LongRecords, lines: list, source_id: str) -> None:
    """One long record per data row of an HXL table (header line, tag line, data)."""
    (_, header), (_, tags), *rows = lines
    if not is_hxl_row(tags):
        raise FileRejected(f"{out.path.name}: line 2: expected an HXL hashtag row")
    columns = tag_columns(out.path.name, tags)
    for line, fields in rows:
        raw = raw_json(dict(zip(header, fields, strict=False)))
        if len(fields) < len(header):
            out.reject_row(
                line,
                raw,
                f"row: has {len(fields)} fields, the header has {len(header)}",
                "row.field_count",
            )
            continue
        value = plain_number(fields[columns["value"]])
        if value is None:
            out.reject_row(line, raw, "value: empty (the source gives no figure)", "value.empty")
            continue
        out.add(
            line,
            raw,
            source_id=source_id,
            indicator=fields[columns["indicator"]],
            place=fields[columns["place"]],
            period=fields[columns["period"]],
            value=value,
        )
