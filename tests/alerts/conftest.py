"""Receivers on loopback for the channels: SMTP servers and Slack webhooks."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest

from mobwatch.demo.server import LoopbackServer
from tests.alerts.receivers import SmtpServer, Webhook, smtp_server


@pytest.fixture
def webhooks() -> Iterator[LoopbackServer]:
    """One loopback server; each `Webhook(webhooks, path)` is a receiver on it."""
    with LoopbackServer() as server:
        yield server


@pytest.fixture
def webhook(webhooks: LoopbackServer) -> Webhook:
    return Webhook(webhooks, "/services/T000/B000/analysts")


@pytest.fixture
def smtp(tmp_path: Path) -> Iterator[Callable[..., SmtpServer]]:
    """`smtp(tls="starttls", user="u", password="p")` starts a server for the test."""
    numbers = itertools.count()
    with ExitStack() as stack:

        def start(**options: Any) -> SmtpServer:
            directory = tmp_path / f"smtp-{next(numbers)}"
            directory.mkdir()
            return stack.enter_context(smtp_server(directory, **options))

        yield start
