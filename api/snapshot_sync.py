"""Keeps a replica's local snapshot cache in step with the object store's CURRENT pointer.

A background thread polls the bucket's pointer (one small GET) and, when it moved, downloads
the new snapshot and moves the local pointer; SnapshotStore then switches to it exactly as it
does for a local publish. A failed poll is logged and retried: the replica keeps serving the
last snapshot it has.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from warehouse.mirror import Bucket, sync_snapshot

log = logging.getLogger("wppi.api.sync")


class SnapshotSync:
    def __init__(self, bucket: Bucket, folder: Path, interval: float, retention: int):
        self.bucket, self.folder = bucket, folder
        self.interval, self.retention = interval, retention
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="wppi-snapshot-sync", daemon=True)

    def sync_once(self) -> None:
        try:
            result = sync_snapshot(self.bucket, self.folder, self.retention)
        except Exception:  # the network or the bucket; the next poll tries again
            log.exception("snapshot sync from the object store failed")
            return
        if result.downloaded:
            log.info("now serving snapshot %s from the object store", result.snapshot_id)

    def _loop(self) -> None:
        while not self._stop.wait(self.interval):
            self.sync_once()

    def start(self) -> None:
        self.sync_once()  # serve the current snapshot from the first request when reachable
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=self.interval + 30)
