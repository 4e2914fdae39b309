"""State alerts: a failing source or channel is said again while it fails, then resolved.

`source_failing` and `channel_failing` describe a state, not an event: each failure streak
has a key (`state:source:<name>:<since>`, kept as the alert's `observation_key`). The rules
raise the streak's alert once; here it is repeated every `repeat_hours` while the streak
holds (its stored alerts say when it was last said), and once the subject is healthy
again, or failing in a new streak, one "resolved" alert closes it. Each repeat and the
resolution have fingerprints of their own, so each is stored and delivered once.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta

from mobwatch.indicators.model import Alert, Severity
from mobwatch.store.store import Store

STATE_PREFIX = "state:"
RESOLVED = "#resolved"


def _fingerprint(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def is_state(alert: Alert) -> bool:
    return bool(alert.observation_key and alert.observation_key.startswith(STATE_PREFIX))


def is_resolution(alert: Alert) -> bool:
    return is_state(alert) and (alert.observation_key or "").endswith(RESOLVED)


def in_force(stored: Sequence[Alert]) -> list[Alert]:
    """The stored alerts still in force: all but resolutions and the states they close."""
    closed = {(a.observation_key or "").removesuffix(RESOLVED) for a in stored if is_resolution(a)}
    return [a for a in stored if not is_resolution(a) and a.observation_key not in closed]


def subject_of(alert: Alert) -> str:
    return next((item.source for item in alert.evidence if item.source), "")


def follow_states(
    store: Store,
    current: Sequence[Alert],
    *,
    marker: str,
    streaks: Mapping[str, str | None],
    repeat: timedelta,
    now: datetime,
) -> list[Alert]:
    """Store and return the state alerts due now for `marker`.

    `current`: the streak alerts the rules raise now. `streaks`: for each subject whose
    state is known this run, the key of its failure streak, or None when it is healthy;
    an open streak of a subject not named there is left open.
    """
    said: dict[str, list[Alert]] = {}
    for alert in store.alerts():
        if alert.marker == marker and is_state(alert):
            said.setdefault(alert.observation_key or "", []).append(alert)
    due: list[Alert] = []
    for alert in current:
        key = alert.observation_key or ""
        before = said.get(key, [])
        if not before:
            due.append(alert)
            continue
        if key + RESOLVED in said:
            continue
        last = max((a.created_at for a in before if a.created_at), default=None)
        if last is not None and now - last >= repeat:
            due.append(_repeat(alert, len(before)))
    for key, before in said.items():
        if key.endswith(RESOLVED) or key + RESOLVED in said:
            continue
        subject = subject_of(before[0])
        if subject in streaks and streaks[subject] != key:
            due.append(_resolution(before[0], now))
    return [alert for alert in due if store.record_alert(alert, at=now)]


def _repeat(alert: Alert, times_said: int) -> Alert:
    key = alert.observation_key or ""
    return dataclasses.replace(
        alert,
        title=f"Still failing (said {times_said} times before): {alert.title}",
        fingerprint=_fingerprint(alert.marker, key, "repeat", str(times_said)),
    )


def _resolution(first: Alert, now: datetime) -> Alert:
    key = first.observation_key or ""
    return dataclasses.replace(
        first,
        severity=Severity.INFO,
        title=f"Resolved: {subject_of(first) or key} works again ({first.marker} is over)",
        fingerprint=_fingerprint(first.marker, key, "resolved"),
        fired_on=now.date(),
        evidence=tuple(dataclasses.replace(item, quote="") for item in first.evidence[:1]),
        observation_key=key + RESOLVED,
        created_at=None,
        delivered={},
    )
