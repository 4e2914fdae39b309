"""SIGTERM and Ctrl-C for `mobwatch serve`: one way to stop, whenever the signal comes.

Before Prefect's runner is up, SIGTERM raises `Stopped` wherever the program is (importing,
opening the store, starting the local Prefect server), so it unwinds through its clean-up.
Once the runner starts it installs its own SIGTERM handler, which stops serving gracefully.
Ctrl-C is turned into SIGTERM, to take the same path either way. This module imports
nothing heavy, so the handlers are in place before Prefect loads.
"""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType


class Stopped(BaseException):
    """SIGTERM or Ctrl-C before Prefect's runner took over the signal.

    A BaseException, like KeyboardInterrupt: raised wherever the program happens to be, it
    must not be swallowed by a library's `except Exception`.
    """


@contextmanager
def stop_on_signals() -> Iterator[None]:
    forwarded = False

    def stop(signum: int, frame: FrameType | None) -> None:
        raise Stopped

    def interrupt(signum: int, frame: FrameType | None) -> None:
        nonlocal forwarded
        if not forwarded:  # a second Ctrl-C must not cut the graceful stop short
            forwarded = True
            signal.raise_signal(signal.SIGTERM)

    previous = {
        signal.SIGTERM: signal.signal(signal.SIGTERM, stop),
        signal.SIGINT: signal.signal(signal.SIGINT, interrupt),
    }
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def ignore_signals() -> None:
    """Once serving has stopped, a further signal would only interrupt the clean-up."""
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, signal.SIG_IGN)
