"""A polite request rate: at least `min_interval` seconds between two requests to one host.

The client's `per_host` limit bounds how many requests run at once; a backfill reads
hundreds of archive pages one after another, so it also waits between them. The clock and
the sleep are injectable: tests check the waits without waiting.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from urllib.parse import urlsplit


class Pacer:
    """Share one instance between threads; call `wait(url)` right before each request."""

    def __init__(
        self,
        min_interval: float = 1.0,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if min_interval < 0:
            raise ValueError(f"min_interval must not be negative, got {min_interval!r}")
        self.min_interval = min_interval
        self._clock = clock
        self._sleep = sleep
        self._last: dict[str, float] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()
        self.waited = 0.0  # seconds slept in total: what the politeness cost

    def wait(self, url: str) -> None:
        """Sleep until the host of `url` may be asked again, then count this request."""
        host = (urlsplit(url).hostname or "").lower()
        with self._guard:
            lock = self._locks.setdefault(host, threading.Lock())
        with lock:  # one host's requests queue here; other hosts go on
            last = self._last.get(host)
            if last is not None:
                pause = self.min_interval - (self._clock() - last)
                if pause > 0:
                    self._sleep(pause)
                    self.waited += pause
            self._last[host] = self._clock()
