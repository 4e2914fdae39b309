"""Results handed over in batches: at once when the consumer is idle, held while it rests."""

from __future__ import annotations

import time
from concurrent.futures import Future
from uuid import uuid4

import pytest
from prefect.futures import PrefectConcurrentFuture

from mobwatch.pipeline.landing import landed_batches


def futures(count: int) -> tuple[list[Future[int]], list[PrefectConcurrentFuture[int]]]:
    raw: list[Future[int]] = [Future() for _ in range(count)]
    return raw, [PrefectConcurrentFuture(uuid4(), future) for future in raw]


def test_the_first_result_is_handed_over_alone_as_soon_as_it_lands() -> None:
    raw, wrapped = futures(3)
    batches = landed_batches(wrapped, share=0.5)
    raw[1].set_result(1)
    assert next(batches) == [wrapped[1]]


def test_results_landing_during_the_pause_after_a_costly_batch_come_together() -> None:
    raw, wrapped = futures(4)
    batches = landed_batches(wrapped, share=0.5)
    raw[0].set_result(0)
    assert next(batches) == [wrapped[0]]
    time.sleep(0.3)  # handling the batch took 0.3 s: at share 0.5, a 0.3 s pause follows
    asked = time.monotonic()
    raw[2].set_result(2)
    raw[1].set_result(1)
    second = next(batches)
    assert time.monotonic() - asked >= 0.25
    assert second == [wrapped[2], wrapped[1]]
    raw[3].set_result(3)
    assert next(batches) == [wrapped[3]]
    assert next(batches, None) is None


def test_the_last_results_are_not_held_for_the_pause() -> None:
    raw, wrapped = futures(3)
    batches = landed_batches(wrapped, share=0.1)
    raw[0].set_result(0)
    next(batches)
    time.sleep(0.3)  # at share 0.1 the pause would be 2.7 s
    raw[1].set_result(1)
    raw[2].set_result(2)
    asked = time.monotonic()
    assert next(batches) == [wrapped[1], wrapped[2]]
    assert time.monotonic() - asked < 1.0


def test_a_failed_task_lands_like_any_other() -> None:
    raw, wrapped = futures(2)
    raw[0].set_exception(RuntimeError("crashed"))
    raw[1].set_result(1)
    handed = [future for batch in landed_batches(wrapped, share=1.0) for future in batch]
    assert sorted(handed, key=wrapped.index) == wrapped


def test_a_share_outside_zero_to_one_is_refused() -> None:
    with pytest.raises(ValueError, match="share"):
        next(landed_batches([], share=0))
