"""Delivery channels: what a channel is, and the two that are always on.

Console and a JSON Lines file under home are always on; Slack (`slack.py`) and email
(`email.py`) are on when configured. `alerts/registry.py` maps the names that `alerts.toml`
routes to onto these. A channel's `send` raises `DeliveryError` when the alert did not get
through; the outbox records it and tries again.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, TextIO, runtime_checkable

from mobwatch.alerts.digest import Digest, digest_text
from mobwatch.alerts.text import one_line
from mobwatch.indicators.model import Alert
from mobwatch.store.records import alert_to_record


class DeliveryError(Exception):
    """A channel could not deliver an alert; the reason never carries a secret."""


class ChannelOff(Exception):
    """A channel is not configured; the reason says what to set."""


class Channel(Protocol):
    name: str

    def send(self, alert: Alert) -> None: ...


@runtime_checkable
class DigestChannel(Protocol):
    """A channel that also takes the daily digest."""

    name: str

    def send(self, alert: Alert) -> None: ...

    def send_digest(self, digest: Digest) -> None: ...


@dataclass(frozen=True)
class ChannelSetup:
    """What a run gives the channels it builds."""

    home: Path
    environ: Mapping[str, str] = field(default_factory=lambda: dict(os.environ))
    risk_level: str = ""  # the current level and why, shown with each alert
    timeout: float = 10.0  # seconds, per network operation
    stream: TextIO | None = None  # the console's; default standard output
    # Prefect Secret blocks stand in for unset variables only where a Prefect API holds
    # them; a run that has none (a direct `mobwatch run`) does not import Prefect to ask.
    secret_blocks: bool = True


@dataclass
class ConsoleChannel:
    stream: TextIO = field(default_factory=lambda: sys.stdout)
    name: str = "console"

    def send(self, alert: Alert) -> None:
        audience = " [operator]" if alert.audience == "operator" else ""
        lines = [
            f"[{alert.severity.upper()}]{audience} {alert.fired_on} {alert.marker}: "
            f"{one_line(alert.title)}"
        ]
        lines += [
            f"    «{one_line(item.quote, 200)}» {one_line(item.url)}" for item in alert.evidence
        ]
        print("\n".join(lines), file=self.stream, flush=True)

    def send_digest(self, digest: Digest) -> None:
        print(digest_text(digest), file=self.stream, flush=True)


@dataclass
class JsonlChannel:
    path: Path
    name: str = "jsonl"

    def send(self, alert: Alert) -> None:
        record = alert_to_record(alert)
        record.pop("delivered")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        line = (json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8")
        try:
            # One write to an O_APPEND descriptor: a process killed mid-send leaves the
            # line whole or absent, never half a line for readers to trip on.
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
            try:
                os.write(fd, line)
            finally:
                os.close(fd)
        except OSError as error:
            raise DeliveryError(f"cannot append to {self.path}: {error.strerror}") from error


def console(setup: ChannelSetup) -> ConsoleChannel:
    return ConsoleChannel(stream=setup.stream or sys.stdout)


def jsonl(setup: ChannelSetup) -> JsonlChannel:
    return JsonlChannel(setup.home / "alerts.jsonl")
