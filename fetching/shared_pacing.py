"""Pacing that holds across processes and machines: each host's next free slot is booked in
the shared store.

Booking is one short transaction (`SlotBook.reserve_host_slot`): the slot is the later of now and
the host's next free time, and the next free time moves one interval past it. The wait
for the slot happens afterwards, outside any transaction, so no lock is held while a
worker sleeps and a killed worker leaves nothing behind but a time already in the past.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Protocol

from mobwatch.fetching.pacing import host_key


class SlotBook(Protocol):
    def reserve_host_slot(self, host: str, interval: float, *, now: float | None = None) -> float:
        """Book the host's next slot; the seconds from `now` until it (0 when free now).

        `now` is in seconds since the epoch; None means the book's own clock.
        """


class SharedPacer:
    """`Pacing` backed by a `SlotBook`; with `clock` None, the book's clock is used."""

    def __init__(
        self,
        book: SlotBook,
        min_interval: float,
        *,
        clock: Callable[[], float] | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if min_interval < 0:
            raise ValueError(f"min_interval must not be negative, got {min_interval!r}")
        self.min_interval = min_interval
        self._book = book
        self._clock = clock
        self._sleep = sleep

    def wait(self, url: str) -> None:
        if self.min_interval == 0:
            return  # nothing to keep: spare the database a write per request
        now = self._clock() if self._clock is not None else None
        delay = self._book.reserve_host_slot(host_key(url), self.min_interval, now=now)
        if delay > 0:
            self._sleep(delay)
