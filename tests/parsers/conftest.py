"""Fixture pages for parser tests: files under tests/fixtures/<parser>/, wrapped as `Page`s."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from mobwatch.fetching.page import Page

FIXTURES = Path(__file__).parent.parent / "fixtures"


@pytest.fixture
def load_page() -> Callable[..., Page]:
    def load(path: str, url: str, content_type: str = "", status: int = 200) -> Page:
        return Page(
            url=url,
            body=(FIXTURES / path).read_bytes(),
            content_type=content_type,
            status=status,
        )

    return load
