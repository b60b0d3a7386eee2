"""Which source takes a file: by the folder it was delivered in, else by its content.

Derived from the registry: a declaration's folder names, signatures and header test.
`wppi run --input` uses the folder first (`detect_source`); `wppi ingest` looks at content
only (`recognise`), where a damaged partner template and files that are not text at all
also find their source.
"""

from __future__ import annotations

from pathlib import Path

from pipelines.sources.registry import FOLDERS, SOURCES

DOCUMENTATION = (".md", ".txt", ".pdf")
HEAD_BYTES = 4096


def _head(path: Path) -> bytes:
    with path.open("rb") as handle:
        return handle.read(HEAD_BYTES)


def _not_text(head: bytes) -> bool:
    """Empty, binary (NUL bytes, also UTF-16) or gzip: not a table any reader could take."""
    return not head.strip() or b"\x00" in head or head[:2] == b"\x1f\x8b"


def detect_source(path: Path) -> str | None:
    """The source of a file by its folder name, else by a signature; None when none fits."""
    if (source := FOLDERS.get(path.parent.name)) is not None:
        return source.id
    head = _head(path).decode("utf-8", errors="replace")
    return next((s.id for s in SOURCES if s.signatures and s.recognises(head)), None)


def recognise(path: Path) -> str | None:
    """The source of a file by its content alone, or None when no format fits.

    A published source's signature wins; then the partner template (even with a renamed,
    missing or extra column). A file that is not text at all (empty, binary, compressed) goes
    to the default intake, which refuses it with the exact reason and records the refusal.
    Only a readable table whose header matches no format is unrecognised.
    """
    return recognition(path)[0]


def recognition(path: Path) -> tuple[str | None, str]:
    """(source, why) for a file by its content: which signature, header or rule decided."""
    head_bytes = _head(path)
    head = head_bytes.decode("utf-8", errors="replace")
    for source in SOURCES:
        if source.recognises(head):
            signature = next((sig for sig in source.signatures if sig in head), None)
            return source.id, (
                f"signature {signature!r}" if signature else "header names the template's columns"
            )
    if _not_text(head_bytes):
        intake = next((s.id for s in SOURCES if s.default_intake), None)
        return intake, "not text (empty, binary or compressed): the default intake refuses it"
    return None, "no signature or header of a declared source"


def unrecognised_message(path: Path) -> str:
    formats = "; ".join(f"{s.id}: {s.description}" for s in sorted(SOURCES, key=lambda s: s.id))
    return (
        f"{path}: no adapter recognises this file's format (header and first lines match none "
        f"of the known formats); pass --source NAME to choose one. Known formats: {formats}"
    )
