"""`make dagster`: start `dagster dev` with SIGINT and SIGTERM at their defaults.

A process started from a script in the background inherits SIGINT ignored, and `dagster dev`
then ignores Ctrl-C and `kill` alike (DESIGN.md). Resetting both before exec makes it stop on
either; make forwards SIGTERM to its running recipe, so `kill <make>` stops it too.

    python -m pipelines.dagster_dev [dagster dev options]
"""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path


def main() -> None:
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, signal.SIG_DFL)
    dagster = Path(sys.executable).with_name("dagster")
    os.execv(dagster, [str(dagster), "dev", *sys.argv[1:]])


if __name__ == "__main__":
    main()
