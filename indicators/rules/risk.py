"""The composite risk level: GREEN, AMBER or RED over a rolling window of alerts.

Any critical alert in the last `red_days` days: RED. At least `amber_warnings` warnings in
the last `amber_days` days: AMBER. Otherwise GREEN. An alert counts from the day it fired
for its window's length, so RED ends exactly `red_days` after the last critical. Only the
analysts' marker alerts count: never the level's own changes, never operator alerts.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from mobwatch.indicators.model import Alert, Evidence, Severity
from mobwatch.indicators.rules.alerting import fingerprint
from mobwatch.indicators.rules.settings import MarkerConfig

RISK_LEVEL_CHANGE = "risk_level_change"
# docs/markers.md's own rule: the composite level is read from the markers, not from the report.
RISK_LEVEL_BASIS = (
    "Any critical marker in the last 90 days: RED. Two or more warnings in the last 60 days: "
    "AMBER. Otherwise GREEN."
)


@dataclass(frozen=True)
class RiskLevelConfig:
    """The `[risk_level]` table of markers.toml."""

    red_days: int
    amber_days: int
    amber_warnings: int


class RiskLevel(StrEnum):
    GREEN = "GREEN"
    AMBER = "AMBER"
    RED = "RED"

    @property
    def rank(self) -> int:
        return list(RiskLevel).index(self)


@dataclass(frozen=True)
class RiskReading:
    """The level on a day and the alerts that set it (none when GREEN)."""

    level: RiskLevel
    behind: tuple[Alert, ...] = ()


def risk_reading_at(alerts: Iterable[Alert], day: date, config: MarkerConfig) -> RiskReading:
    """The level on `day` from the alerts fired up to it, with the alerts behind it."""
    settings = config.risk_level
    counted = _counted(alerts)
    criticals = _active(counted, Severity.CRITICAL, day, settings.red_days)
    if criticals:
        return RiskReading(RiskLevel.RED, criticals)
    warnings = _active(counted, Severity.WARNING, day, settings.amber_days)
    # An AMBER reading always has warnings behind it, even with a threshold of 0.
    if warnings and len(warnings) >= settings.amber_warnings:
        return RiskReading(RiskLevel.AMBER, warnings)
    return RiskReading(RiskLevel.GREEN)


def risk_level_at(alerts: Iterable[Alert], day: date, config: MarkerConfig) -> RiskLevel:
    """The level on `day`."""
    return risk_reading_at(alerts, day, config).level


def risk_timeline(
    alerts: Iterable[Alert], until: date, config: MarkerConfig
) -> list[tuple[date, RiskLevel]]:
    """Each day up to `until` on which the level changed, with the new level.

    The level before the first entry is GREEN. The level only changes on a day an alert
    fires or leaves its window, so those days are the only ones to read.
    """
    settings = config.risk_level
    counted = _counted(alerts)
    window = {Severity.CRITICAL: settings.red_days, Severity.WARNING: settings.amber_days}
    turning_days = {alert.fired_on for alert in counted} | {
        alert.fired_on + timedelta(days=window[alert.severity])
        for alert in counted
        if alert.severity in window
    }
    timeline = []
    level = RiskLevel.GREEN
    for day in sorted(d for d in turning_days if d <= until):
        new_level = risk_level_at(counted, day, config)
        if new_level is not level:
            timeline.append((day, new_level))
            level = new_level
    return timeline


def risk_level_changes(
    alerts: Iterable[Alert], config: MarkerConfig, *, until: date
) -> list[Alert]:
    """A `risk_level_change` alert on each change up to `until`: warning up, info down.

    Basis (docs/markers.md, "The composite level"): "Any critical marker in the last 90 days:
    RED. Two or more warnings in the last 60 days: AMBER. Otherwise GREEN. A change of
    level is itself alerted."
    """
    counted = _counted(alerts)
    changes = []
    previous = RiskLevel.GREEN
    for day, level in risk_timeline(counted, until, config):
        reading = risk_reading_at(counted, day, config)
        rising = level.rank > previous.rank
        changes.append(
            Alert(
                marker=RISK_LEVEL_CHANGE,
                severity=Severity.WARNING if rising else Severity.INFO,
                title=f"Risk level {level} (was {previous}): {explain(reading, config)}",
                fingerprint=fingerprint(
                    RISK_LEVEL_CHANGE, "risk_level", f"{day}:{previous}->{level}"
                ),
                fired_on=day,
                evidence=_evidence(reading.behind),
                basis=RISK_LEVEL_BASIS,
            )
        )
        previous = level
    return changes


def _counted(alerts: Iterable[Alert]) -> list[Alert]:
    return [
        alert
        for alert in alerts
        if alert.marker != RISK_LEVEL_CHANGE and alert.audience == "analyst"
    ]


def _active(alerts: Sequence[Alert], severity: Severity, day: date, days: int) -> tuple[Alert, ...]:
    """The alerts of `severity` that fired in the `days` days up to and including `day`."""
    return tuple(
        alert
        for alert in alerts
        if alert.severity is severity
        and alert.fired_on <= day < alert.fired_on + timedelta(days=days)
    )


def explain(reading: RiskReading, config: MarkerConfig) -> str:
    """Why the level is what it is, in one line: the count and markers behind it."""
    settings = config.risk_level
    markers = ", ".join(sorted({alert.marker for alert in reading.behind}))
    count = len(reading.behind)
    if reading.level is RiskLevel.RED:
        plural = "s" if count != 1 else ""
        return f"{count} critical alert{plural} in the last {settings.red_days} days ({markers})"
    if reading.level is RiskLevel.AMBER:
        return f"{count} warnings in the last {settings.amber_days} days ({markers})"
    return (
        f"no critical alert in the last {settings.red_days} days and fewer than "
        f"{settings.amber_warnings} warnings in the last {settings.amber_days} days"
    )


def _evidence(alerts: Sequence[Alert]) -> tuple[Evidence, ...]:
    """The documents behind the level, each once, in the order the alerts fired."""
    ordered = sorted(alerts, key=lambda alert: (alert.fired_on, alert.marker, alert.fingerprint))
    return tuple(dict.fromkeys(item for alert in ordered for item in alert.evidence))
