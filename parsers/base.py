"""What every parser returns, and the error it raises.

A parser is a module with a `KIND` name, a `plan(source, since, until)` function that says
which URLs to fetch first, and a pure `parse(page)` function from a fetched `Page` to a
`Parsed` result. It never fetches: further pages it wants (listing pages, act pages) go back
to the caller in `Parsed.follow`, which the fetch stage reads and hands back to `parse`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

from fetching.page import Page


class ParseError(Exception):
    """The page could not be read as the parser's format (broken JSON, wrong layout)."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"{reason} ({url})")
        self.url = url
        self.reason = reason


@dataclass(frozen=True)
class Document:
    """One published item: an act, a feed entry, a post. Text is plain, never HTML."""

    url: str
    title: str
    text: str = ""
    published: date | None = None  # the Moscow calendar date of publication
    act_type: str | None = None  # "Указ", "Федеральный закон", … when metadata says so
    act_number: str | None = None  # "822", "334-ФЗ"
    act_date: date | None = None  # signing date
    links: tuple[str, ...] = ()  # other addresses of the same item (PDF, card page)
    external_id: str | None = None  # the source's own id: eoNumber, Atom id, data-post
    official: bool = False  # published by the issuing authority itself


@dataclass(frozen=True)
class Parsed:
    documents: list[Document] = field(default_factory=list)
    follow: list[str] = field(default_factory=list)  # URLs to fetch and hand back to parse()
    expected_empty: bool = False  # the page says, in its own terms, that it has no items


@dataclass(frozen=True)
class Source:
    """One entry of the sources file."""

    name: str
    parser: str
    url: str
    options: dict[str, Any] = field(default_factory=dict)


class Parser(Protocol):
    """What a parser module provides; `parsers.PARSERS` maps each `KIND` to its module."""

    KIND: str

    def plan(self, source: Source, since: date | None, until: date | None) -> list[str]:
        """The first URLs to fetch for `source`, for publications between the dates."""
        ...

    def parse(self, page: Page) -> Parsed:
        """The documents on a fetched page; raises `ParseError` when it cannot be read."""
        ...
