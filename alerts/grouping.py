"""Alerts that arrive together leave together: one message per route and channel.

A pass that raises twenty warnings sends one Slack message and one email listing them, not
twenty of each. The rules (Prometheus Alertmanager's, reduced to what a pass needs):

- A critical alert is never held back: it goes at once, in a message of its own.
- The other alerts of one route (the analysts' warnings, their info, the operator's) wait
  until the route's oldest waiting alert is `window_seconds` old, so the alerts of a pass's
  later sources join the same message; the pass's last delivery sends whatever waits
  (`flush`).
- A message names at most `max_per_message` alerts, each with its link; the rest of the
  group are counted in it, with a pointer to where they are all listed.

The outbox sends a group as one message and records a delivery for each alert in it, so
exactly-once delivery still holds per alert: a rerun sends none of them again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol, runtime_checkable

from mobwatch.indicators.model import Alert, Severity

# Slack takes 50 blocks a message: a header, an alert a block, a closing line.
MAX_PER_MESSAGE_LIMIT = 45
WHERE_LISTED = "`mobwatch alerts` lists them all, and the report under home shows them"


@dataclass(frozen=True)
class GroupPolicy:
    window_seconds: float = 0.0
    max_per_message: int = 30


@dataclass(frozen=True)
class AlertGroup:
    """The alerts of one message: those it names, and how many more it only counts."""

    alerts: tuple[Alert, ...]
    max_shown: int

    @property
    def shown(self) -> tuple[Alert, ...]:
        return self.alerts[: self.max_shown]

    @property
    def more(self) -> int:
        return max(0, len(self.alerts) - self.max_shown)

    @property
    def route(self) -> str:
        first = self.alerts[0]
        return "operator" if first.audience == "operator" else str(first.severity)

    @property
    def headline(self) -> str:
        count = len(self.alerts)
        return f"{count} {self.route} {'alert' if count == 1 else 'alerts'}"

    @property
    def overflow_line(self) -> str:
        return f"… and {self.more} more: {WHERE_LISTED}" if self.more else ""


@runtime_checkable
class GroupChannel(Protocol):
    """A channel that can carry a group of alerts in one message."""

    name: str

    def send(self, alert: Alert) -> None: ...

    def send_group(self, group: AlertGroup) -> None: ...


def route_of(alert: Alert) -> str:
    return "operator" if alert.audience == "operator" else str(alert.severity)


def plan_messages(
    due: Sequence[Alert], policy: GroupPolicy, *, now: datetime, flush: bool
) -> list[AlertGroup]:
    """The messages to send now for a channel's due alerts, in order: the critical ones
    alone and first, then a group per route (one alert, a group of one).

    Without `flush`, a route's alerts wait while its oldest is younger than the window.
    """
    messages: list[AlertGroup] = []
    routes: dict[str, list[Alert]] = {}
    for alert in due:
        if route_of(alert) == Severity.CRITICAL:
            messages.append(AlertGroup((alert,), 1))
        else:
            routes.setdefault(route_of(alert), []).append(alert)
    window = timedelta(seconds=policy.window_seconds)
    limit = max(1, policy.max_per_message)
    for alerts in routes.values():
        oldest = min((a.created_at for a in alerts if a.created_at), default=None)
        if not flush and oldest is not None and now - oldest < window:
            continue
        messages.append(AlertGroup(tuple(alerts), limit))
    return messages
