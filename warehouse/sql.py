"""SQL text kept as files under warehouse/sql/, loaded once per process."""

from __future__ import annotations

from functools import cache
from importlib import resources


@cache
def sql(name: str) -> str:
    """The text of `warehouse/sql/<name>.sql` (e.g. `queries/series`)."""
    return resources.files("warehouse").joinpath("sql", f"{name}.sql").read_text(encoding="utf-8")
