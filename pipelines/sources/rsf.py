"""RSF World Press Freedom Index yearly files (2013-2026) and OWID's republication.

The yearly files are `;`-separated, in the encoding of their year (double-encoded UTF-8,
UTF-8 or Windows-1252; detected by charset-normalizer, see long_records.decode), and their
scores have lost the decimal separator: `3827` is 38.27 and, with the trailing zero
dropped, `251` is 25.1. `repair_score` puts the point back after two integer digits (every
published score lies in [10, 100)); where the file also gives last year's score and the
change with its decimal comma intact (2023 on), the repaired score must agree with them or
the record is quarantined as ambiguous.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

from pipelines.batches import FileRejected, RawBatch
from pipelines.sources.declaration import Freshness, SourceDeclaration
from pipelines.sources.long_records import (
    LongRecords,
    plain_number,
    raw_json,
    read_table,
    wide_records,
)

ADAPTER = "rsf"
SOURCE_ID = "rsf.wpfi"
# This year's score and rank, as each edition names them ("Score N", "Score", "Score 2025").
SCORE_COLUMN = re.compile(r"^Score( N| \d{4})?$")
RANK_COLUMN = re.compile(r"^Rank( N)?$")


def repair_score(text: str) -> str | None:
    """Decimal text of a score whose decimal separator was lost ("3827" -> "38.27")."""
    text = text.strip()
    if not text.isdigit():
        return plain_number(text, decimal_comma=True)
    if len(text) <= 2:
        return text
    return f"{text[:2]}.{text[2:]}"


def _agrees(score: str, previous: str | None, change: str | None) -> bool:
    """Score = last year's score + change, when the file gives both (change keeps its comma)."""
    if not previous or not change:
        return True
    last, delta = repair_score(previous), plain_number(change, decimal_comma=True)
    if last is None or delta is None:
        return True
    return abs(Decimal(score) - (Decimal(last) + Decimal(delta))) <= Decimal("0.011")


def _yearly(out: LongRecords, lines: list) -> None:
    header = [name.strip() for name in lines[0][1]]
    score_column = next((c for c in header if SCORE_COLUMN.match(c)), None)
    rank_column = next((c for c in header if RANK_COLUMN.match(c)), None)
    if score_column is None or rank_column is None or "ISO" not in header:
        raise FileRejected(
            f"{out.path.name}: line 1: an RSF yearly file needs ISO, Score (N) and Rank (N) columns"
        )
    # An edition without a Year (N) column names its year in the score column ("Score 2025").
    edition = score_column.removeprefix("Score").strip()
    for line, fields in lines[1:]:
        row = dict(zip(header, fields, strict=False))
        iso = row.get("ISO", "")
        year = row.get("Year (N)") or (edition if edition.isdigit() else "")
        kept = {
            k: row.get(k)
            for k in ("ISO", "Year (N)", score_column, rank_column, "Score N-1", "Score evolution")
            if k in row
        }
        raw = raw_json(kept)
        score = repair_score(row.get(score_column, ""))
        if score is not None:
            if _agrees(score, row.get("Score N-1"), row.get("Score evolution")):
                out.add(
                    line,
                    raw,
                    source_id=SOURCE_ID,
                    indicator="score",
                    place=iso,
                    period=year,
                    value=score,
                )
            else:
                out.reject_row(
                    line,
                    raw,
                    f"{score_column}: '{row[score_column]}' has lost "
                    "its decimal point and no reading agrees with Score N-1 + "
                    "Score evolution",
                    "score.decimal_lost",
                )
        rank = plain_number(row.get(rank_column, ""))
        if rank is not None:
            out.add(
                line, raw, source_id=SOURCE_ID, indicator="rank", place=iso, period=year, value=rank
            )


def read_rsf_file(path: Path) -> RawBatch:
    data, _, lines = read_table(path)
    out = LongRecords(ADAPTER, path, data)
    if lines[0][1][:2] == ["Entity", "Year"]:  # OWID: old orientation, decimals intact
        wide_records(
            out,
            lines,
            source_id=SOURCE_ID,
            place="Entity",
            period="Year",
            skip=("Press Freedom Status",),
        )
    else:
        _yearly(out, lines)
    return out.batch()


SOURCE = SourceDeclaration(
    id=ADAPTER,
    description="RSF World Press Freedom Index yearly CSV, OWID republication",
    read=read_rsf_file,
    source_id=SOURCE_ID,
    folders=("rsf_press_freedom",),
    signatures=("Year (N);ISO", "ISO;Score", "Press Freedom Score"),
    freshness=Freshness(data_period="P2Y"),
)
