"""What commands print: a table on the terminal, or one JSON line per row with --json."""

from __future__ import annotations

import sys

import orjson
from rich.console import Console
from rich.table import Table

UNMAPPED_SHOWN = 10  # per file in the terminal; --json lists every unmapped code
err = Console(stderr=True)


def json_lines(rows: list[dict]) -> None:
    """One JSON object a line on stdout (--json), for scripts."""
    for row in rows:
        sys.stdout.write(orjson.dumps(row).decode() + "\n")


def print_table(columns: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
    table = Table(title_justify="left")
    for column in columns:
        table.add_column(column)
    for row in rows:
        table.add_row(*row)
    Console().print(table)


def report(rows: list[dict], as_json: bool, title: str = "file") -> None:
    """Rows-in, loaded and quarantined per file (or source), then the unmapped codes that
    cost the most rows."""
    if as_json:
        json_lines(rows)
        return
    table = Table(title_justify="left")
    for key in (title, "rows_in", "rows_loaded", "rows_quarantined", "error"):
        table.add_column(key, justify="right" if key.startswith("rows") else "left")
    for row in rows:
        table.add_row(
            str(row[title]),
            *(str(row[k]) for k in ("rows_in", "rows_loaded", "rows_quarantined")),
            row.get("error") or row.get("note") or "",
        )
    Console().print(table)
    for row in rows:
        unmapped = sorted(row.get("unmapped", []), key=lambda item: -item["rows"])
        for item in unmapped[:UNMAPPED_SHOWN]:  # the codes that cost the most rows first
            err.print(
                f"{row[title]}: {item['field']} '{item['code']}' has no mapping "
                f"({item['rows']} row(s) quarantined)",
                markup=False,
                soft_wrap=True,
            )
        if len(unmapped) > UNMAPPED_SHOWN:
            more = len(unmapped) - UNMAPPED_SHOWN
            err.print(
                f"{row[title]}: {more} more unmapped code(s); --json lists them all",
                markup=False,
                soft_wrap=True,
            )
