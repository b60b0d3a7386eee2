"""Peak resident memory of a process, as the kernel keeps it for the process's own image.

`getrusage(RUSAGE_SELF).ru_maxrss` is not that: Linux carries a process's peak across
fork and exec, so a child started by a large parent reports the parent's size (the
benchmark's pipeline process once showed 3.2 GB that were the harness's own). VmHWM
starts afresh at exec.
"""

from __future__ import annotations

import re
from pathlib import Path


def peak_rss(pid: int | str = "self") -> int:
    """VmHWM of `pid` (default: this process) in bytes."""
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmHWM:\s+(\d+) kB", status)[1]) * 1024
