"""Where a pass parses pages and reads their facts: the `Work` a pass is given, and the
plain one, in the pass's own process.

Kept apart from the stages: a pool's workers import this and what it reads with, not the
store, the alerts and the rest of a pass.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from mobwatch.fetching.page import Page
from mobwatch.indicators.extract.extraction import (
    Reading,
    fill_readings,
    merge,
    read_acts,
    read_groups,
    read_page,
)
from mobwatch.indicators.model import Observation
from mobwatch.parsers import get_parser
from mobwatch.parsers.base import Document, ParseContext, Parsed


@dataclass(frozen=True)
class ReadPage:
    """A page parsed, and each of its documents read (`extraction.read_page`)."""

    parsed: Parsed
    readings: list[Reading | None]  # None: not read yet, left to `Work.extract`


class Work(Protocol):
    """Where a pass parses pages and reads their facts: in this process, or in a pool of
    processes (`pipeline/parse_pool.py`); fetching, the merge and the store stay in this one."""

    def read(
        self, kind: str, page: Page, context: ParseContext, earlier: Sequence[Document]
    ) -> ReadPage: ...

    def extract(
        self, documents: list[Document], readings: list[Reading | None], source: str
    ) -> list[Observation]: ...


class InProcess:
    def read(
        self, kind: str, page: Page, context: ParseContext, earlier: Sequence[Document]
    ) -> ReadPage:
        parsed = get_parser(kind).parse(page, context)
        readings = read_page(
            parsed.documents, context.source.name, follow=set(parsed.follow), earlier=earlier
        )
        return ReadPage(parsed, list(readings))

    def extract(
        self, documents: list[Document], readings: list[Reading | None], source: str
    ) -> list[Observation]:
        full = fill_readings(documents, readings, lambda unread: read_acts(unread, source))
        return merge(documents, full, lambda groups: read_groups(groups, source))


IN_PROCESS = InProcess()
