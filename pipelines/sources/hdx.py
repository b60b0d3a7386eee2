"""HDX tables tagged with HXL (a `#tag` row under the header), whatever their publisher:
one record per figure cell, its indicator found through the catalog's `hdx` aliases.

Columns are found by tag, never by position or header text. Roles: the place is the
`#adm1+name` column when there is one (a province, by name), else the `#country+code`
column (`+asylum` preferred when a file has several); the period is
`#date+year` or `#date+start` (with `#date+end`: a whole year or month becomes that
period), the sex is a `#gender+code`/`#sex` column or a `+f`/`+m` attribute on the figure's
tag. Every `#population`, `#affected`, `#inneed`, `#targeted` or `#reached` column is a figure;
descriptive columns (names, notes, organisations) are not read. Totals are loaded as given:
a total is never derived from its sex parts, nor a part from a total.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from pipelines.batches import ConformedBatch, FileRejected, RawBatch
from pipelines.sources.declaration import Freshness, SourceDeclaration
from pipelines.sources.hxl import is_hxl_row, parse_tag
from pipelines.sources.long_records import (
    LongRecords,
    conform_long,
    plain_number,
    raw_json,
    read_table,
)
from warehouse.catalog import Catalog

ADAPTER = "hdx"
SOURCE_ID = "hdx.hxl"
FIGURES = ("#population", "#affected", "#inneed", "#targeted", "#reached")
SEX_ATTRIBUTES = {"f": "F", "female": "F", "m": "M", "male": "M"}
SEX_VALUES = {
    "f": "F",
    "female": "F",
    "m": "M",
    "male": "M",
    "t": "_T",
    "total": "_T",
    "all": "_T",
    "both": "_T",
    "": "_T",
}


def _column(tags: list[str], hashtag: str, attribute: str | None = None) -> int | None:
    """The first column tagged `hashtag` (carrying `attribute`, when given), or None."""
    return next(
        (
            i
            for i, tag in enumerate(tags)
            if parse_tag(tag)[0] == hashtag
            and (attribute is None or attribute in parse_tag(tag)[1])
        ),
        None,
    )


def _period(start: str, end: str | None) -> str:
    """`2023-01-01`..`2023-12-31` -> 2023; a whole month -> 2023-05; else the start."""
    try:
        first = date.fromisoformat(start.strip()[:10])
        last = date.fromisoformat(end.strip()[:10]) if end else None
    except ValueError:
        return start.strip()
    if last and (first.month, first.day, last.month, last.day) == (1, 1, 12, 31):
        return str(first.year) if first.year == last.year else start.strip()
    if last and first.day == 1 and (last.year, last.month) == (first.year, first.month):
        return f"{first:%Y-%m}"
    return start.strip()


def read_hdx_file(path: Path) -> RawBatch:
    data, _, lines = read_table(path)
    out = LongRecords(ADAPTER, path, data)
    if len(lines) < 2 or not is_hxl_row(lines[1][1]):
        raise FileRejected(f"{path.name}: line 2: expected an HXL hashtag row")
    (_, header), (_, tags), *rows = lines
    if len(header) != len(tags):
        raise FileRejected(
            f"{path.name}: line 2: the HXL row has {len(tags)} tags for {len(header)} columns"
        )
    places = (
        _column(tags, "#adm1", "name"),
        _column(tags, "#country", "asylum"),
        _column(tags, "#country", "code"),
    )
    place = next((c for c in places if c is not None), None)
    year, end = _column(tags, "#date", "year"), _column(tags, "#date", "end")
    start = _column(tags, "#date", "start")
    when = next((c for c in (year, start, _column(tags, "#date")) if c is not None), None)
    end = end if when == start else None
    sex = _column(tags, "#gender")
    sex = _column(tags, "#sex") if sex is None else sex
    if place is None or when is None:
        raise FileRejected(
            f"{path.name}: line 2: an HXL table needs a #country+code or "
            "#adm1+name column and a #date+year or #date+start column"
        )
    figures = [i for i, tag in enumerate(tags) if parse_tag(tag)[0] in FIGURES]
    for line, fields in rows:
        row = dict(zip(header, fields, strict=False))
        if len(fields) < len(tags):
            out.reject_row(
                line,
                raw_json(row),
                f"row: has {len(fields)} fields, the tag row has {len(tags)}",
                "row.field_count",
            )
            continue
        period = _period(fields[when], fields[end] if end is not None else None)
        row_sex = SEX_VALUES.get(fields[sex].strip().lower()) if sex is not None else "_T"
        for column in figures:
            value = plain_number(fields[column])
            if value is None:
                continue  # an empty cell is no figure
            attributes = parse_tag(tags[column])[1]
            cell_sex = next((SEX_ATTRIBUTES[a] for a in attributes if a in SEX_ATTRIBUTES), row_sex)
            raw = raw_json(
                {
                    header[place]: fields[place],
                    header[when]: fields[when],
                    **({header[sex]: fields[sex]} if sex is not None else {}),
                    header[column]: fields[column],
                }
            )
            out.add(
                line,
                raw,
                source_id=SOURCE_ID,
                indicator=tags[column].strip().lower(),
                place=fields[place],
                period=period,
                sex=cell_sex or "?",
                value=value,
            )
    return out.batch()


def _key(tag: str) -> tuple[str, frozenset[str]]:
    """A tag's hashtag and attributes in any order, sex, `num`, `i` and `total` aside (the
    record's sex already says them): the form in which columns meet `hdx` aliases."""
    name, attributes = parse_tag(tag)
    return name, frozenset(attributes - set(SEX_ATTRIBUTES) - {"num", "i", "total"})


def conform_hdx(batch: RawBatch, catalog: Catalog) -> ConformedBatch:
    by_key = {_key(alias): code for alias, code in catalog.publisher_codes(ADAPTER).items()}
    return conform_long(batch, catalog, lambda record: by_key.get(_key(record["indicator"])))


SOURCE = SourceDeclaration(
    id=ADAPTER,
    description="HDX table with an HXL tag row (#country+code, #date+year or #date+start, "
    "#population / #affected... figures, #gender+code)",
    read=read_hdx_file,
    conform=conform_hdx,
    source_id=SOURCE_ID,
    folders=("hdx_hxl",),
    signatures=("#country+code",),
    freshness=Freshness(data_period="P2Y"),
)
