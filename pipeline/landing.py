"""Task results taken in as they land, in batches whose handling costs a bounded share.

The monitoring pass raises alerts as sources land, so a slow source holds back no one
else's alerts. Each round of alerts replays the stored history, and on a large history a
round costs more than a source takes to land: evaluated once per source, the rounds slow
the pass they belong to (over 60 sources, 37 rounds made a cold pass 9.5 s longer). Here the
results that land while the consumer is busy, or soon after, are handed over together: a
batch that took `t` to handle is followed by a pause of `t * (1 / share - 1)`, so handling
takes about `share` of the wall time, and an alert waits at most that pause beyond its
source. The last results are handed over the moment they land.
"""

from __future__ import annotations

import queue
import time
from collections.abc import Callable, Iterator, Sequence
from typing import Any, Protocol, TypeVar


class Landing(Protocol):
    """A result on its way: a Prefect future or a `concurrent.futures` one."""

    def add_done_callback(self, fn: Callable[[Any], object], /) -> None: ...


L = TypeVar("L", bound=Landing)


def landed_batches(futures: Sequence[L], *, share: float) -> Iterator[list[L]]:
    """Yield every future once, done, in batches; the first as soon as one lands."""
    if not 0 < share <= 1:
        raise ValueError(f"share must be in (0, 1], not {share}")
    landed: queue.SimpleQueue[L] = queue.SimpleQueue()
    for future in futures:
        future.add_done_callback(landed.put)
    left = len(futures)
    not_before = time.monotonic()
    while left:
        batch = [landed.get()]
        while len(batch) < left:
            pause = not_before - time.monotonic()
            try:
                batch.append(landed.get(timeout=pause) if pause > 0 else landed.get_nowait())
            except queue.Empty:
                break
        left -= len(batch)
        started = time.monotonic()
        yield batch
        finished = time.monotonic()
        not_before = finished + (finished - started) * (1 / share - 1)
