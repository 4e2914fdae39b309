"""A polite request rate: at least `min_interval` seconds between two requests to one host.

The client's `per_host` limit bounds how many requests run at once; pacing also spaces
them out. `HttpClient` takes any `Pacing` and calls `wait(url)` before each request it
makes (retries and redirects included): `Pacer` here keeps the rate within one process,
`SharedPacer` (`shared_pacing.py`) across every worker sharing the store. The clock and
the sleep are injectable: tests check the waits without waiting.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Protocol
from urllib.parse import urlsplit

_DEFAULT_PORTS = {"http": 80, "https": 443}


class Pacing(Protocol):
    def wait(self, url: str) -> None:
        """Return when a request to the host of `url` may be sent, and count it as sent."""


def host_key(url: str) -> str:
    """The host whose rate a request counts against: its name, and a port if not the default.

    A port is part of the key because two services on one name and different ports are two
    servers (the loopback servers of tests and the demo differ by port only). The scheme's
    default port is left out, so `http://` and `https://` of one site share one rate.
    """
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    port = parts.port
    if port is None or port == _DEFAULT_PORTS.get(parts.scheme.lower()):
        return host
    return f"{host}:{port}"


class Pacer:
    """In-process pacing; share one instance between threads."""

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
        host = host_key(url)
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
