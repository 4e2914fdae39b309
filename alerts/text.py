"""Scraped text is untrusted: make it inert before it reaches a terminal or a file line."""

from __future__ import annotations

import re

# C0/C1 controls (terminal escapes, CR/LF, bidi overrides) never belong in one line of an alert.
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]+")


def one_line(text: str, limit: int = 300) -> str:
    flat = " ".join(_CONTROLS.sub(" ", text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
