"""Source options every parser reads the same way: what a source says of its documents.

`official = true` marks a source as the authority's own voice (a governor's channel, a
regional government's site); `region = "RU-KGN"` names the federal subject it speaks for,
which a post rarely names itself ("принял решение увеличить выплату…").
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from mobwatch.parsers.base import Document, ParseContext


def with_source_options(document: Document, context: ParseContext) -> Document:
    """The document marked as its source's options say: official, and the region covered."""
    options = context.options
    region = options.get("region")
    return replace(
        document,
        official=bool(options.get("official", False)),
        region=region if isinstance(region, str) else None,
    )


def positive_int(options: dict[str, Any], key: str, default: int, name: str) -> int:
    """An option that must be a whole number of at least 1 (`max_pages`, …)."""
    value = options.get(key, default)
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise ValueError(f"{name}: {key} must be a positive integer, not {value!r}")
    return value
