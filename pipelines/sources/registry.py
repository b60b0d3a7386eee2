"""The registry: every source WPPI reads, one declaration each (pipelines/sources/<id>.py).

Adding a source is its module's `SOURCE = SourceDeclaration(...)` and one line here; the
Dagster assets, sensor and job, content detection, the freshness check and the CLI's
`--source` choice all follow from this tuple.
"""

from __future__ import annotations

from pipelines.sources import (
    cpj,
    freedom_house,
    giwps,
    hdx,
    insecurity_insight,
    owid,
    partner,
    policy_tracker,
    rsf,
    undp_hdr,
    unesco_uis,
    unhcr,
    vdem,
    wbl,
    worldbank,
)
from pipelines.sources.declaration import SourceDeclaration

# In detection order: the first declaration that recognises a file's head takes it. UNHCR
# and UIS come before World Bank (the APIs' JSON pages share a "page" key; UIS and HDX both
# carry an #indicator+code row), and all three before the generic HDX/HXL reader; the
# partner template, known by its column names, is last.
SOURCES: tuple[SourceDeclaration, ...] = (
    unesco_uis.SOURCE,
    unhcr.SOURCE,
    worldbank.SOURCE,
    hdx.SOURCE,
    vdem.SOURCE,
    wbl.SOURCE,
    freedom_house.SOURCE,
    giwps.SOURCE,
    undp_hdr.SOURCE,
    rsf.SOURCE,
    insecurity_insight.SOURCE,
    cpj.SOURCE,
    owid.SOURCE,
    policy_tracker.SOURCE,
    partner.SOURCE,
)
BY_ID = {source.id: source for source in SOURCES}


def _checked() -> None:
    """One id per source, one owner per folder name, at most one default intake."""
    folders = [name for source in SOURCES for name in (source.id, *source.folders)]
    if len(BY_ID) != len(SOURCES) or len(set(folders)) != len(folders):
        raise ValueError("registry: a source id or folder name is declared twice")
    if sum(source.default_intake for source in SOURCES) > 1:
        raise ValueError("registry: more than one source is the default intake")


_checked()
FOLDERS = {name: source for source in SOURCES for name in (source.id, *source.folders)}
