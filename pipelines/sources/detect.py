"""Which adapter takes a file: by the folder it was delivered in, else by its content."""

from __future__ import annotations

from pathlib import Path

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
}
# Content signatures, checked in order against the first 4 KB of a file (decoded loosely).
SIGNATURES = (
    ("worldbank", ('"Data Source","World Development Indicators"', "Series Code;",
                   "#indicator+code", '"page":')),
    ("unhcr", ("coo_iso,coa_name", "coo_iso,coa")),
    ("vdem", ("country_text_id",)),
    ("wbl", ("wbl_index",)),
    ("freedom_house", ("country,year,status,pr_rating",)),
    ("giwps", ("women_peace_and_security_index", "Women, Peace, and Security Index")),
    ("undp_hdr", ("indicator_id,indicator_name,index_id", "Gender Development Index")),
    ("rsf", ("Year (N);ISO", "ISO;Score", "Press Freedom Score")),
    ("insecurity_insight", ("SiND Event ID", "SIND Event ID", "SiND ID")),
    ("cpj", ("journalist/media worker_name",)),
    ("owid", ("Entity,Code,Year",)),
)  # fmt: skip
DOCUMENTATION = (".md", ".txt", ".pdf")


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
