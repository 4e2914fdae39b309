"""The delivery configuration, read from `alerts.toml`: routes, retries, the digest.

Routes are per severity for the analysts' alerts, and one route for the operator's
(`audience == "operator"`). Every key is required and typed (only the later tables
`[grouping]`, `[state_alerts]`, `[dead_man]` and `[[inhibit]]` may be left out, for their
defaults), and every channel name must be a registered one
(`mobwatch.alerts.registry.CHANNELS`) or "digest"; a mistake stops the program with the
file and key named, as `markers.toml` does.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from mobwatch.alerts.digest import DIGEST
from mobwatch.alerts.grouping import MAX_PER_MESSAGE_LIMIT, GroupPolicy
from mobwatch.alerts.inhibition import InhibitRule, read_inhibit_rules
from mobwatch.alerts.registry import CHANNELS
from mobwatch.indicators.model import Alert, Severity
from mobwatch.store.alerts import RouteSelector

# The project's alerts.toml: a link to it in a checkout, a copy in an installed package.
DEFAULT_ALERTS_FILE = (Path(__file__).parent / "alerts.toml").resolve()


class RoutingError(Exception):
    """The alerts file is missing, unreadable, or has a missing or wrong key."""

    def __init__(self, path: Path, key: str, reason: str) -> None:
        super().__init__(f"{path}: {key}: {reason}" if key else f"{path}: {reason}")


@dataclass(frozen=True)
class Routing:
    critical: tuple[str, ...]
    warning: tuple[str, ...]
    info: tuple[str, ...]
    operator: tuple[str, ...]

    def route(self, alert: Alert) -> tuple[str, ...]:
        return self.operator if alert.audience == "operator" else self.for_severity(alert.severity)

    def for_severity(self, severity: Severity) -> tuple[str, ...]:
        return {"critical": self.critical, "warning": self.warning, "info": self.info}[severity]

    def channels(self) -> tuple[str, ...]:
        """Every channel some route names, in order; "digest" is not a channel."""
        names = (*self.critical, *self.warning, *self.info, *self.operator)
        return tuple(name for name in dict.fromkeys(names) if name != DIGEST)

    def selector(self, channel: str) -> RouteSelector:
        """Which stored alerts `channel` takes under these routes."""
        return RouteSelector(
            severities=frozenset(s for s in Severity if channel in self.for_severity(s)),
            operator=channel in self.operator,
        )


@dataclass(frozen=True)
class OutboxPolicy:
    """How hard to try. The defaults are the plain outbox: one try a run, the next run again."""

    tries_per_run: int = 1
    retry_delay_seconds: float = 0.0
    backoff_minutes: float = 0.0
    max_backoff_minutes: float = 0.0
    timeout_seconds: float = 10.0

    def retry_delay(self, tries_so_far: int) -> float:
        return self.retry_delay_seconds * 2 ** (tries_so_far - 1)

    def backoff(self, failed_runs: int) -> timedelta:
        minutes = min(self.backoff_minutes * 2 ** (failed_runs - 1), self.max_backoff_minutes)
        return timedelta(minutes=minutes)


@dataclass(frozen=True)
class ChannelFailingPolicy:
    failed_runs: int
    undelivered_minutes: int


@dataclass(frozen=True)
class DigestSettings:
    channels: tuple[str, ...]
    escalation_days: int
    observation_hours: int


@dataclass(frozen=True)
class DeliveryConfig:
    routing: Routing
    outbox: OutboxPolicy
    channel_failing: ChannelFailingPolicy
    digest: DigestSettings
    grouping: GroupPolicy = field(default_factory=GroupPolicy)
    repeat_hours: int = 24  # a failing source or channel is said again this often
    dead_man_hours: float = 3.0  # the operator hears when no pass completes for this long
    inhibit: tuple[InhibitRule, ...] = ()


def load_delivery_config(path: Path | None = None) -> DeliveryConfig:
    """Read the alerts file (default: the project's `alerts.toml`)."""
    path = path or DEFAULT_ALERTS_FILE
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RoutingError(path, "", "no such file") from None
    except tomllib.TOMLDecodeError as error:
        raise RoutingError(path, "", f"not valid TOML ({error})") from None
    table = _Table(path, data)
    routing = table.sub("routing", "critical", "warning", "info", "operator")
    outbox = table.sub(
        "outbox",
        "tries_per_run",
        "retry_delay_seconds",
        "backoff_minutes",
        "max_backoff_minutes",
        "timeout_seconds",
    )
    failing = table.sub("channel_failing", "failed_runs", "undelivered_minutes")
    digest = table.sub("digest", "channels", "escalation_days", "observation_hours")
    # Tables a later version added: optional, so an older alerts file still reads.
    grouping = GroupPolicy()
    if "grouping" in data:
        group = table.sub("grouping", "window_seconds", "max_per_message")
        grouping = GroupPolicy(
            window_seconds=group.number("window_seconds", float),
            max_per_message=group.number("max_per_message", int),
        )
    if not 1 <= grouping.max_per_message <= MAX_PER_MESSAGE_LIMIT:
        raise RoutingError(
            path,
            "grouping.max_per_message",
            f"expected 1 to {MAX_PER_MESSAGE_LIMIT} (Slack's limit)",
        )
    repeat_hours = 24
    if "state_alerts" in data:
        repeat_hours = max(1, table.sub("state_alerts", "repeat_hours").number("repeat_hours", int))
    dead_man_hours = 3.0
    if "dead_man" in data:
        dead_man_hours = table.sub("dead_man", "hours").number("hours", float)
    try:
        inhibit = read_inhibit_rules(data.get("inhibit", []))
    except ValueError as error:
        raise RoutingError(path, "inhibit", str(error)) from None
    return DeliveryConfig(
        routing=Routing(
            **{key: routing.channels(key) for key in ("critical", "warning", "info", "operator")}
        ),
        outbox=OutboxPolicy(
            tries_per_run=max(1, outbox.number("tries_per_run", int)),
            retry_delay_seconds=outbox.number("retry_delay_seconds", float),
            backoff_minutes=outbox.number("backoff_minutes", float),
            max_backoff_minutes=outbox.number("max_backoff_minutes", float),
            timeout_seconds=outbox.number("timeout_seconds", float),
        ),
        channel_failing=ChannelFailingPolicy(
            failed_runs=failing.number("failed_runs", int),
            undelivered_minutes=failing.number("undelivered_minutes", int),
        ),
        digest=DigestSettings(
            channels=digest.channels("channels"),
            escalation_days=max(1, digest.number("escalation_days", int)),
            observation_hours=digest.number("observation_hours", int),
        ),
        grouping=grouping,
        repeat_hours=repeat_hours,
        dead_man_hours=dead_man_hours,
        inhibit=inhibit,
    )


@dataclass(frozen=True)
class _Table:
    path: Path
    data: Any
    prefix: str = ""

    def _get(self, key: str) -> Any:
        if not isinstance(self.data, dict):
            raise RoutingError(self.path, self.prefix.rstrip("."), "expected a table")
        if key not in self.data:
            raise RoutingError(self.path, self.prefix + key, "missing")
        return self.data[key]

    def sub(self, key: str, *keys: str) -> _Table:
        """The table under `key`, which holds exactly `keys`: a misspelt key is an error."""
        table = _Table(self.path, self._get(key), f"{self.prefix}{key}.")
        unknown = sorted(set(table.data) - set(keys)) if isinstance(table.data, dict) else []
        if unknown:
            raise RoutingError(self.path, table.prefix + unknown[0], "unknown key")
        return table

    def number(self, key: str, kind: type[int] | type[float]) -> Any:
        value = self._get(key)
        # bool is an int to Python, and a float key accepts a whole number.
        allowed = (int,) if kind is int else (int, float)
        if isinstance(value, bool) or not isinstance(value, allowed) or value < 0:
            raise RoutingError(
                self.path, self.prefix + key, f"expected a {kind.__name__} ≥ 0, got {value!r}"
            )
        return kind(value)

    def channels(self, key: str) -> tuple[str, ...]:
        value = self._get(key)
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise RoutingError(self.path, self.prefix + key, "expected a list of channel names")
        unknown = [name for name in value if name not in CHANNELS and name != DIGEST]
        if unknown:
            known = ", ".join([*CHANNELS, DIGEST])
            raise RoutingError(
                self.path, self.prefix + key, f"unknown channel {unknown[0]!r} (known: {known})"
            )
        return tuple(value)
