"""A fetched response as plain data: what parsers read.

Parsers import this module and nothing else from `fetching`, so a parser test builds a
`Page` from a fixture file and never touches the network.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path

from mobwatch.fetching.decoding import decode_body


@dataclass(frozen=True)
class Page:
    url: str
    body: bytes
    content_type: str = ""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    fetched_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    @cached_property
    def text(self) -> str:
        """The body decoded: HTTP charset, then the document's own declaration, then a guess."""
        return decode_body(self.body, self.content_type)

    @property
    def media_type(self) -> str:
        return self.content_type.split(";", 1)[0].strip().lower()

    @classmethod
    def from_file(cls, path: Path, url: str, content_type: str = "") -> Page:
        return cls(url=url, body=path.read_bytes(), content_type=content_type)
