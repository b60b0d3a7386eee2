"""An Atom feed of the published snapshots, each entry saying what it changed (counts of
added, revised and withdrawn public values per indicator and source), for monitors who
subscribe instead of polling /v1/changes.

It reads the current snapshot's public table only, so restricted indicators never appear.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import datetime
from email.utils import format_datetime
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from api import examples, openapi
from api.answers import Answer, request_key
from api.cache import etag, matches
from api.deps import AnswersDep, StoreDep, current, open_snapshot
from api.serving import CACHE_CONTROL, check_parameters
from api.snapshot_store import OpenSnapshot
from warehouse.queries import fetch_change_summary
from warehouse.snapshots import list_snapshots

router = APIRouter(tags=["snapshots"])
ATOM = "application/atom+xml"
_NS = "http://www.w3.org/2005/Atom"
FEED_EXAMPLE = f"""<?xml version='1.0' encoding='utf-8'?>
<feed xmlns="{_NS}"><id>urn:wppi:snapshots</id><title>WPPI published snapshots</title>
<updated>{examples.STAMP}</updated><entry><id>urn:wppi:snapshot:{examples.SNAPSHOT}</id>
<title>12 added, 3 revised, 0 withdrawn</title><updated>{examples.STAMP}</updated>
<content type="text">business.women_led_closures (wppi.sample): 12 added, 3 revised,
0 withdrawn</content></entry></feed>"""
RESPONSES: dict[int | str, dict] = {
    200: {
        "description": "The feed, newest snapshot first.",
        "content": {ATOM: {"schema": {"type": "string"}, "example": FEED_EXAMPLE}},
    },
    304: {"description": "Not modified: If-None-Match matched the ETag."},
    400: openapi.problem("Unknown or repeated parameter", 400, "parameter"),
    503: openapi.problem("No data published", 503, None),
}


def _published_at(snapshot_id: str) -> datetime:
    # A snapshot id starts with its UTC publication time (warehouse/snapshots.py).
    return datetime.strptime(snapshot_id[:19], "%Y%m%dT%H%M%S.%f")


def _stamp(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds") + "Z"


def _element(parent: ET.Element, tag: str, text: str | None = None, **attributes) -> ET.Element:
    element = ET.SubElement(parent, f"{{{_NS}}}{tag}", attributes)
    element.text = text
    return element


def feed_xml(snapshot: OpenSnapshot, ids: list[str], base: str) -> bytes:
    """One entry per kept snapshot (`ids`, oldest first) with what changed since the one
    before it, newest first."""
    times = [_published_at(i) for i in ids]
    counts = fetch_change_summary(snapshot.cursor, None, bounds=times[:-1])
    ET.register_namespace("", _NS)
    feed = ET.Element(f"{{{_NS}}}feed")
    _element(feed, "id", "urn:wppi:snapshots")
    _element(feed, "title", "WPPI published snapshots: what each one changed")
    _element(feed, "updated", _stamp(times[-1]))
    _element(feed, "link", rel="self", href=f"{base}v1/snapshots.atom")
    _element(_element(feed, "author"), "name", "WPPI")
    for stretch in reversed(range(len(ids))):
        found = [c for c in counts if c["stretch"] == stretch]
        totals = {k: sum(c[k] for c in found) for k in ("added", "revised", "withdrawn")}
        entry = _element(feed, "entry")
        _element(entry, "id", f"urn:wppi:snapshot:{ids[stretch]}")
        _element(entry, "title", ", ".join(f"{n} {kind}" for kind, n in totals.items()))
        _element(entry, "updated", _stamp(times[stretch]))
        query = {"summary": "true", "since": _stamp(times[stretch - 1])} if stretch else {}
        if query:
            _element(entry, "link", href=f"{base}v1/changes?{urlencode(query)}")
        lines = [
            f"{c['indicator_code']} ({c['source_id']}): {c['added']} added, "
            f"{c['revised']} revised, {c['withdrawn']} withdrawn"
            for c in found
        ]
        _element(entry, "content", "\n".join(lines) or "No public value changed.", type="text")
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)


@router.get(
    "/v1/snapshots.atom",
    summary="Atom feed: each published snapshot and what it changed",
    response_class=Response,
    responses=RESPONSES,
)
async def snapshots_feed(request: Request, store: StoreDep, answers: AnswersDep) -> Response:
    check_parameters(request)
    snapshot_id, published_at = current(store)
    tag = etag(snapshot_id, "snapshots.atom")
    headers = {
        "ETag": tag,
        "Cache-Control": CACHE_CONTROL,
        "X-WPPI-Snapshot": snapshot_id,
        "Last-Modified": format_datetime(published_at, usegmt=True),
    }
    if matches(request.headers.get("if-none-match"), tag):
        return Response(status_code=304, headers=headers)

    def build() -> tuple[str, bytes]:
        with open_snapshot(store) as snapshot:
            ids = [s.id for s in list_snapshots(store.folder) if s.id < snapshot.id]
            return snapshot.id, feed_xml(snapshot, [*ids, snapshot.id], str(request.base_url))

    snapshot_id, body = await run_in_threadpool(build)
    response = Response(body, media_type=ATOM, headers=headers)
    if (key := request_key(request.scope)) is not None:
        answers.put(snapshot_id, key, Answer(response.raw_headers, body))
    return response
