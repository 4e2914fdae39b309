"""Delivery channels, registered by name like the parsers.

Console and a JSON Lines file under home are always on. A channel's `send` raises
`DeliveryError` when the alert did not get through; the outbox records it and retries on
the next run.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, TextIO

from alerts.text import one_line
from indicators.model import Alert
from indicators.records import alert_to_record


class DeliveryError(Exception):
    """A channel could not deliver an alert; the reason never carries a secret."""


class Channel(Protocol):
    name: str

    def send(self, alert: Alert) -> None: ...


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


@dataclass
class JsonlChannel:
    path: Path
    name: str = "jsonl"

    def send(self, alert: Alert) -> None:
        record = alert_to_record(alert)
        record.pop("delivered")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            with self.path.open("a", encoding="utf-8") as handle:
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        except OSError as error:
            raise DeliveryError(f"cannot append to {self.path}: {error.strerror}") from error


def default_channels(home: Path) -> list[Channel]:
    return [ConsoleChannel(), JsonlChannel(home / "alerts.jsonl")]
