"""Insecurity Insight incident files (SiND, HDX): counted by province x month x victim sex.

Incidents are never stored. The reader keeps, per incident, only its month, province,
country code and the count columns it needs: descriptions, perpetrator names, coordinates,
location types, event ids and every other column are dropped while reading, so neither the
warehouse nor its quarantine ever holds them. Incidents whose province is "No Information"
count towards Afghanistan only.
"""

from __future__ import annotations

from pathlib import Path

from pipelines.batches import ConformedBatch, FileRejected, RawBatch
from pipelines.sources.declaration import Freshness, SourceDeclaration
from pipelines.sources.long_records import (
    LongRecords,
    conform_aggregated,
    raw_json,
    read_table,
)
from warehouse.catalog import Catalog

ADAPTER = "insecurity_insight"
SOURCE_ID = "insecurity_insight.sind"
HARMS = ("Killed", "Injured", "Kidnapped", "Arrested")
# File kind -> (the column that identifies it, incident-count indicator).
KINDS = {
    "aid_workers": ("Aid Workers Killed", "security.aid_worker_incidents"),
    "education": ("Attacks on Schools", "education.attack_incidents"),
    "sexual_violence": ("Number of Reported Victims", None),
    "protection": ("Camp Resident Killed", "security.displacement_camp_incidents"),
    "health": ("Health Workers Killed", "health.attack_incidents"),
}
UNKNOWN_PROVINCE = {"", "no information"}
SEX = {"female": "F", "male": "M"}


def _kind(path: Path, header: list[str]) -> str:
    for kind, (column, _) in KINDS.items():
        if column in header:
            return kind
    raise FileRejected(
        f"{path.name}: line 1: not an Insecurity Insight layout WPPI knows ({', '.join(KINDS)})"
    )


def _whole(text: str) -> str:
    return text.strip() or "0"


def _victims(kind: str, row: dict) -> list[tuple[str, str, str]]:
    """(indicator, sex, count) contributions of one incident besides the incident itself."""
    if kind == "aid_workers":
        total = [row[f"Aid Workers {h}"] for h in HARMS]
        female = [row[f"Female Aid Workers {h}"] for h in HARMS]
        male = [row[f"Male Aid Workers {h}"] for h in HARMS]
        sums = {sex: _sum(v) for sex, v in (("_T", total), ("F", female), ("M", male))}
        return [("security.aid_worker_victims", sex, n) for sex, n in sums.items()]
    if kind == "sexual_violence":
        victims = _whole(row["Number of Reported Victims"])
        out = [("security.crsv_victims", "_T", victims)]
        sex = SEX.get(row.get("Survivor Or Victim Sex", "").strip().lower())
        return out + ([("security.crsv_victims", sex, victims)] if sex else [])
    return []


def _sum(values: list[str]) -> str:
    texts = [_whole(v) for v in values]
    return str(sum(int(t) for t in texts)) if all(t.isdigit() for t in texts) else "+".join(texts)


def read_insecurity_insight_file(path: Path) -> RawBatch:
    data, _, lines = read_table(path)
    out = LongRecords(ADAPTER, path, data)
    header = [name.strip() for name in lines[0][1]]
    kind = _kind(path, header)
    incidents = KINDS[kind][1]
    for line, fields in lines[1:]:
        row = dict(zip(header, fields, strict=False))
        month = row.get("Date", "")[:7]
        province = row.get("Admin 1", "").strip()
        place = row.get("Country ISO", "") if province.lower() in UNKNOWN_PROVINCE else province
        records = ([(incidents, "_T", "1")] if incidents else []) + _victims(kind, row)
        for indicator, sex, count in records:
            # Only the mapped, non-personal fields, for the quarantine trace.
            raw = raw_json(
                {
                    "month": month,
                    "Admin 1": province,
                    "Country ISO": row.get("Country ISO", ""),
                    "indicator": indicator,
                    "sex": sex,
                    "count": count,
                }
            )
            out.add(
                line,
                raw,
                source_id=SOURCE_ID,
                indicator=indicator,
                place=place,
                period=month,
                sex=sex,
                value=count,
                verification="single_source",
            )
    return out.batch()


def conform_insecurity_insight(batch: RawBatch, catalog: Catalog) -> ConformedBatch:
    return conform_aggregated(batch, catalog, lambda r: r["indicator"], roll_up=True)


SOURCE = SourceDeclaration(
    id=ADAPTER,
    description="Insecurity Insight incident CSV (SiND Event ID,...)",
    read=read_insecurity_insight_file,
    conform=conform_insecurity_insight,
    source_id=SOURCE_ID,
    signatures=("SiND Event ID", "SIND Event ID", "SiND ID"),
    incident_level=True,
    freshness=Freshness(data_period="P6M"),
)
