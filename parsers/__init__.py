"""Parsers by kind: the sources file names a kind, `get_parser` gives its module.

A new kind is one module providing `KIND`, `plan` and `parse` (see `mobwatch.parsers.base.Parser`),
added to the tuple below.
"""

from __future__ import annotations

from mobwatch.parsers import duma_api, html_list, kremlin_feed, pravo_api, rss, telegram
from mobwatch.parsers.base import Parser

PARSERS: dict[str, Parser] = {
    module.KIND: module for module in (pravo_api, kremlin_feed, telegram, rss, html_list, duma_api)
}


class UnknownParserError(KeyError):
    """The sources file names a parser kind that does not exist."""

    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind

    def __str__(self) -> str:  # KeyError's own would show only the quoted kind
        return f"unknown parser kind {self.kind!r}; known kinds: {', '.join(sorted(PARSERS))}"


def get_parser(kind: str) -> Parser:
    try:
        return PARSERS[kind]
    except KeyError:
        raise UnknownParserError(kind) from None
