"""SIGTERM and SIGINT stop a CLI run within seconds, whatever the run is doing.

Dagster's in-process execution replaces both handlers with one that only sets a flag, which
its steps check between operations; a step blocked in a read or busy inside DuckDB or
pyarrow never looks at it, so on its own `kill` would leave a run going for ever. A watchdog thread
hears the signal through Python's wakeup fd (written by the C-level handler whichever Python
handler is installed), gives the run GRACE_SECONDS to stop on its own and then exits the
process. That is as safe as a crash: a run loads in one transaction and publishes by an
atomic rename, so the build warehouse and the served snapshot stay as they were
(tests/reliability/test_crashes.py kills runs at both points).
"""

from __future__ import annotations

import os
import signal
import socket
import sys
import threading
import time

GRACE_SECONDS = 5.0
EXIT_CODE = 128 + signal.SIGTERM
_SOCKETS: list[socket.socket] = []


def stop_on_signals(grace: float = GRACE_SECONDS) -> None:
    """Make SIGTERM and SIGINT end this process within `grace` seconds (main thread only)."""
    reader, writer = socket.socketpair()
    writer.setblocking(False)
    # Until Dagster installs its own, SIGTERM stops the run the way Ctrl-C does.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.set_wakeup_fd(writer.fileno(), warn_on_full_buffer=False)

    def watch() -> None:
        while True:
            received = reader.recv(1)
            if received and received[0] in (signal.SIGTERM, signal.SIGINT):
                break
        time.sleep(grace)  # a run that ends by itself meanwhile ends this thread too
        sys.stderr.write(f"wppi: stopped by signal; the run did not end in {grace:.0f} s\n")
        sys.stderr.flush()
        os._exit(EXIT_CODE)

    _SOCKETS.extend((reader, writer))  # the wakeup fd must stay open as long as the process
    threading.Thread(target=watch, name="wppi-stop-on-signal", daemon=True).start()
