"""Inhibition: an alert that explains others holds them back (`[[inhibit]]` in `alerts.toml`).

A failing source parses to nothing, so its `parser_drift` says nothing its
`source_failing` does not; a critical alert about an act makes a warning about the same
act noise. A rule names the alerts that hold back (`when_marker`, `when_severity`), the
alerts held back (`hold_marker`, or `hold_below = true`: of a lower severity than the one
holding back), and what they must share (`equal`: "source", the source the alerts are
about, or "act", the observation they rest on).

The alerts that hold back are the stored ones still in force: a state alert
(`source_failing`, `channel_failing`) stops holding back once its resolution is stored
(`alerts/states.py`). A held-back alert is stored, shown as inhibited and never sent.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from mobwatch.alerts.states import in_force
from mobwatch.indicators.model import Alert, Severity
from mobwatch.store.records import severity_rank

EQUAL = ("source", "act")
_KEYS = {"when_marker", "when_severity", "hold_marker", "hold_below", "equal"}


@dataclass(frozen=True)
class InhibitRule:
    equal: str  # "source" or "act"
    when_marker: str | None = None
    when_severity: Severity | None = None
    hold_marker: str | None = None
    hold_below: bool = False

    def describe(self) -> str:
        when = " ".join(
            part
            for part in (
                self.when_marker,
                f"{self.when_severity} alerts" if self.when_severity else "",
            )
            if part
        )
        held = self.hold_marker or "alerts"
        below = " of a lower severity" if self.hold_below else ""
        return f"{when or 'any alert'} holds back {held}{below} about the same {self.equal}"

    def holds_back(self, holder: Alert, alert: Alert) -> bool:
        if holder.fingerprint == alert.fingerprint:
            return False
        if self.when_marker and holder.marker != self.when_marker:
            return False
        if self.when_severity and holder.severity is not self.when_severity:
            return False
        if self.hold_marker and alert.marker != self.hold_marker:
            return False
        if self.hold_below and severity_rank(alert.severity) >= severity_rank(holder.severity):
            return False
        return bool(subjects(holder, self.equal) & subjects(alert, self.equal))


def subjects(alert: Alert, equal: str) -> set[str]:
    """What an alert is about: its sources, or its act."""
    if equal == "act":
        return {alert.observation_key} if alert.observation_key else set()
    return {item.source for item in alert.evidence if item.source}


def read_inhibit_rules(data: Any) -> tuple[InhibitRule, ...]:
    """The `[[inhibit]]` tables; ValueError says which rule is wrong and how."""
    if not isinstance(data, list):
        raise ValueError("expected [[inhibit]] tables")
    rules = []
    for number, table in enumerate(data, 1):
        where = f"rule {number}"
        if not isinstance(table, dict):
            raise ValueError(f"{where}: expected a table")
        unknown = sorted(set(table) - _KEYS)
        if unknown:
            raise ValueError(f"{where}: unknown key {unknown[0]!r}")
        if table.get("equal") not in EQUAL:
            raise ValueError(f"{where}: equal must be one of {', '.join(EQUAL)}")
        severity = table.get("when_severity")
        if severity is not None and severity not in set(Severity):
            raise ValueError(f"{where}: when_severity {severity!r} is not a severity")
        for key in ("when_marker", "hold_marker"):
            if key in table and not isinstance(table[key], str):
                raise ValueError(f"{where}: {key} must be a marker name")
        if not isinstance(table.get("hold_below", False), bool):
            raise ValueError(f"{where}: hold_below must be true or false")
        if not (table.get("when_marker") or severity):
            raise ValueError(f"{where}: name when_marker or when_severity")
        if not (table.get("hold_marker") or table.get("hold_below")):
            raise ValueError(f"{where}: name hold_marker or set hold_below")
        rules.append(
            InhibitRule(
                equal=table["equal"],
                when_marker=table.get("when_marker"),
                when_severity=Severity(severity) if severity else None,
                hold_marker=table.get("hold_marker"),
                hold_below=table.get("hold_below", False),
            )
        )
    return tuple(rules)


@dataclass(frozen=True)
class Inhibition:
    alert: Alert  # the one held back
    holder: Alert
    rule: InhibitRule


def inhibitions(
    alerts: Iterable[Alert], stored: Sequence[Alert], rules: Sequence[InhibitRule]
) -> dict[str, Inhibition]:
    """Fingerprint → why, for each of `alerts` that an alert in force holds back."""
    holders = in_force(stored)
    found = {}
    for alert in alerts:
        for rule in rules:
            holder = next((h for h in holders if rule.holds_back(h, alert)), None)
            if holder is not None:
                found[alert.fingerprint] = Inhibition(alert, holder, rule)
                break
    return found
