"""What every parser returns, and the error it raises.

A parser is a module with a `KIND` name, a `plan(source, since, until)` function that says
which URLs to fetch first, and a pure `parse(page, context=None)` function from a fetched
`Page` to a `Parsed` result. It never fetches: further pages it wants (listing pages, act
pages) go back to the caller in `Parsed.follow`, which the fetch stage reads and hands back
to `parse`. The optional `ParseContext` tells `parse` what the page cannot: the source's
options (CSS selectors, paging limits, the region a channel speaks for), the window asked
for, and how many follow-ups deep the page is.

How a backfill reads a kind's archive (`pipeline/backfill_stages.py`): a module that sets
`DATE_WINDOWS = True` filters by publication date in `plan`, so the range is read window by
window; a page that knows the page before it in time names it in `Parsed.older`, which the
backfill follows until the documents are older than the date asked for; any other kind is
read as far as `plan` and its follows reach.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

from mobwatch.fetching.page import Page

# Control characters (terminal escapes), line breaks and bidi overrides.
_NOT_INERT = re.compile(r"[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]+")


class ParseError(Exception):
    """The page could not be read as the parser's format (broken JSON, wrong layout).

    A reason may quote the page (its title, the server's message); it is made one line
    without control characters here, so source health, logs and the run summary can show
    it as it is.
    """

    def __init__(self, url: str, reason: str) -> None:
        reason = " ".join(_NOT_INERT.sub(" ", reason).split())
        super().__init__(f"{reason} ({url})")
        self.url = url
        self.reason = reason


class NotConfigured(Exception):
    """A source needs configuration it does not have (an API key); the reason says what to
    set. A pass reports it and moves on: it is not the source failing."""


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
    author: str | None = None  # the account that published it: a Telegram channel's username
    author_title: str | None = None  # the account's own name: a channel's title on its page
    region: str | None = None  # ISO 3166-2 code of the federal subject the source speaks for
    stage: str | None = None  # a bill's stage in parliament: "introduced", "first_reading", …


@dataclass(frozen=True)
class Parsed:
    documents: list[Document] = field(default_factory=list)
    follow: list[str] = field(default_factory=list)  # URLs to fetch and hand back to parse()
    expected_empty: bool = False  # the page says, in its own terms, that it has no items
    # The next page back in time (a feed's `/page/N`, a channel's `?before=`), for backfill.
    older: str | None = None


@dataclass(frozen=True)
class Source:
    """One entry of the sources file."""

    name: str
    parser: str
    url: str
    options: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ParseContext:
    """What `parse` knows of the reading a page belongs to, beyond the page itself."""

    source: Source | None = None  # None: a page parsed on its own (tests, replays)
    since: date | None = None
    until: date | None = None
    depth: int = 1  # 1 for a planned page; a page followed from one at depth n has n + 1

    @property
    def options(self) -> dict[str, Any]:
        return self.source.options if self.source else {}


class Parser(Protocol):
    """What a parser module provides; `parsers.PARSERS` maps each `KIND` to its module."""

    KIND: str

    def plan(self, source: Source, since: date | None, until: date | None) -> list[str]:
        """The first URLs to fetch for `source`, for publications between the dates."""
        ...

    def parse(self, page: Page, context: ParseContext | None = None) -> Parsed:
        """The documents on a fetched page; raises `ParseError` when it cannot be read."""
        ...
