"""Step outputs kept on disk only for the run that made them, then deleted.

Raw, conformed and validated batches carry whole source rows (names, coordinates, free
text), so they must not outlive the load that consumes them. Dagster's FilesystemIOManager
keeps every output forever under one shared tree; this one writes each output under
`<base_dir>/<run_id>/`, so that the load step can delete its adapter's inputs once they are
in the warehouse (`discard`), and every run can prune folders left by failed or killed runs
(`prune`). Outputs go through disk, so the multi-process executor of `dagster dev` (each
step in its own process) can hand them from step to step.
"""

from __future__ import annotations

import os
import pickle
import shutil
import tempfile
import time
from collections.abc import Iterable
from datetime import timedelta
from pathlib import Path

import dagster as dg


def _output_path(base_dir: str, run_id: str, asset_key: dg.AssetKey) -> Path:
    return Path(base_dir, run_id, *asset_key.path)


class RunScopedIOManager(dg.ConfigurableIOManager):
    """Pickles each asset output under `<base_dir>/<run_id>/<asset key>`."""

    base_dir: str

    def handle_output(self, context: dg.OutputContext, obj) -> None:
        path = _output_path(self.base_dir, context.run_id, context.asset_key)
        path.parent.mkdir(parents=True, exist_ok=True)
        # Written under a temporary name, then renamed: a killed step never leaves half a file.
        with tempfile.NamedTemporaryFile(dir=path.parent, delete=False) as handle:
            pickle.dump(obj, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(handle.name, path)

    def load_input(self, context: dg.InputContext):
        upstream = context.upstream_output
        # A re-execution reads the outputs its parent run left (until they are pruned).
        run_id = upstream.run_id if upstream is not None and upstream.run_id else context.run_id
        path = _output_path(self.base_dir, run_id, context.asset_key)
        if not path.is_file():
            raise dg.Failure(
                f"{context.asset_key.to_user_string()} is not on disk for run {run_id}: step "
                "outputs are kept only within the run that made them (they may hold raw "
                "source rows); materialize it together with its upstream steps."
            )
        with path.open("rb") as handle:
            return pickle.load(handle)


def discard(base_dir: str | Path, run_id: str, asset_names: Iterable[str]) -> None:
    """Delete these assets' outputs of one run, and the run's folder once it is empty."""
    run_folder = Path(base_dir, run_id)
    for name in asset_names:
        Path(run_folder, name).unlink(missing_ok=True)
    if run_folder.is_dir() and not any(run_folder.iterdir()):
        run_folder.rmdir()


def prune(base_dir: str | Path, older_than: timedelta, now: float | None = None) -> list[str]:
    """Delete run folders (left by failed or killed runs) untouched for longer than
    `older_than`; returns the run ids removed."""
    base = Path(base_dir)
    if not base.is_dir():
        return []
    cutoff = (now if now is not None else time.time()) - older_than.total_seconds()
    removed = []
    for run_folder in base.iterdir():
        if not run_folder.is_dir():
            continue
        times = [p.stat().st_mtime for p in (run_folder, *run_folder.rglob("*"))]
        if max(times) < cutoff:
            shutil.rmtree(run_folder, ignore_errors=True)
            removed.append(run_folder.name)
    return removed


def remove_run(base_dir: str | Path, run_id: str) -> None:
    """Delete everything a failed run left: a CLI run is re-run, never re-executed from its
    outputs, and those outputs may hold raw rows and many times the input's size."""
    shutil.rmtree(Path(base_dir, run_id), ignore_errors=True)
