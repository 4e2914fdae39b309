"""SIGTERM and Ctrl-C for `mobwatch serve`: one way to stop, whenever the signal comes.

Before Prefect's runner is up, SIGTERM raises `Stopped` wherever the program is (importing,
opening the store, starting the local Prefect server), so it unwinds through its clean-up.
Once the runner starts it installs its own SIGTERM handler, which stops serving gracefully:
it cancels the runs in flight through their own SIGTERM and marks them Cancelled.

Ctrl-C is turned into SIGTERM, to take the same path either way. A terminal sends Ctrl-C's
SIGINT to its whole foreground group, the runs' processes too, where it would interrupt a
run at any line, racing the runner's cancellation; a run hit there can hang until Prefect's
30-second kill. So SIGINT is blocked here before any thread or child exists: every child
inherits the mask across exec and never sees the terminal's Ctrl-C, and one thread of this
process waits for it and raises SIGTERM instead. This module imports nothing heavy, so all
of it is in place before Prefect loads.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType


class Stopped(BaseException):
    """SIGTERM or Ctrl-C before Prefect's runner took over the signal.

    A BaseException, like KeyboardInterrupt: raised wherever the program happens to be, it
    must not be swallowed by a library's `except Exception`.
    """


def _ctrl_c_to_sigterm() -> None:
    """The first Ctrl-C becomes a SIGTERM; later ones stay blocked, so a second Ctrl-C
    cannot cut the graceful stop short."""
    signal.sigwait({signal.SIGINT})
    os.kill(os.getpid(), signal.SIGTERM)


@contextmanager
def stop_on_signals() -> Iterator[None]:
    """For the rest of the process: SIGINT stays blocked when the block ends, because the
    process is on its way out and its children may still be stopping."""

    def stop(signum: int, frame: FrameType | None) -> None:
        raise Stopped

    previous = signal.signal(signal.SIGTERM, stop)
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    threading.Thread(target=_ctrl_c_to_sigterm, name="ctrl-c", daemon=True).start()
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def ignore_signals() -> None:
    """Once serving has stopped, a further signal would only interrupt the clean-up."""
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, signal.SIG_IGN)
