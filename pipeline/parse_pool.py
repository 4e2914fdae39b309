"""Parsing and extraction on every core, for a pass with a lot of both.

A cold pass is CPU-bound: parsing pages and reading facts from them, while the fetching
threads mostly wait. In one process those threads share one interpreter lock, so more
threads do not make it faster. Here the parsing and extraction go to a pool of processes,
one per core: each page is parsed and its facts read in one call; fetching, the merge of a
source's readings (it depends on their order), the conditional-request validators and every
write to the store stay in the pass's own process (one writer, as before), and the
observations are the same.

Starting the pool costs about half a second of CPU (the fork server's imports, each
worker's morphological dictionaries), more than a small or warm pass parses in all, so the
pool starts only once the pass has parsed `start_after` bytes in its own process: an
hourly pass that finds little never starts it.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import threading
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing.context import BaseContext
from types import TracebackType

from mobwatch.fetching.page import Page
from mobwatch.indicators.extract.extraction import (
    Reading,
    fill_readings,
    merge,
    read_acts,
    read_groups,
)
from mobwatch.indicators.model import Observation
from mobwatch.parsers import get_parser
from mobwatch.parsers.base import Document, ParseContext, ParseError
from mobwatch.pipeline.page_work import IN_PROCESS, ReadPage

START_AFTER = 2_000_000  # bytes parsed in-process first: about a second of CPU, twice a start


@dataclass(frozen=True)
class _Failure:
    """A `ParseError` on its way back from a worker (its own pickling would lose a field)."""

    url: str
    reason: str


def _read(
    kind: str, page: Page, context: ParseContext, earlier: Sequence[Document]
) -> ReadPage | _Failure:
    try:
        return IN_PROCESS.read(kind, page, context, earlier)
    except ParseError as error:
        return _Failure(error.url, error.reason)


def _start_method() -> BaseContext:
    """Workers forked from a server process that has imported what they run, once.

    Not forked from the pass's process: it has threads (readers, sockets) that a fork would
    copy mid-operation. The fork server has none. Spawned workers would each import
    mobwatch and the program's main module again: about a second of CPU a worker.
    """
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    main = getattr(sys.modules["__main__"].__spec__, "name", None)  # `python -m main`
    # The preload applies when the server starts: the process's first pool.
    context.set_forkserver_preload(["__main__", __name__, *([main] if main else [])])
    return context


def cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


class PoolWork:
    """`page_work.Work` on a process pool started when the pass has shown it needs one."""

    def __init__(self, workers: int | None = None, start_after: int = START_AFTER) -> None:
        self._workers = workers or cores()
        self._start_after = start_after
        self._parsed = 0
        self._lock = threading.Lock()
        self._pool: ProcessPoolExecutor | None = None
        self._closed = False
        self.started = False  # did the pass need the pool (kept once it is closed)

    def _pool_for(self, size: int) -> ProcessPoolExecutor | None:
        with self._lock:
            self._parsed += size
            if self._pool is None and not self._closed and self._parsed > self._start_after:
                self._pool = ProcessPoolExecutor(self._workers, mp_context=_start_method())
                self.started = True
            return self._pool

    def read(
        self, kind: str, page: Page, context: ParseContext, earlier: Sequence[Document]
    ) -> ReadPage:
        pool = self._pool_for(len(page.body))
        if pool is None:
            # Parsed here, read later: most likely by the pool, once the pass needs it.
            parsed = get_parser(kind).parse(page, context)
            return ReadPage(parsed, [None] * len(parsed.documents))
        outcome = pool.submit(_read, kind, page, context, earlier).result()
        if isinstance(outcome, _Failure):
            raise ParseError(outcome.url, outcome.reason)
        return outcome

    def extract(
        self, documents: list[Document], readings: list[Reading | None], source: str
    ) -> list[Observation]:
        """The merge, in this process; what the pages left unread is read in the pool."""
        full = fill_readings(documents, readings, lambda unread: self._read_acts(unread, source))
        return merge(documents, full, lambda groups: self._read_groups(groups, source))

    def _read_acts(self, documents: list[Document], source: str) -> list[Reading]:
        pool = self._pool_for(0)
        if pool is None or not documents:
            return read_acts(documents, source)
        return pool.submit(read_acts, documents, source).result()

    def _read_groups(self, groups: Sequence[Sequence[Document]], source: str) -> list[Reading]:
        pool = self._pool_for(0)
        if pool is None or not groups:
            return read_groups(groups, source)
        # Shared out among the workers: the source's other pages are all read by now.
        share = -(-len(groups) // self._workers)
        parts = [groups[start : start + share] for start in range(0, len(groups), share)]
        done = [pool.submit(read_groups, part, source) for part in parts]
        return [reading for future in done for reading in future.result()]

    def __enter__(self) -> PoolWork:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        with self._lock:
            pool, self._pool, self._closed = self._pool, None, True
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
