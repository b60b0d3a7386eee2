"""Which adapter takes a file: by the folder it was delivered in, else by its content.

`wppi run --input` uses the folder first (`detect_adapter`); `wppi ingest` looks at content
only (`recognise`), and also knows the partner template.
"""

from __future__ import annotations

import re
from pathlib import Path

from pipelines.sources import policy_tracker

# Folder names monitors (and ../shared/data/real) use -> adapter.
FOLDERS = {
    "worldbank_wdi": "worldbank",
    "unhcr_refugees": "unhcr",
    "owid_grapher": "owid",
    "vdem": "vdem",
    "wbl_women_business_law": "wbl",
    "freedom_house_fiw": "freedom_house",
    "giwps_wps_index": "giwps",
    "undp_hdr": "undp_hdr",
    "unesco_uis": "unesco_uis",
    "rsf_press_freedom": "rsf",
    "insecurity_insight": "insecurity_insight",
    "cpj_journalists_killed": "cpj",
    policy_tracker.FOLDER: policy_tracker.ADAPTER,
}
# Content signatures, checked in order against the first 4 KB of a file (decoded loosely).
SIGNATURES = (
    # UNHCR before World Bank: both APIs' JSON pages have a "page" key. UIS before World
    # Bank: both carry an HXL row with #indicator+code.
    ("unesco_uis", ("indicator_id,country_id,year,value", "INDICATOR_ID,INDICATOR_LABEL_EN")),
    ("unhcr", ("coo_iso,coa_name", "coo_iso,coa", '"coo_iso":')),
    ("worldbank", ('"Data Source","World Development Indicators"', "Series Code;",
                   "#indicator+code", '"page":', '"Country Code","Region","IncomeGroup"',
                   '"INDICATOR_CODE","INDICATOR_NAME","SOURCE_NOTE"')),
    ("vdem", ("country_text_id", "tag,name,level,part,big_5")),
    ("wbl", ("wbl_index",)),
    ("freedom_house", ("country,year,status,pr_rating",)),
    ("giwps", ("women_peace_and_security_index", "Women, Peace, and Security Index")),
    ("undp_hdr", ("indicator_id,indicator_name,index_id", "Gender Development Index")),
    ("rsf", ("Year (N);ISO", "ISO;Score", "Press Freedom Score")),
    ("insecurity_insight", ("SiND Event ID", "SIND Event ID", "SiND ID")),
    ("cpj", ("journalist/media worker_name",)),
    ("owid", ("Entity,Code,Year", '"originalChartUrl"')),
    (policy_tracker.ADAPTER, policy_tracker.SIGNATURES),
)  # fmt: skip
DOCUMENTATION = (".md", ".txt", ".pdf")
PARTNER = "partner"
# What each format looks like, for the message that refuses an unrecognised file.
FORMATS = {
    PARTNER: "WPPI partner template CSV (header indicator_code,geo_code,period,...)",
    "worldbank": "World Bank WDI bulk CSV, DataBank export, API v2 JSON, HDX HXL CSV",
    "unhcr": "UNHCR population / demographics (year,coo_name,...,coa_iso,...; API JSON)",
    "owid": "Our World in Data grapher CSV (Entity,Code,Year,...)",
    "vdem": "V-Dem country-year CSV (country_text_id,...)",
    "wbl": "Women, Business and the Law CSV (... wbl_index ...)",
    "freedom_house": "Freedom in the World CSV (country,year,status,pr_rating,...)",
    "giwps": "Georgetown Women, Peace and Security Index CSV",
    "undp_hdr": "UNDP HDRO indicator tables, HDR Table 4 export",
    "unesco_uis": "UNESCO UIS NATMON CSV with HXL row",
    "rsf": "RSF World Press Freedom Index yearly CSV, OWID republication",
    "insecurity_insight": "Insecurity Insight incident CSV (SiND Event ID,...)",
    "cpj": "CPJ journalists-killed CSV",
    policy_tracker.ADAPTER: policy_tracker.FORMAT,
}
# A partner file shares at least this many column names with the template: a renamed or
# missing column still goes to the partner adapter, which names the fault.
PARTNER_MIN_COLUMNS = 2


def detect_adapter(path: Path, known: set[str]) -> str | None:
    """The adapter for a file, or None when no adapter recognises it."""
    folder = FOLDERS.get(path.parent.name, path.parent.name)
    if folder in known:
        return folder
    head = path.read_bytes()[:4096].decode("utf-8", errors="replace")
    for adapter, signatures in SIGNATURES:
        if any(signature in head for signature in signatures):
            return adapter
    return None


def _not_text(head: bytes) -> bool:
    """Empty, binary (NUL bytes, also UTF-16) or gzip: not a table any adapter could read."""
    return not head.strip() or b"\x00" in head or head[:2] == b"\x1f\x8b"


def _partner_like(head: str) -> bool:
    from pipelines.sources.partner import HEADER

    first = head.lstrip("\ufeff").splitlines()[0] if head.strip() else ""
    names = {name.strip().strip('"').lower() for name in re.split(r"[,;\t|]", first)}
    return len(names & set(HEADER)) >= PARTNER_MIN_COLUMNS


def recognise(path: Path, known: set[str]) -> str | None:
    """The adapter for a file by its content alone, or None when no format fits.

    A published source's signature wins; then the partner template (even with a renamed,
    missing or extra column). A file that is not text at all (empty, binary, compressed) is
    handed to the partner adapter, the default intake, which refuses it with the exact reason
    and records the refusal -- as `wppi ingest` always did. Only a readable table whose header
    matches no format is unrecognised.
    """
    head_bytes = path.read_bytes()[:4096]
    head = head_bytes.decode("utf-8", errors="replace")
    for adapter, signatures in SIGNATURES:
        if adapter in known and any(signature in head for signature in signatures):
            return adapter
    if _partner_like(head) or _not_text(head_bytes):
        return PARTNER
    return None


def unrecognised_message(path: Path, known: set[str]) -> str:
    formats = "; ".join(f"{name}: {FORMATS.get(name, name)}" for name in sorted(known))
    return (
        f"{path}: no adapter recognises this file's format (header and first lines match none "
        f"of the known formats); pass --source NAME to choose one. Known formats: {formats}"
    )
