"""The backtest as it was known: the markers replayed day by day over what was public.

Each observation becomes known on the day its evidence was public: its publication date
(`Observation.published`), else the day mobwatch first stored it. A seeded row, typed from
the facts file, has neither; it is taken as known on its event date, the act's signing,
and marked approximate, as are dates the data itself calls approximate. The markers are
then evaluated over the history as it stood on each day something became known, so an
observation published later cannot fire earlier: an alert fires on the first day all its
evidence was public, never before the event it reports, which is kept beside it.
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from mobwatch.indicators.model import Alert, Observation, Severity
from mobwatch.indicators.provenance import read_from_documents
from mobwatch.indicators.rules.config import MarkerConfig
from mobwatch.indicators.rules.markers import evaluate

DATE_NOTE = "date_note"  # details: "approximate (autumn 2022)" and the like


@dataclass(frozen=True)
class Known:
    """An observation and the first day it was public."""

    observation: Observation
    on: date
    approximate: bool


@dataclass(frozen=True)
class Replayed:
    """An alert as the backtest fires it: on the first day its evidence was public."""

    alert: Alert
    fired_on: date  # the first day all its evidence was public
    event_on: date  # the day of the event it reports (the marker's own date)
    approximate: bool  # a date it rests on is approximate

    @property
    def marker(self) -> str:
        return self.alert.marker

    @property
    def severity(self) -> Severity:
        return self.alert.severity

    @property
    def title(self) -> str:
        return self.alert.title


def known_on(obs: Observation, first_seen: date | None) -> Known:
    """When `obs` became public (see the module notes)."""
    approximate = str(obs.details.get(DATE_NOTE, "")).startswith("approximate")
    if obs.published is not None:
        return Known(obs, max(obs.published, obs.event_date), approximate)
    if not read_from_documents(obs) or first_seen is None:
        return Known(obs, obs.event_date, True)
    return Known(obs, max(first_seen, obs.event_date), approximate)


def replay(
    known: Sequence[Known], config: MarkerConfig, *, since: date, until: date
) -> list[Replayed]:
    """Every alert that would have fired from `since` to `until`, as it was known then."""
    ordered = sorted((k for k in known if k.on <= until), key=lambda k: k.on)
    on_days = [k.on for k in ordered]
    by_key: Mapping[str, Known] = {k.observation.key: k for k in ordered}

    def history(day: date) -> list[Observation]:
        return [k.observation for k in ordered[: bisect.bisect_right(on_days, day)]]

    # What the history before `since` raised is not new within the window.
    before = since - timedelta(days=1)
    seen = {alert.fingerprint for alert in evaluate(history(before), config, as_of=before)}
    # The history changes only on the days something became known: evaluate once for each
    # stretch of days between them, as of its last day.
    starts = sorted({since, *(day for day in on_days if since < day)})
    ends = [day - timedelta(days=1) for day in starts[1:]] + [until]
    fired: list[Replayed] = []
    for start, end in zip(starts, ends, strict=True):
        for alert in evaluate(history(start), config, as_of=end):
            if alert.fingerprint in seen:
                continue
            seen.add(alert.fingerprint)
            evidence = by_key.get(alert.observation_key or "")
            day = max(alert.fired_on, start, evidence.on if evidence else start)
            approximate = bool(evidence and evidence.approximate)
            fired.append(Replayed(alert, day, alert.fired_on, approximate))
    return sorted(
        (r for r in fired if since <= r.fired_on <= until),
        key=lambda r: (r.fired_on, r.marker, r.alert.fingerprint),
    )
