"""Georgetown WPS Index country tables (2023/24 processed, 2025/26 clean export) -> index
score and rank for the edition's first year. The component columns are not published."""

from __future__ import annotations

from pathlib import Path

from pipelines.batches import RawBatch
from pipelines.sources.declaration import (
    UNMAPPED_RULES,
    Freshness,
    QuarantinePolicy,
    SourceDeclaration,
)
from pipelines.sources.long_records import (
    LongRecords,
    raw_json,
    read_table,
    wide_records,
)

ADAPTER = "giwps"
SOURCE_ID = "giwps.wps_index"
# Component scores of both editions (snake_case in 2023, title case in 2025).
COMPONENTS_2023 = (
    "education",
    "employment",
    "financial_inclusion",
    "cell_phone_use",
    "parliamentary_representation",
    "absence_of_legal_discrimination",
    "access_to_justice",
    "maternal_mortality_ratio",
    "son_bias",
    "intimate_partner_violence_",
    "community_safety",
    "political_violence_targeting_women",
    "proximity_to_conflict",
)
COMPONENTS_2025 = (
    "Education",
    "Employment",
    "Financial Inclusion",
    "Cell Phone Use",
    "Parliamentary Representation",
    "Absence of Legal Discrimination",
    "Access to Justice",
    "Maternal Mortality Ratio",
    "Son Bias",
    "Intimate partner violence",
    "Community Safety",
    "Political Violence Targeting Women",
    "Proximity to Conflict",
)
NOT_MAPPED = ("country", "Country", "Region", *COMPONENTS_2023, *COMPONENTS_2025)
# The workbook's cell dump repeats the clean export's table inside title rows, spacer and
# footnote columns; it is refused row by row (quarantined with this reason), not parsed.
CELL_DUMP_REASON = (
    "file: raw workbook cell dump (TABLE 1 of the GIWPS xlsx); its values are "
    "the 2025/26 clean export's, so they are not loaded twice"
)


def _edition(path: Path) -> str:
    return "2025" if "2025" in path.name else "2023"


def read_giwps_file(path: Path) -> RawBatch:
    data, _, lines = read_table(path)
    out = LongRecords(ADAPTER, path, data)
    if "celldump" in path.name:
        for line, fields in lines:
            out.reject_row(
                line,
                raw_json({str(i): f for i, f in enumerate(fields) if f}),
                CELL_DUMP_REASON,
                "file.cell_dump",
            )
        return out.batch()
    place = "iso3" if "iso3" in lines[0][1] else "Code"
    edition = _edition(path)
    wide_records(
        out, lines, source_id=SOURCE_ID, place=place, period=lambda _: edition, skip=NOT_MAPPED
    )
    return out.batch()


SOURCE = SourceDeclaration(
    id=ADAPTER,
    description="Georgetown Women, Peace and Security Index CSV",
    read=read_giwps_file,
    source_id=SOURCE_ID,
    folders=("giwps_wps_index",),
    signatures=("women_peace_and_security_index", "Women, Peace, and Security Index"),
    freshness=Freshness(data_period="P4Y"),
    # The workbook's raw cell dump repeats the clean export's values: quarantined whole by
    # design (file.cell_dump), so its rows say nothing about the delivery's quality.
    quarantine=QuarantinePolicy(not_counted=(*UNMAPPED_RULES, "file.cell_dump")),
)
